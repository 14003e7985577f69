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

/**
 * The time allowed to each step of an IVR write. Amazon Connect waits 3 s for a Lambda by
 * default; lookup + write + hand-off stay well inside it (defaults 900 + 1,100 + 500 ms).
 */
export interface IvrTiming {
  /** Finding the caller: on expiry nothing was written, and the caller is told so. */
  lookupMs: number;
  /** The write: on expiry it may still land, so it is handed off and confirmed by SMS. */
  writeMs: number;
  /** Handing the write off to the queue. */
  handoffMs: number;
}
