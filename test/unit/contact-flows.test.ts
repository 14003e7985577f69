import { describe, expect, it } from 'vitest';
import { externalRefs, type FlowAction, type FlowDocument, targetsOf } from '#infra/connect/flow.ts';
import {
  customerQueue,
  type FlowRefs,
  inboundHotline,
  outboundCampaign,
  outboundWhisper,
  SCREEN_POP_KEPT,
  VOICES,
} from '#infra/connect/flows.ts';
import { contactFlowEvent } from '#local/connect-simulator.ts';
import { ivrCallbackFallback } from '#shared/campaigns/ivr.ts';
import { ivrComplaint, ivrComplaintFallback } from '#shared/complaints/ivr.ts';
import { screenPopAttributes } from '#shared/inbound/attributes.ts';
import type { Flow } from '#shared/platform/connect/handler.ts';
import { type Lang, t } from '#shared/platform/messages/index.ts';
import { ivrTracking, ivrTrackingFallback, trackingAnswer } from '#shared/shipments/ivr.ts';

const REFS: FlowRefs = {
  screenPop: 'arn:lambda:screen-pop',
  ivrTracking: 'arn:lambda:ivr-tracking',
  ivrComplaint: 'arn:lambda:ivr-complaint',
  ivrCallback: 'arn:lambda:ivr-callback',
  defaultQueue: 'arn:queue:general-service',
  queueFlow: 'arn:flow:customer-queue',
};

/** What each contact-flow Lambda answers (its keys), from the functions that build the answers. */
const ANSWERS: Record<string, string[]> = {
  [REFS.screenPop]: Object.keys(
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
  ),
  [REFS.ivrTracking]: [
    ...Object.keys(
      trackingAnswer('7100000000', undefined, { owner: false, language: 'en', now: new Date() }),
    ),
    ...Object.keys(ivrTrackingFallback('zh-CN', 'error')),
  ],
  [REFS.ivrComplaint]: Object.keys(ivrComplaintFallback('zh-CN', 'error')),
  [REFS.ivrCallback]: Object.keys(ivrCallbackFallback('zh-CN', 'error')),
};

/** The Lambdas whose answer a block can see: those reached before it with no other in between. */
function lambdasBefore(doc: FlowDocument, id: string): Set<string> {
  const byId = new Map(doc.Actions.map((a) => [a.Identifier, a]));
  const preds = new Map<string, FlowAction[]>();
  for (const a of doc.Actions) for (const t of targetsOf(a)) preds.set(t, [...(preds.get(t) ?? []), a]);
  const found = new Set<string>();
  const seen = new Set<string>();
  const walk = (at: string) => {
    for (const p of preds.get(at) ?? []) {
      if (seen.has(p.Identifier)) continue;
      seen.add(p.Identifier);
      if (p.Type === 'InvokeLambdaFunction') found.add(String(p.Parameters.LambdaFunctionARN));
      else walk(p.Identifier);
    }
  };
  walk(id);
  expect(byId.has(id)).toBe(true);
  return found;
}

const FLOWS: [string, FlowDocument][] = [
  ['inbound hotline', inboundHotline(REFS)],
  ['customer queue', customerQueue(REFS)],
  ['outbound whisper', outboundWhisper()],
  ['outbound campaign', outboundCampaign('arn:flow:whisper')],
];

describe('the contact flows (infra/connect/flows.ts)', () => {
  it.each(FLOWS)('%s: every transition lands on a block, and every block is reachable', (_name, doc) => {
    const ids = new Set(doc.Actions.map((a) => a.Identifier));
    expect(ids.size).toBe(doc.Actions.length);
    const reached = new Set([doc.StartAction]);
    const queue = [doc.StartAction];
    while (queue.length) {
      const at = queue.shift();
      const a = doc.Actions.find((x) => x.Identifier === at);
      for (const t of a ? targetsOf(a) : []) {
        expect(ids).toContain(t);
        if (!reached.has(t)) {
          reached.add(t);
          queue.push(t);
        }
      }
    }
    expect([...ids].filter((id) => !reached.has(id))).toEqual([]);
  });

  it.each(FLOWS)(
    '%s: invokes only Keyline’s Lambdas, with STRING_MAP validation inside the 8 s ceiling',
    (_n, doc) => {
      for (const a of doc.Actions.filter((x) => x.Type === 'InvokeLambdaFunction')) {
        expect(Object.keys(ANSWERS)).toContain(a.Parameters.LambdaFunctionARN);
        expect(a.Parameters.ResponseValidation).toEqual({ ResponseType: 'STRING_MAP' });
        expect(Number(a.Parameters.InvocationTimeLimitSeconds)).toBeLessThanOrEqual(8);
      }
    },
  );

  it.each(FLOWS)('%s: reads only attributes the Lambda before it answers', (_n, doc) => {
    for (const a of doc.Actions) {
      const refs = externalRefs(a);
      if (!refs.length) continue;
      const before = lambdasBefore(doc, a.Identifier);
      expect(before.size, `${a.Identifier} reads $.External with no Lambda before it`).toBeGreaterThan(0);
      for (const arn of before)
        for (const ref of refs) expect(ANSWERS[arn], `${a.Identifier} ← ${arn}`).toContain(ref);
    }
  });

  it('keeps what the desktop and CCP read, sets the queue and priority from the screen pop, and speaks both languages', () => {
    const doc = inboundHotline(REFS);
    const by = (id: string) => doc.Actions.find((a) => a.Identifier === id) as FlowAction;
    expect(Object.keys(by('keep').Parameters.Attributes as object)).toEqual([...SCREEN_POP_KEPT]);
    expect(by('set-queue').Parameters.QueueId).toBe('$.External.routingQueue');
    expect(by('set-priority').Parameters.QueuePriority).toBe('$.External.priority');
    expect(by('default-queue').Parameters.QueueId).toBe(REFS.defaultQueue);
    expect(by('queue-hook').Parameters).toEqual({ EventHooks: { CustomerQueue: REFS.queueFlow } });
    // The menu: 1 track, 2 complaint, 3 callback, 0 agent, in Chinese and in English.
    for (const [lang, script] of [
      ['zh', /\p{Script=Han}/u],
      ['en', /^[\x20-\x7e]+$/],
    ] as const) {
      const menu = by(`menu-${lang}`);
      expect(String(menu.Parameters.Text)).toMatch(script);
      expect(menu.Transitions.Conditions?.map((c) => [c.Condition.Operands[0], c.NextAction])).toEqual([
        ['1', `ask-waybill-${lang}`],
        ['2', `ask-category-${lang}`],
        ['3', 'callback'],
        ['0', 'hours'],
      ]);
    }
    // Each attribute a later block reads was kept, or set by the flow itself.
    const kept = new Set<string>([...SCREEN_POP_KEPT, 'category', 'retried']);
    for (const a of doc.Actions)
      for (const m of JSON.stringify(a.Parameters).matchAll(/\$\.Attributes\.([A-Za-z0-9_-]+)/g))
        expect(kept, a.Identifier).toContain(m[1]);
  });

  it('speaks Chinese with a Chinese voice until the caller is known, then in the caller’s voice', () => {
    const doc = inboundHotline(REFS);
    const by = (id: string) => doc.Actions.find((a) => a.Identifier === id) as FlowAction;
    // Before any prompt: Connect's default voice (Joanna) would not speak the Chinese menu.
    const firstVoice = doc.Actions.findIndex((a) => a.Type === 'UpdateContactTextToSpeechVoice');
    const firstPrompt = doc.Actions.findIndex((a) => 'Text' in a.Parameters);
    expect(firstVoice).toBeGreaterThanOrEqual(0);
    expect(firstVoice).toBeLessThan(firstPrompt);
    expect(by('voice').Parameters).toEqual({ TextToSpeechVoice: VOICES.zh });
    // The contact's language is set to the hotline's, and the screen pop is told that one, never
    // Connect's $.LanguageCode (en-US until a flow sets it: an unknown caller would get English).
    expect(by('voice').Transitions.NextAction).toBe('contact-language');
    expect(by('contact-language')).toMatchObject({
      Type: 'UpdateContactData',
      Parameters: { LanguageCode: 'zh-CN' },
    });
    expect(by('lookup').Parameters.LambdaInvocationAttributes).toEqual({ language: 'zh-CN' });
    expect(JSON.stringify(doc)).not.toContain('$.LanguageCode');
    expect(by('keep').Transitions.NextAction).toBe('caller-voice');
    expect(by('caller-voice').Parameters).toEqual({ TextToSpeechVoice: '$.External.voiceId' });
    // The screen pop's voice for each language is one the flows use.
    const pop = (language: string) =>
      screenPopAttributes(
        {
          connectContactId: 'c',
          defaultQueue: 'q',
          queueArns: {},
          desktopUrl: 'https://x/',
          defaultLanguage: language,
        },
        'unknown',
      ).voiceId;
    expect([pop('zh-CN'), pop('en')]).toEqual([VOICES.zh, VOICES.en]);
    // The queue flow holds in the caller's language, in its voice.
    const q = customerQueue(REFS);
    const qBy = (id: string) => q.Actions.find((a) => a.Identifier === id) as FlowAction;
    expect(qBy('voice-zh').Parameters).toEqual({ TextToSpeechVoice: VOICES.zh });
    expect(qBy('voice-en').Parameters).toEqual({ TextToSpeechVoice: VOICES.en });
    const holds = (id: string) => (qBy(id).Parameters.Messages as { Text: string }[]).map((m) => m.Text);
    expect(holds('hold-zh')).toEqual([expect.stringMatching(/\p{Script=Han}/u)]);
    expect(holds('hold-en')).toEqual([expect.stringMatching(/^[\x20-\x7e]+$/)]);
  });

  it.each([
    // The hotline checks the hours first (an agent while open; after hours, see below).
    ['inbound hotline', inboundHotline(REFS), 'agent-if-open'],
    ['customer queue', customerQueue(REFS), 'hold'],
  ] as const)(
    '%s: a callback not booked goes to the agent the prompt promised; a booked one ends',
    (_n, doc, agent) => {
      const by = (id: string) => doc.Actions.find((a) => a.Identifier === id) as FlowAction;
      expect(by('say-callback').Transitions.NextAction).toBe('callback-done');
      const done = by('callback-done');
      const next = (scheduled: string) =>
        done.Transitions.Conditions?.find((c) => c.Condition.Operands[0] === scheduled)?.NextAction ??
        done.Transitions.Errors?.find((e) => e.ErrorType === 'NoMatchingCondition')?.NextAction;
      expect(done.Parameters.ComparisonValue).toBe('$.External.scheduled');
      expect(next('true')).toBe('end');
      expect(next('pending')).toBe('end');
      // "Please hold for an agent": what the Lambda answers when it could not book.
      const unbooked = ivrCallbackFallback('en', 'error');
      expect(unbooked.prompt).toMatch(/hold for an agent/);
      expect(next(String(unbooked.scheduled))).toBe(agent);
    },
  );

  it('"press 3 to be called back" when agents are busy listens for the 3', () => {
    const doc = inboundHotline(REFS);
    for (const l of ['zh', 'en']) {
      const busy = doc.Actions.find((a) => a.Identifier === `busy-${l}`) as FlowAction;
      expect(busy.Type).toBe('GetParticipantInput');
      expect(String(busy.Parameters.Text)).toMatch(/3/);
      expect(busy.Transitions.Conditions?.map((c) => [c.Condition.Operands[0], c.NextAction])).toEqual([
        ['3', 'callback'],
      ]);
    }
  });

  it('offers a callback in the queue after the threshold, and whispers what the dialer says', () => {
    const q = customerQueue(REFS);
    const wait = q.Actions.find((a) => a.Identifier === 'wait') as FlowAction;
    expect(wait.Parameters).toEqual({ MetricType: 'OldestContactInQueueAgeSeconds' });
    expect(wait.Transitions.Conditions?.[0]?.Condition).toEqual({
      Operator: 'NumberGreaterThan',
      Operands: ['120'],
    });
    const whisper = outboundWhisper();
    expect(whisper.Actions[0]?.Parameters).toEqual({ Text: '$.Attributes.whisper' });
  });
});

/** Blocks that only set something on the contact and go on. */
const PASS_THROUGH = [
  'UpdateContactTextToSpeechVoice',
  'UpdateContactTargetQueue',
  'UpdateContactRoutingBehavior',
];

/**
 * Walks a flow as Connect would from `from`, through the blocks that need no caller and no
 * Lambda (prompts, attribute updates, comparisons), to the block that waits on the caller or
 * the outside world. `external` is what the last Lambda answered.
 */
function walk(
  doc: FlowDocument,
  from: string,
  ctx: { external?: Record<string, unknown>; attributes?: Record<string, string> },
): { at: string; attributes: Record<string, string>; said: string[] } {
  const attributes = { ...ctx.attributes };
  const said: string[] = [];
  const value = (v: unknown) => {
    const s = String(v);
    const ext = /^\$\.External\.(.+)$/.exec(s);
    if (ext) return String(ctx.external?.[ext[1] as string] ?? '');
    const attr = /^\$\.Attributes\.(.+)$/.exec(s);
    return attr ? (attributes[attr[1] as string] ?? '') : s;
  };
  let at = from;
  for (let steps = 0; steps < 50; steps++) {
    const a = doc.Actions.find((x) => x.Identifier === at) as FlowAction;
    const error = (type: string) => a.Transitions.Errors?.find((e) => e.ErrorType === type)?.NextAction;
    if (a.Type === 'MessageParticipant') said.push(value(a.Parameters.Text));
    else if (a.Type === 'UpdateContactAttributes') {
      for (const [k, v] of Object.entries(a.Parameters.Attributes as Record<string, string>))
        attributes[k] = value(v);
    } else if (a.Type === 'Compare') {
      const v = value(a.Parameters.ComparisonValue);
      at = String(
        a.Transitions.Conditions?.find((c) => c.Condition.Operands[0] === v)?.NextAction ??
          error('NoMatchingCondition'),
      );
      continue;
    } else if (!PASS_THROUGH.includes(a.Type)) return { at, attributes, said };
    at = String(a.Transitions.NextAction);
  }
  throw new Error(`the flow loops from ${from} without waiting on anything`);
}

/** A contact-flow Lambda's view of one call, for the Lambdas' own answer functions. */
const flowOf = (parameters: Record<string, string>) =>
  ({
    contactId: 'c-flow',
    event: contactFlowEvent({ from: '+8613910012001', contactId: 'c-flow', parameters }),
    caller: { kind: 'number', e164: '+8613910012001' },
    flowLanguage: parameters.language as Lang,
    remainingMs: 3000,
  }) as Flow;

describe('what the hotline does after the caller hears a Lambda’s answer', () => {
  const doc = inboundHotline(REFS);

  it.each([
    ['en', 'en'],
    ['zh', 'zh-CN'],
  ] as const)(
    'a category not on the menu (%s): told to choose again, the caller is asked again',
    async (l, lang) => {
      const r = await ivrComplaint({} as never, flowOf({ category: '8', language: lang }));
      expect(r.attributes.prompt).toBe(t(lang, 'ivr.complaint.invalidCategory'));
      const next = walk(doc, 'say-complaint', { external: r.attributes, attributes: { language: lang } });
      expect(next.said).toEqual([t(lang, 'ivr.complaint.invalidCategory')]);
      expect(next.at).toBe(`ask-category-${l}`);
    },
  );

  it.each([
    ['en', 'en'],
    ['zh', 'zh-CN'],
  ] as const)(
    'a waybill that is not one (%s): told to key in the digits, the caller is asked for them again',
    async (l, lang) => {
      const r = await ivrTracking({} as never, flowOf({ waybill: '12#', language: lang }), (fn) =>
        fn(new AbortController().signal),
      );
      expect(r.attributes.prompt).toBe(t(lang, 'ivr.tracking.invalidWaybill'));
      const next = walk(doc, 'say-tracking', { external: r.attributes, attributes: { language: lang } });
      expect(next.said).toEqual([t(lang, 'ivr.tracking.invalidWaybill')]);
      expect(next.at).toBe(`ask-waybill-${l}`);
    },
  );

  it('a second invalid input in the same call goes to an agent, never round again (0 for an agent included)', async () => {
    for (const [from, lookupStatus] of [
      ['say-complaint', 'invalid'],
      ['say-tracking', 'invalid'],
    ] as const) {
      // The first time: asked again, and the call remembers it.
      const first = walk(doc, from, {
        external: { lookupStatus, prompt: 'p' },
        attributes: { language: 'zh-CN' },
      });
      expect(first.attributes.retried, from).toBe('true');
      expect(first.at).toMatch(/^ask-(category|waybill)-zh$/);
      // The second time (whichever prompt): an agent, by the hours check.
      const second = walk(doc, from, {
        external: { lookupStatus, prompt: 'p' },
        attributes: first.attributes,
      });
      expect(second.at, from).toBe('hours');
    }
  });

  it('a waybill found or not: back to the menu', async () => {
    const found = walk(doc, 'say-tracking', {
      external: { found: 'true', lookupStatus: 'ok', prompt: 'p' },
      attributes: { language: 'en' },
    });
    expect(found.at).toBe('menu-en');
    const unavailable = walk(doc, 'say-tracking', { external: ivrTrackingFallback('zh-CN', 'error') });
    expect(unavailable.at).toBe('menu-zh');
  });

  it.each(['lookup', 'keep'])(
    'when %s fails, the caller hears the Chinese menu, and the IVR Lambdas are told to speak Chinese too',
    (failing) => {
      const by = (id: string) => doc.Actions.find((a) => a.Identifier === id) as FlowAction;
      const onError = by(failing).Transitions.Errors?.find((e) => e.ErrorType === 'NoMatchingError');
      // An English contact on file: the screen pop's answer never reached the flow.
      const next = walk(doc, String(onError?.NextAction), { external: {} });
      expect(next.at).toBe('menu-zh');
      for (const id of ['track', 'complaint', 'callback']) {
        const { language } = by(id).Parameters.LambdaInvocationAttributes as { language: string };
        expect(language === '$.Attributes.language' ? next.attributes.language : language, id).toBe('zh-CN');
      }
    },
  );

  // Connect gave up on the Lambda (its 3 s ran out, or it was throttled): no $.External.prompt.
  it.each([
    ['track', 'ivr.tracking.unavailable', 'hours'],
    ['complaint', 'ivr.complaint.unconfirmed', 'hours'],
    ['callback', 'ivr.callback.unconfirmed', 'agent-if-open'],
  ] as const)(
    'when Connect gets no answer from %s, the caller is told so before an agent takes the call',
    (id, key, next) => {
      const by = (x: string) => doc.Actions.find((a) => a.Identifier === x) as FlowAction;
      const onError = by(id).Transitions.Errors?.find((e) => e.ErrorType === 'NoMatchingError')?.NextAction;
      for (const [l, lang] of [
        ['en', 'en'],
        ['zh', 'zh-CN'],
      ] as const) {
        const after = walk(doc, String(onError), { attributes: { language: lang } });
        expect(after.said, `${id} ${l}`).toEqual([t(lang, key)]);
        expect(after.at).toBe(next);
      }
    },
  );

  it('after hours, a callback that could not be booked tells the caller to call again, not to hold in a closed queue', () => {
    const by = (x: string) => doc.Actions.find((a) => a.Identifier === x) as FlowAction;
    // The closed hotline offers a callback; the Lambda could not book it (withheld number, a fault).
    const notBooked = walk(doc, 'callback-done', { external: { scheduled: 'false' } });
    expect(notBooked.at).toBe('agent-if-open');
    const hours = by('agent-if-open');
    expect(hours.Type).toBe('CheckHoursOfOperation');
    const next = (v: string) =>
      hours.Transitions.Conditions?.find((c) => c.Condition.Operands[0] === v)?.NextAction;
    expect(next('True')).toBe('transfer');
    for (const [l, lang] of [
      ['en', 'en'],
      ['zh', 'zh-CN'],
    ] as const) {
      const closed = walk(doc, String(next('False')), { attributes: { language: lang } });
      expect(closed.said, l).toEqual([t(lang, 'ivr.closedNoCallback')]);
      expect(closed.at).toBe('end');
    }
    // Booked (or being booked): the caller may hang up, open or not.
    expect(walk(doc, 'callback-done', { external: { scheduled: 'true' } }).at).toBe('end');
  });

  it('in the queue, when Connect gets no answer from the callback Lambda, the caller is told so and keeps holding', () => {
    const q = customerQueue(REFS);
    const callback = q.Actions.find((a) => a.Identifier === 'callback') as FlowAction;
    const onError = callback.Transitions.Errors?.find((e) => e.ErrorType === 'NoMatchingError')?.NextAction;
    for (const [l, lang] of [
      ['en', 'en'],
      ['zh', 'zh-CN'],
    ] as const) {
      const after = walk(q, String(onError), { attributes: { language: lang } });
      expect(after.said, l).toEqual([t(lang, 'ivr.callback.unconfirmed')]);
      expect(after.at).toBe(`hold-${l}`);
    }
  });
});
