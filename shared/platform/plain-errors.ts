/**
 * zod's messages in plain words, in English and Chinese, as a person reads them after a field
 * name: "share_of_wallet: must be at most 1" (不能大于 1) instead of "Too big: expected number to be
 * <=1". Importing this module installs the English for the whole process (`z.config`); what shows
 * these messages to people imports it (the HTTP layer, the import), the Connect functions do not.
 * The HTTP layer passes the Chinese when a request asks for it, with zod's Chinese locale for what
 * is not here. A code not listed here keeps zod's own wording.
 */
import * as z from 'zod';
import zhCN from 'zod/v4/locales/zh-CN.js';
import { refusalOf, render } from './messages/index.ts';
import { patternWords } from './worded-patterns.ts';

type Issue = z.core.$ZodRawIssue;

interface Words {
  /** Which of a registered pattern's words (worded-patterns.ts). */
  lang: 'en' | 'zh';
  required: string;
  type: (what: string, got: string | undefined) => string;
  types: Record<string, string>;
  oneOf: (values: string[]) => string;
  atMost: (n: string, unit?: string) => string;
  lessThan: (n: string) => string;
  atLeast: (n: string, unit?: string) => string;
  moreThan: (n: string) => string;
  empty: string;
  units: Record<string, string>;
  formats: Record<string, string>;
  regex: string;
  multipleOf: (n: string) => string;
  unknownFields: (keys: string[]) => string;
}

const EN: Words = {
  lang: 'en',
  required: 'is required',
  type: (what, got) => `must be ${what}${got === undefined ? '' : ` (got "${got}")`}`,
  types: {
    number: 'a number',
    int: 'a whole number',
    string: 'text',
    boolean: 'true or false',
    array: 'a list',
    object: 'an object',
    date: 'a date',
  },
  oneOf: (v) => (v.length === 1 ? `must be ${v[0]}` : `must be one of: ${v.join(', ')}`),
  atMost: (n, unit) => (unit ? `must have at most ${n} ${unit}` : `must be at most ${n}`),
  lessThan: (n) => `must be less than ${n}`,
  atLeast: (n, unit) => (unit ? `must have at least ${n} ${unit}` : `must be at least ${n}`),
  moreThan: (n) => `must be more than ${n}`,
  empty: 'must not be empty',
  units: { string: 'characters', array: 'items', set: 'items', map: 'entries' },
  formats: {
    email: 'must be an e-mail address',
    url: 'must be a URL (https://…)',
    datetime: 'must be a date and time with its offset, such as 2026-11-28T09:00:00+08:00',
    date: 'must be a date such as 2026-11-28',
    time: 'must be a time such as 09:30',
    e164: 'must be a phone number in international form, such as +8613800138000',
  },
  regex: 'is not in the expected form',
  multipleOf: (n) => `must be a multiple of ${n}`,
  unknownFields: (k) => `unknown field${k.length > 1 ? 's' : ''}: ${k.join(', ')}`,
};

const ZH: Words = {
  lang: 'zh',
  required: '必填',
  type: (what, got) => `应为${what}${got === undefined ? '' : `（收到 "${got}"）`}`,
  types: {
    number: '数字',
    int: '整数',
    string: '文本',
    boolean: 'true 或 false',
    array: '列表',
    object: '对象',
    date: '日期',
  },
  oneOf: (v) => (v.length === 1 ? `应为 ${v[0]}` : `应为以下之一：${v.join('、')}`),
  atMost: (n, unit) => (unit ? `最多 ${n} ${unit}` : `不能大于 ${n}`),
  lessThan: (n) => `应小于 ${n}`,
  atLeast: (n, unit) => (unit ? `至少 ${n} ${unit}` : `不能小于 ${n}`),
  moreThan: (n) => `应大于 ${n}`,
  empty: '不能为空',
  units: { string: '个字符', array: '项', set: '项', map: '项' },
  formats: {
    email: '应为电子邮件地址',
    url: '应为网址（https://…）',
    datetime: '应为带时区偏移的日期时间，如 2026-11-28T09:00:00+08:00',
    date: '应为日期，如 2026-11-28',
    time: '应为时间，如 09:30',
    e164: '应为国际格式的电话号码，如 +8613800138000',
  },
  regex: '格式不正确',
  multipleOf: (n) => `应为 ${n} 的倍数`,
  unknownFields: (k) => `未知字段：${k.join(', ')}`,
};

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));

function plain(w: Words, issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return w.required;
      return w.type(
        w.types[issue.expected] ?? issue.expected,
        typeof issue.input === 'string' ? issue.input : undefined,
      );
    case 'invalid_value':
      return w.oneOf(issue.values.map(show));
    case 'too_big': {
      const unit = w.units[issue.origin];
      const n = String(issue.maximum);
      return unit || issue.inclusive !== false ? w.atMost(n, unit) : w.lessThan(n);
    }
    case 'too_small': {
      const unit = w.units[issue.origin];
      const n = String(issue.minimum);
      if (unit && n === '1') return w.empty;
      return unit || issue.inclusive !== false ? w.atLeast(n, unit) : w.moreThan(n);
    }
    case 'invalid_format':
      if (issue.format !== 'regex') return w.formats[issue.format];
      return patternWords('pattern' in issue ? issue.pattern : undefined)?.[w.lang] ?? w.regex;
    case 'not_multiple_of':
      return w.multipleOf(String(issue.divisor));
    case 'unrecognized_keys':
      return w.unknownFields(issue.keys);
    case 'custom': {
      const ref = refusalOf(issue);
      return ref ? render(ref, w.lang === 'en' ? 'en' : 'zh-CN') : undefined;
    }
    default:
      return undefined;
  }
}

export const plainEnglish = (issue: Issue) => plain(EN, issue);

/** The Chinese words; the HTTP layer falls back to zod's Chinese locale for the rest. */
export const plainChinese = (issue: Issue) => plain(ZH, issue);

/** zod's Chinese locale, for the codes plainChinese leaves to zod. */
const zodChinese = zhCN().localeError;

/**
 * zod's messages in plain Chinese, as a parse option (`schema.safeParse(v, ZH_ERRORS)`): the HTTP
 * layer's for a request that prefers Chinese, the import's for its rows' Chinese reasons.
 */
export const ZH_ERRORS = {
  error: (issue: Issue) => plainChinese(issue) ?? zodChinese(issue),
};

z.config({ customError: plainEnglish });
