/**
 * What a pattern-checked field must look like, in English and Chinese. A message fixed on the
 * schema (`.regex(re, 'use …')`) would win over the language the HTTP layer asks for, so a
 * Chinese desktop would read English; a pattern registered here is worded by plain-errors.ts in
 * the reader's language instead. Registering installs nothing in zod, so a model module can use
 * it without plain-errors' process-wide config (the Connect functions do not load it).
 */
const WORDS = new Map<string, { en: string; zh: string }>();

/** `pattern`, with what it asks for in both languages. */
export function worded(pattern: RegExp, en: string, zh: string): RegExp {
  WORDS.set(String(pattern), { en, zh });
  return pattern;
}

/** The words of a registered pattern, by a zod issue's `pattern` (the regex as text). */
export const patternWords = (pattern: string | undefined) =>
  pattern === undefined ? undefined : WORDS.get(pattern);
