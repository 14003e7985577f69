import { describe, expect, it } from 'vitest';
import { pool } from '#shared/platform/pool.ts';

describe('pool', () => {
  it('runs at most n at a time, every item once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    await pool([1, 2, 3, 4, 5, 6, 7], 3, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(i);
      running--;
    });
    expect(peak).toBe(3);
    expect(seen.toSorted()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('starts no new item after a failure, and throws it', async () => {
    const started: number[] = [];
    await expect(
      pool([1, 2, 3, 4, 5, 6], 2, async (i) => {
        started.push(i);
        await new Promise((r) => setTimeout(r, 5));
        if (i === 2) throw new Error('down');
      }),
    ).rejects.toThrow('down');
    expect(started).toEqual([1, 2, 3]);
  });
});
