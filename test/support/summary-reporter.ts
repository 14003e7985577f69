import type { Reporter, SerializedError, TestModule } from 'vitest/node';

export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Counts a run: each test by its state, plus one failure for every test file that failed without
 * a failing test of its own (a file that could not load, a `beforeAll` that threw: no Chromium, no
 * Java), and one for each error outside any test.
 */
export function summarize(modules: readonly TestModule[], unhandledErrors: readonly unknown[] = []): Summary {
  const s: Summary = { passed: 0, failed: 0, skipped: 0 };
  for (const m of modules) {
    let failedHere = 0;
    for (const t of m.children.allTests()) {
      const state = t.result().state;
      if (state === 'passed') s.passed++;
      else if (state === 'failed') failedHere++;
      else s.skipped++;
    }
    const fileFailed = m.state() === 'failed' || m.errors().length > 0;
    s.failed += failedHere + (fileFailed && failedHere === 0 ? 1 : 0);
  }
  s.failed += unhandledErrors.length;
  return s;
}

/** Prints one plain closing line, `N passed, N failed`, that CI tooling can read. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: readonly TestModule[], unhandledErrors: readonly SerializedError[]) {
    const { passed, failed, skipped } = summarize(modules, unhandledErrors);
    console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  }
}
