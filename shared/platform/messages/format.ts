import type { Lang } from './labels.ts';

/** How a time is written or spoken, per language: the SMS's short form, the IVR's spoken forms. */
export type TimeStyle = 'short' | 'short-zoned' | 'spoken' | 'spoken-hour' | 'spoken-day';

const STYLES: Record<TimeStyle, Record<Lang, [string, Intl.DateTimeFormatOptions]>> = {
  short: {
    'zh-CN': ['zh-CN', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }],
    en: ['en-GB', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }],
  },
  /** The zone's name alone ("GMT+8", "CET"), for `short-zoned`. */
  'short-zoned': {
    'zh-CN': ['zh-CN', { timeZoneName: 'short' }],
    en: ['en-GB', { timeZoneName: 'short' }],
  },
  spoken: {
    'zh-CN': ['zh-CN', { month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }],
    en: ['en-US', { month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }],
  },
  /** Chinese prompts say the hour only ("11月25日 15时"); English ones keep the minutes. */
  'spoken-hour': {
    'zh-CN': ['zh-CN', { month: 'long', day: 'numeric', hour: 'numeric' }],
    en: ['en-US', { month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }],
  },
  'spoken-day': {
    'zh-CN': [
      'zh-CN',
      { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' },
    ],
    en: ['en-US', { weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }],
  },
};

const cache = new Map<string, Intl.DateTimeFormat>();

/** An instant in a person's time zone, in their language. */
export function formatTime(iso: string, lang: Lang, timeZone: string, style: TimeStyle): string {
  if (style === 'short-zoned') {
    // The short form with its zone ("25/11, 15:00 (GMT+8)"), where a reader may be elsewhere.
    const zone = formatterFor('short-zoned', lang, timeZone)
      .formatToParts(new Date(iso))
      .find((p) => p.type === 'timeZoneName')?.value;
    const short = formatTime(iso, lang, timeZone, 'short');
    return zone ? (lang === 'zh-CN' ? `${short}（${zone}）` : `${short} (${zone})`) : short;
  }
  return formatterFor(style, lang, timeZone).format(new Date(iso));
}

function formatterFor(style: TimeStyle, lang: Lang, timeZone: string): Intl.DateTimeFormat {
  const key = `${style}|${lang}|${timeZone}`;
  let f = cache.get(key);
  if (!f) {
    const [locale, options] = STYLES[style][lang];
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    cache.set(key, f);
  }
  return f;
}

/** Digits read one by one, so Polly says "7 1 0 …" rather than a seven-billion number. */
export const spellDigits = (s: string) => s.split('').join(' ');

/** Text made safe inside HTML (an e-mail's body): every cell and line of a report or digest. */
export const escapeHtml = (v: string | number | boolean) =>
  String(v).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A percentage with one decimal, as agents read it. */
export const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
