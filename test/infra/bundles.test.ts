import { readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { CONNECT_FUNCTIONS } from '#functions/index.ts';
import { LAMBDA_BUNDLE } from '#infra/bundling.ts';

const entries = readdirSync('functions', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `functions/${d.name}/handler.ts`);

/** The SDK's default credential chain and what only it loads. */
const CREDENTIAL_CHAIN =
  /node_modules\/(@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http|login)|nested-clients|token-providers)|@smithy\/credential-provider-imds)\//;

describe('Lambda bundles', () => {
  it('bundles every function with the shipped settings, in one esbuild run', async () => {
    const r = await build({
      entryPoints: entries,
      outdir: 'cdk.out/bundle-check',
      bundle: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      ...LAMBDA_BUNDLE,
      sourcemap: false,
      banner: { js: LAMBDA_BUNDLE.banner },
    });
    expect(r.errors).toEqual([]);
    const outputs = Object.values(r.metafile.outputs).filter((o) => o.entryPoint);
    expect(outputs.map((o) => o.entryPoint).sort()).toEqual([...entries].sort());
    for (const o of outputs) {
      const inputs = Object.keys(o.inputs);
      // The size budget, instead of esbuild's warning on every bundle over 1 MB: all under
      // 1.4 MiB (the largest carry zod whole: Powertools' parser imports it by name, locales and
      // all), the contact-flow Lambdas, whose cold start a caller waits for, under 800 KiB.
      const budget = CONNECT_FUNCTIONS.some((f) => f.entry === o.entryPoint) ? 800 * 1024 : 1.4 * 1024 * 1024;
      expect(o.bytes, `${o.entryPoint}: ${Math.round(o.bytes / 1024)} KiB`).toBeLessThan(budget);
      // Local-only code never ships: the local stack's adapters and the demo book stay out of every bundle.
      expect(inputs.filter((f) => f.startsWith('local/'))).toEqual([]);
      // The X-Ray SDK traces every function but the contact-flow Lambdas, whose cold start a caller hears.
      const contactFlow = CONNECT_FUNCTIONS.some((f) => f.entry === o.entryPoint);
      expect(inputs.some((f) => f.includes('node_modules/aws-xray-sdk-core/'))).toBe(!contactFlow);
      // Credentials come from the environment, as Lambda provides them: the SDK's default chain,
      // its STS/SSO clients and file, process and metadata providers stay out (infra/bundling.ts).
      expect(inputs.filter((f) => CREDENTIAL_CHAIN.test(f))).toEqual([]);
      if (o.entryPoint === 'functions/screen-pop/handler.ts') {
        // The screen pop's cold start is what a caller hears: no schema library, and under
        // 300 KiB in all (265 KiB measured by `npm run bench`).
        expect(inputs.filter((f) => f.includes('node_modules/zod/'))).toEqual([]);
        expect(o.bytes).toBeLessThan(300 * 1024);
      }
    }
  });
});
