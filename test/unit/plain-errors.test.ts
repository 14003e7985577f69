import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ContactInput } from '#shared/accounts/model.ts';
import { zodIssuesToFieldErrors } from '#shared/platform/errors.ts';
import { plainChinese } from '#shared/platform/plain-errors.ts';
import { Waybill } from '#shared/shipments/model.ts';

const Schema = z.object({
  share: z.number().max(1),
  segment: z.enum(['fmcg', 'pharma']),
  name: z.string().min(1),
  count: z.number(),
  at: z.iso.datetime({ offset: true }),
  email: z.email(),
  whole: z.number().int(),
  tags: z.array(z.string()).max(2),
  rate: z.number().gt(0),
});
const bad = {
  share: 2,
  segment: 'toys',
  name: '',
  count: 'abc',
  at: 'yesterday',
  email: 'nope',
  whole: 1.5,
  tags: ['a', 'b', 'c'],
  rate: 0,
};

describe('validation messages in plain words', () => {
  it('says in English what a field must be, after its name', () => {
    expect(zodIssuesToFieldErrors(Schema.safeParse(bad).error?.issues ?? [])).toEqual([
      { path: 'share', message: 'must be at most 1' },
      { path: 'segment', message: 'must be one of: "fmcg", "pharma"' },
      { path: 'name', message: 'must not be empty' },
      { path: 'count', message: 'must be a number (got "abc")' },
      { path: 'at', message: 'must be a date and time with its offset, such as 2026-11-28T09:00:00+08:00' },
      { path: 'email', message: 'must be an e-mail address' },
      { path: 'whole', message: 'must be a whole number' },
      { path: 'tags', message: 'must have at most 2 items' },
      { path: 'rate', message: 'must be more than 0' },
    ]);
    expect(zodIssuesToFieldErrors(Schema.safeParse({}).error?.issues ?? [])[0]).toEqual({
      path: 'share',
      message: 'is required',
    });
  });

  it('says a phone without its number is missing, in the reader’s language', () => {
    const phoneless = { name: '王', phones: [{ label: 'mobile' }] };
    expect(zodIssuesToFieldErrors(ContactInput.safeParse(phoneless).error?.issues ?? [])).toEqual([
      { path: 'phones.0.number', message: 'is required' },
    ]);
    const zh = ContactInput.safeParse(phoneless, { error: plainChinese }).error?.issues ?? [];
    expect(zodIssuesToFieldErrors(zh)).toEqual([{ path: 'phones.0.number', message: '必填' }]);
  });

  it('and in Chinese, for a reader who asks for it', () => {
    const issues = Schema.safeParse(bad, { error: plainChinese }).error?.issues ?? [];
    expect(zodIssuesToFieldErrors(issues).map((e) => e.message)).toEqual([
      '不能大于 1',
      '应为以下之一："fmcg"、"pharma"',
      '不能为空',
      '应为数字（收到 "abc"）',
      '应为带时区偏移的日期时间，如 2026-11-28T09:00:00+08:00',
      '应为电子邮件地址',
      '应为整数',
      '最多 2 项',
      '应大于 0',
    ]);
  });

  it('words a waybill the pattern refuses in the reader’s language (a schema message would be English only)', () => {
    const en = zodIssuesToFieldErrors(Waybill.safeParse('sf-71000').error?.issues ?? []);
    expect(en).toEqual([{ path: '(root)', message: 'use 6–20 digits or capital letters' }]);
    const zh = Waybill.safeParse('sf-71000', { error: plainChinese }).error?.issues ?? [];
    expect(zodIssuesToFieldErrors(zh)).toEqual([{ path: '(root)', message: '应为 6–20 位数字或大写字母' }]);
  });
});
