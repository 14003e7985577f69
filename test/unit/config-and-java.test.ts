import { describe, expect, it } from 'vitest';
import { checkJava, JavaMissingError } from '#local/dynamodb.ts';
import { IvrWriteEnv, loadEnv, TableEnv } from '#shared/platform/config.ts';

describe('loadEnv', () => {
  it('returns the parsed configuration', () => {
    expect(loadEnv(TableEnv, { TABLE_NAME: 'keyline-prod' })).toEqual({ TABLE_NAME: 'keyline-prod' });
  });

  it('fails fast naming the missing variable', () => {
    expect(() => loadEnv(TableEnv, {})).toThrow('Invalid configuration: TABLE_NAME: TABLE_NAME is required');
  });
});

describe('the IVR writes’ time budgets', () => {
  const env = (lookup: string, write: string, handoff: string) => ({
    TABLE_NAME: 'keyline-prod',
    IVR_HANDOFF_QUEUE_URL: 'https://sqs.example/q',
    IVR_LOOKUP_BUDGET_MS: lookup,
    IVR_WRITE_BUDGET_MS: write,
    IVR_HANDOFF_BUDGET_MS: handoff,
  });

  it('accepts the shipped ones', () => {
    expect(loadEnv(IvrWriteEnv, env('900', '1100', '500'))).toMatchObject({ IVR_LOOKUP_BUDGET_MS: 900 });
  });

  // Each within its own bound, but together past the flow's 3 s: Connect gives up on the Lambda
  // while it still writes, and the caller is put through with no word of what was recorded.
  it('refuses budgets that together do not fit inside the contact flow’s 3 s', () => {
    expect(() => loadEnv(IvrWriteEnv, env('1500', '1500', '500'))).toThrow(
      /IVR_LOOKUP_BUDGET_MS \+ IVR_WRITE_BUDGET_MS \+ IVR_HANDOFF_BUDGET_MS/,
    );
  });
});

describe('checkJava', () => {
  it('explains how to install Java when the command is missing', () => {
    const err = (() => {
      try {
        checkJava('/nonexistent/java');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(JavaMissingError);
    expect((err as Error).message).toContain('DynamoDB Local needs Java 17 or newer');
    expect((err as Error).message).toContain('apt-get install -y openjdk-17-jre-headless');
  });

  it('accepts the Java on this machine', () => {
    expect(() => checkJava()).not.toThrow();
  });
});
