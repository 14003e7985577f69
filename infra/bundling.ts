/**
 * How every Lambda is bundled: the CDK construct and the cold-start benchmark both use these, so
 * the benchmark measures the bundle that ships.
 */
export const LAMBDA_BUNDLE = {
  format: 'esm' as const,
  target: 'node22',
  platform: 'node' as const,
  minify: true,
  sourcemap: true,
  keepNames: true,
  mainFields: ['module', 'main'],
  // ESM bundles of CommonJS dependencies need a require() in scope.
  banner: "import { createRequire as __kl_cr } from 'node:module'; const require = __kl_cr(import.meta.url);",
  /**
   * Packages replaced in every bundle, paths relative to the repository root. The SDK's default
   * credential chain becomes the environment-only provider Lambda needs: the chain's other links
   * and their STS/SSO clients (some 140 KiB, parsed at every cold start) never run in Lambda.
   */
  alias: {
    '@aws-sdk/credential-provider-node': './shared/platform/dynamo/lambda-credentials.ts',
  } as Record<string, string>,
};
