import { defineConfig } from 'vitest/config';

/** Tests that need DynamoDB Local share one engine per run; each file gets its own table. */
const withDynamo = {
  globalSetup: ['test/support/dynamodb-global-setup.ts'],
  setupFiles: ['test/support/integration-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // Two files at a time, on the 2-core CI machine too (vitest's default there is one): the
    // suite measured 200 s instead of 230–290 s, its timing tests unchanged (budgets hold).
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      // The CLI speaks the shell's language (LC_ALL, LC_MESSAGES, LANG): the tests that expect its
      // English run in English whatever the machine's locale; the Chinese ones set their own.
      LC_ALL: '',
      LC_MESSAGES: '',
      LANG: 'C.UTF-8',
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], ...withDynamo },
      },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], ...withDynamo } },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
