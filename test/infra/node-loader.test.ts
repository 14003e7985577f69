import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const modules = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? modules(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );

describe('Node’s own ESM loader', () => {
  // Vitest bridges CommonJS packages more leniently than Node does; `npm run synth` and
  // `npm start` load these modules with Node itself (through tsx), so they are checked that way.
  it('loads every shared module and the CDK app’s stack, as synth and npm start do', async () => {
    const files = [...modules('shared'), 'infra/keyline-stack.ts'];
    const script = `for (const f of ${JSON.stringify(files)}) await import('./' + f);`;
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
    );
    expect(stderr).not.toMatch(/SyntaxError|does not provide an export/);
  }, 60_000);
});
