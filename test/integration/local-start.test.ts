/**
 * npm start stops with what launched it: killed npm (no signal passed on) takes the server and
 * DynamoDB Local with it. The script execs node, so node's parent is npm itself, not a shell
 * that outlives npm.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const answers = async (url: string) => {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
};

describe('npm start when npm itself is killed', () => {
  it('stops the server and DynamoDB Local', { timeout: 120_000 }, async () => {
    const npm = spawn('npm', ['start', '--', '--port', '0', '--no-demo'], {
      detached: true, // its own process group, so the test can always clean up
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' },
    });
    try {
      let out = '';
      const urls = await new Promise<{ api: string; dynamo: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${out}`)), 90_000);
        npm.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const api = /HTTP API\s+(http:\/\/\S+)/.exec(out)?.[1];
          const dynamo = /DynamoDB Local\s+(http:\/\/\S+)/.exec(out)?.[1];
          if (api && dynamo) {
            clearTimeout(timer);
            resolve({ api, dynamo });
          }
        });
      });
      expect(await answers(urls.api)).toBe(true);

      process.kill(npm.pid as number, 'SIGKILL'); // npm gone, no signal passed on

      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && ((await answers(urls.api)) || (await answers(urls.dynamo))))
        await new Promise((r) => setTimeout(r, 500));
      expect(await answers(urls.api)).toBe(false);
      expect(await answers(urls.dynamo)).toBe(false);
    } finally {
      try {
        process.kill(-(npm.pid as number), 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 3000));
      try {
        process.kill(-(npm.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
});
