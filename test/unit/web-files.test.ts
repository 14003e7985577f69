import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every JavaScript file under web/, recursively. */
async function webFiles(dir = 'web'): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) =>
      e.isDirectory() ? webFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]),
    ),
  );
  return nested.flat().filter((f) => f.endsWith('.js'));
}

describe('the desktop’s files', () => {
  it('keeps every web/ module under 400 lines', async () => {
    const long: string[] = [];
    for (const f of await webFiles()) {
      const lines = (await readFile(f, 'utf8')).split('\n').length;
      if (lines > 400) long.push(`${f}: ${lines}`);
    }
    expect(long).toEqual([]);
  });
});
