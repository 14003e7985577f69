import { describe, expect, it } from 'vitest';
import type { TestModule } from 'vitest/node';
import { summarize } from '../support/summary-reporter.ts';

/** A test file as the reporter sees it: its state, its own errors, and its tests' states. */
const file = (state: string, tests: string[], errors: unknown[] = []) =>
  ({
    state: () => state,
    errors: () => errors,
    children: { allTests: () => tests.map((s) => ({ result: () => ({ state: s }) })) },
  }) as unknown as TestModule;

describe('the closing summary line', () => {
  it('counts tests by their state', () => {
    expect(summarize([file('passed', ['passed', 'passed']), file('failed', ['passed', 'failed'])])).toEqual({
      passed: 3,
      failed: 1,
      skipped: 0,
    });
  });

  it('counts a file whose beforeAll threw (its tests never ran) as a failure', () => {
    expect(summarize([file('failed', ['skipped', 'skipped'], [new Error('No Chromium found')])])).toEqual({
      passed: 0,
      failed: 1,
      skipped: 2,
    });
  });

  it('counts a file that could not even be loaded, and errors outside any test', () => {
    expect(
      summarize([file('failed', [], [new Error('Cannot find module')])], [new Error('unhandled')]),
    ).toEqual({
      passed: 0,
      failed: 2,
      skipped: 0,
    });
  });
});
