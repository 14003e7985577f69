import { describe, expect, it } from 'vitest';
import { CATALOG, LABELS, LANGS, type MessageKey, render, t } from '#shared/platform/messages/index.ts';

/** Every parameter any message takes, with an ASCII value: what is Chinese in a text is the catalog's. */
const PARAMS = {
  spoken: '7 1 0 0 0 0 0 0 0 3',
  raw: '138 0013 800',
  region: 'CN',
  state: 'in-transit',
  milestone: 'exception',
  reason: 'weather',
  location: 'G4',
  when: 'Nov 25, 3 PM',
  category: 'damage',
  reference: '2 6 1 1 2 7 0 0 0 1',
  waybill: '7100000003',
  accountId: 'acc-jinhe-grain',
  status: 'resolved',
  contactId: 'jinhe-zhao',
  eta: '25/11, 15:00',
  accountName: 'Jinhe',
  account: 'Jinhe Grain & Oil',
  tier: 'key account',
  hours: 30,
  count: 4,
  link: 'https://desk.example.com/accounts/acc-jinhe-grain/shipments',
  inTransit: 5,
  delayed: 2,
  severity: 'critical',
  level: 2,
  score: 2,
  accepted: false,
  waybills: ['7100000003', '7100000004'],
  rate: 0.91,
  commitment: 0.98,
  detail: 'DestinationNotAllowedException',
  column: 'waybill',
  more: true,
  days: 30,
  conflicts: ['key-in-remove', 'no-dedicated-team'],
  teams: ['ka-grain-oil', 'ka-cold-chain'],
  segment: 'pharma',
  remedies: ['temperature-check', 'quality-release'],
  lines: ['rice', 'flour'],
  field: 'promisedAt',
  drop: 0.45,
  baseline: 22,
  recent: 12,
  from: 0.97,
  to: 0.88,
  complaints: 3,
  breaches: 1,
  weeks: 4,
  average: 2.5,
  manager: 'Wang',
  week: '2026-W48',
  atRisk: 2,
  due: '2026-12-31',
  overdue: true,
  reasons: { 'zh-CN': 'shipments -45%', en: 'shipments -45%' },
  name: 'Feng Tao',
  kept: 2,
  id: 'c-01',
  row: 3,
  value: 'pharma',
  missing: ['segment'],
  unknown: ['colour'],
  expected: 'account_id,name',
  at: '2026-11-25T07:00:00.000Z',
  receivedAt: '2026-11-25T07:30:00.000Z',
  minutes: 45,
  max: 15,
};

const KEYS = Object.keys(CATALOG) as MessageKey[];
const CJK = /[\u3400-\u9fff]/;

describe('the message catalog', () => {
  it.each(KEYS)('has %s in both languages', (key) => {
    const zh = t('zh-CN', key, PARAMS as never);
    const en = t('en', key, PARAMS as never);
    for (const text of [zh, en]) {
      expect(text.trim()).not.toBe('');
      expect(text).not.toMatch(/undefined|NaN|\[object Object\]/);
    }
    expect(CJK.test(en)).toBe(false);
    // SNS subjects are ASCII on purpose; every other text reads in the reader's language.
    if (key === 'complaint.escalated.subject') expect(zh).toBe(en);
    else expect(CJK.test(zh)).toBe(true);
  });

  it.each(Object.keys(LABELS))('names every %s in both languages', (kind) => {
    for (const label of Object.values(LABELS[kind as keyof typeof LABELS])) {
      for (const lang of LANGS) expect(label[lang].trim()).not.toBe('');
      expect(CJK.test(label['zh-CN'])).toBe(true);
      expect(CJK.test(label.en)).toBe(false);
    }
  });

  it('renders a stored reference in the reader’s language', () => {
    const ref = { key: 'complaint.history.escalated' as const, params: { level: 2 } };
    expect(render(ref, 'en')).toBe('L2 key-account manager');
    expect(render(ref, 'zh-CN')).toBe('升级至 L2 大客户经理');
  });
});
