import { describe, expect, it } from 'vitest';
import { checkJava, JavaMissingError } from '#local/dynamodb.ts';
import { loadEnv, TableEnv } from '#shared/platform/config.ts';

describe('loadEnv', () => {
  it('returns the parsed configuration', () => {
    expect(loadEnv(TableEnv, { TABLE_NAME: 'keyline-prod' })).toEqual({ TABLE_NAME: 'keyline-prod' });
  });

  it('fails fast naming the missing variable', () => {
    expect(() => loadEnv(TableEnv, {})).toThrow('Invalid configuration: TABLE_NAME: TABLE_NAME is required');
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
