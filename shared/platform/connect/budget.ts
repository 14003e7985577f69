export class BudgetExceeded extends Error {
  constructor(ms: number) {
    super(`lookup exceeded its time budget of ${ms} ms`);
    this.name = 'BudgetExceeded';
  }
}

/**
 * Runs `fn` with a deadline. On expiry the signal aborts the SDK calls and the promise rejects
 * with BudgetExceeded, so a Connect caller never waits on a slow dependency.
 */
export async function withBudget<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new BudgetExceeded(ms));
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
