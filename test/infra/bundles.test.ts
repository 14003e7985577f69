import { readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { CONNECT_FUNCTIONS } from '#functions/index.ts';
import { LAMBDA_BUNDLE } from '#infra/bundling.ts';

const entries = readdirSync('functions', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `functions/${d.name}/handler.ts`);

describe('Lambda bundles', () => {
  it('bundles every function with the shipped settings, in one esbuild run', async () => {
    const r = await build({
      entryPoints: entries,
      outdir: 'cdk.out/bundle-check',
      bundle: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      format: LAMBDA_BUNDLE.format,
      target: LAMBDA_BUNDLE.target,
      platform: LAMBDA_BUNDLE.platform,
      minify: LAMBDA_BUNDLE.minify,
      keepNames: LAMBDA_BUNDLE.keepNames,
      mainFields: LAMBDA_BUNDLE.mainFields,
      banner: { js: LAMBDA_BUNDLE.banner },
    });
    expect(r.errors).toEqual([]);
    const outputs = Object.values(r.metafile.outputs).filter((o) => o.entryPoint);
    expect(outputs.map((o) => o.entryPoint).sort()).toEqual([...entries].sort());
    for (const o of outputs) {
      const inputs = Object.keys(o.inputs);
      // Local-only code never ships: the local stack's adapters and the demo book stay out of every bundle.
      expect(inputs.filter((f) => f.startsWith('local/'))).toEqual([]);
      // The X-Ray SDK traces every function but the contact-flow Lambdas, whose cold start a caller hears.
      const contactFlow = CONNECT_FUNCTIONS.some((f) => f.entry === o.entryPoint);
      expect(inputs.some((f) => f.includes('node_modules/aws-xray-sdk-core/'))).toBe(!contactFlow);
    }
  });
});
