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
};
