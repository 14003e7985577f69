/**
 * Runs `fn` over the items, at most `concurrency` at a time. Once one call fails, no new item is
 * started; the calls already running finish, then the first failure is thrown.
 */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
      while (!failed && next < items.length) {
        const item = items[next++] as T;
        try {
          await fn(item);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    }),
  );
}

/** `pool`, keeping each call's answer in the items' order. */
export async function poolMap<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  const indexed = items.map((item, i) => [item, i] as const);
  await pool(indexed, concurrency, async ([item, i]) => {
    out[i] = await fn(item);
  });
  return out;
}
