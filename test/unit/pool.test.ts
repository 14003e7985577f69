import { describe, expect, it } from 'vitest';
import { pool, poolMap } from '#shared/platform/pool.ts';

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

describe('poolMap', () => {
  it('answers in the items’ order, n at a time', async () => {
    let running = 0;
    let peak = 0;
    const out = await poolMap([30, 5, 20, 1, 10], 2, async (ms) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return ms * 2;
    });
    expect(out).toEqual([60, 10, 40, 2, 20]);
    expect(peak).toBe(2);
  });
});
