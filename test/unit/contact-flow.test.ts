import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { screenPopAttributes } from '#shared/inbound/attributes.ts';
import { trackingAnswer } from '#shared/shipments/ivr.ts';

interface Action {
  Identifier: string;
  Type: string;
  Parameters: Record<string, unknown>;
  Transitions: {
    NextAction?: string;
    Conditions?: { NextAction: string }[];
    Errors?: { NextAction: string }[];
  };
}
const flow = JSON.parse(readFileSync('docs/connect/inbound-hotline.flow.json', 'utf8')) as {
  StartAction: string;
  Actions: Action[];
};
const ids = new Set(flow.Actions.map((a) => a.Identifier));
const externalRefs = (a: Action) =>
  [...JSON.stringify(a.Parameters).matchAll(/\$\.External\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]);

describe('example inbound contact flow (docs/connect)', () => {
  it('is well formed: unique ids, every transition lands on an action', () => {
    expect(ids.size).toBe(flow.Actions.length);
    expect(ids.has(flow.StartAction)).toBe(true);
    for (const a of flow.Actions) {
      const targets = [
        a.Transitions.NextAction,
        ...(a.Transitions.Conditions ?? []).map((c) => c.NextAction),
        ...(a.Transitions.Errors ?? []).map((e) => e.NextAction),
      ];
      for (const t of targets.filter(Boolean)) expect(ids, `${a.Identifier} → ${t}`).toContain(t);
    }
  });

  it('reads only attributes the screen-pop Lambda answers', () => {
    const answered = Object.keys(
      screenPopAttributes(
        {
          connectContactId: 'c',
          defaultQueue: 'q',
          queueArns: {},
          desktopUrl: 'https://x/',
          defaultLanguage: 'zh-CN',
        },
        'unknown',
      ),
    );
    const screenPopSteps = flow.Actions.filter((a) =>
      ['copy-attributes', 'set-queue', 'set-priority'].includes(a.Identifier),
    );
    for (const ref of screenPopSteps.flatMap(externalRefs)) expect(answered).toContain(ref);
  });

  it('speaks the prompt the tracking Lambda answers', () => {
    const answered = Object.keys(
      trackingAnswer('7100000000', undefined, { owner: false, language: 'en', now: new Date() }),
    );
    for (const ref of flow.Actions.filter((a) => a.Identifier === 'say-tracking').flatMap(externalRefs))
      expect(answered).toContain(ref);
  });

  it('invokes both Lambdas with STRING_MAP validation inside the 8 s ceiling', () => {
    const invokes = flow.Actions.filter((a) => a.Type === 'InvokeLambdaFunction');
    // The flow carries sed-style placeholders, filled in at import (docs/connect/README.md).
    const placeholder = (name: string) => ['$', '{', name, '}'].join('');
    expect(invokes.map((a) => a.Parameters.LambdaFunctionARN)).toEqual([
      placeholder('SCREEN_POP_ARN'),
      placeholder('IVR_TRACKING_ARN'),
    ]);
    for (const a of invokes) {
      expect(a.Parameters.ResponseValidation).toEqual({ ResponseType: 'STRING_MAP' });
      expect(Number(a.Parameters.InvocationTimeLimitSeconds)).toBeLessThanOrEqual(8);
    }
  });
});
