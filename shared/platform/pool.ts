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
