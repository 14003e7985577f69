/**
 * The one message catalog: every text a caller hears or a client or agent reads from the server,
 * in zh-CN and en. Code asks for a message by key (`t(lang, key, params)`), never picks a language
 * with a ternary; a test checks that every key renders in both languages.
 */
import { ALERTS } from './alerts.ts';
import { CHURN, DIGEST } from './churn.ts';
import { IMPORTS } from './imports.ts';
import { IVR } from './ivr.ts';
import type { Lang } from './labels.ts';
import { REFUSALS } from './refusals.ts';
import { SERVICE } from './service.ts';

export { escapeHtml, formatTime, pct, spellDigits, type TimeStyle } from './format.ts';
export { LABELS, type Label, type Lang, label } from './labels.ts';

export const CATALOG = { ...IVR, ...ALERTS, ...SERVICE, ...REFUSALS, ...IMPORTS, ...CHURN, ...DIGEST };
export type MessageKey = keyof typeof CATALOG;
export type ParamsOf<K extends MessageKey> = Parameters<(typeof CATALOG)[K]['en']>[0];

export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

/** A stored or requested language, read as one of ours: `en…` is English, anything else Chinese. */
export function langOf(value: string | null | undefined): Lang {
  return value?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** A message in one language. */
export function t<K extends MessageKey>(
  lang: Lang,
  key: K,
  ...params: object extends ParamsOf<K> ? [ParamsOf<K>?] : [ParamsOf<K>]
): string {
  const render = CATALOG[key][lang] as (p: unknown) => string;
  return render(params[0] ?? {});
}

/** A message in both languages (stored records, views both audiences read). */
export function both<K extends MessageKey>(
  key: K,
  ...params: object extends ParamsOf<K> ? [ParamsOf<K>?] : [ParamsOf<K>]
): Record<Lang, string> {
  return { 'zh-CN': t('zh-CN', key, ...params), en: t('en', key, ...params) };
}

/** A message as one stored text both audiences read: `中文 · English` (system notes on records). */
export function inBoth<K extends MessageKey>(
  key: K,
  ...params: object extends ParamsOf<K> ? [ParamsOf<K>?] : [ParamsOf<K>]
): string {
  const b = both(key, ...params);
  return `${b['zh-CN']} · ${b.en}`;
}

/** A stored reference to a message: the key and what renders it. */
export interface MessageRef {
  key: MessageKey;
  params?: Record<string, unknown>;
}

/** Renders a stored reference (unknown keys from older records come back as the key itself). */
export function render(ref: MessageRef, lang: Lang): string {
  const m = (CATALOG as Record<string, Record<Lang, (p: unknown) => string>>)[ref.key];
  return m ? m[lang](ref.params ?? {}) : ref.key;
}

/** A field error in both languages, from the catalog: English as the message, Chinese beside it. */
export function fieldError<K extends MessageKey>(
  path: string,
  key: K,
  ...params: object extends ParamsOf<K> ? [ParamsOf<K>?] : [ParamsOf<K>]
): { path: string; message: string; messageZh: string } {
  const b = both(key, ...params);
  return { path, message: b.en, messageZh: b['zh-CN'] };
}

/**
 * A schema check's refusal worded from the catalog (`.refine(ok, refusal(key))`): the HTTP layer's
 * error maps render it in the client's language (plain-errors.ts), where a message fixed on the
 * schema would always be English.
 */
export function refusal<K extends MessageKey>(
  key: K,
  ...params: object extends ParamsOf<K> ? [ParamsOf<K>?] : [ParamsOf<K>]
): { params: { message: MessageRef } } {
  return {
    params: { message: { key, ...(params[0] ? { params: params[0] as Record<string, unknown> } : {}) } },
  };
}

/** The catalog reference a refusal (above) put on a zod issue, if any. */
export function refusalOf(issue: {
  code?: string;
  params?: Record<string, unknown>;
}): MessageRef | undefined {
  const ref = issue.code === 'custom' ? issue.params?.message : undefined;
  return ref && typeof ref === 'object' && 'key' in ref ? (ref as MessageRef) : undefined;
}
