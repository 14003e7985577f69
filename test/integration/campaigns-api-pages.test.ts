/**
 * GET /campaigns and GET /campaigns/{id}/callbacks a page at a time: `limit` and the opaque `next`
 * token of the page before; a token that is not one of that list's is a 400 naming query.next.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { campaignRoutes } from '#functions/campaigns/routes.ts';
import { AccountInput } from '#shared/accounts/model.ts';
import { Accounts } from '#shared/accounts/service.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { accountBody, TABLE_NAME } from '../support/fixtures.ts';
import { apiClient } from '../support/http.ts';

let api: ReturnType<typeof apiClient>;
const ACCOUNT = 'acc-pages';
const CONTACTS = 7;
let campaignId = '';

beforeAll(async () => {
  const db = createDocumentClient();
  await new Accounts(db, TABLE_NAME()).save(
    ACCOUNT,
    AccountInput.parse(
      accountBody({
        contacts: Array.from({ length: CONTACTS }, (_, i) => ({
          id: `c-pages-${i}`,
          name: `联系人${i}`,
          phones: [{ number: `+86139500000${String(i).padStart(2, '0')}`, label: 'mobile' as const }],
          consent: { calls: true, sms: true, email: true },
        })),
      }),
    ),
  );
  db.destroy();
  api = apiClient((await import('#functions/campaigns/handler.ts')).handler, campaignRoutes);
  for (let i = 0; i < 5; i++) {
    const res = await api('POST', '/campaigns', {
      name: `pages ${i}`,
      type: 'account-review',
      audience: { accountIds: [ACCOUNT], onePerAccount: false },
    });
    expect(res.status).toBe(201);
    campaignId = res.json.id;
  }
});

/** Every item of a list, following `next` from page to page. */
async function walk(url: string, limit: number) {
  const pages: { id: string }[][] = [];
  let next: string | undefined;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const res = await api(
      'GET',
      `${url}${sep}limit=${limit}${next ? `&next=${encodeURIComponent(next)}` : ''}`,
    );
    expect(res.status).toBe(200);
    expect(res.json.items.length).toBeLessThanOrEqual(limit);
    pages.push(res.json.items);
    next = res.json.next;
  } while (next);
  return pages;
}

describe('GET /campaigns', () => {
  it('answers a page of `limit` newest first, and the rest through `next`, each once', async () => {
    const first = await api('GET', '/campaigns?limit=2');
    expect(first.json.items).toHaveLength(2);
    expect(typeof first.json.next).toBe('string');
    const pages = await walk('/campaigns', 2);
    const ids = pages.flat().map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(campaignId);
    expect(ids.length).toBeGreaterThanOrEqual(5);
  });

  it('pages one status alone', async () => {
    const pages = await walk('/campaigns?status=draft', 3);
    expect(pages.flat().every((c) => (c as { status?: string }).status === 'draft')).toBe(true);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['JSON that is no key', Buffer.from('[1,2]').toString('base64url')],
    ['a key of another list', Buffer.from(JSON.stringify({ pk: 'X', sk: 'Y' })).toString('base64url')],
  ])('answers 400 naming query.next for a token that is %s, in both languages', async (_, token) => {
    for (const [lang, words] of [
      ['en', /page token/],
      ['zh-CN', /翻页标记无效/],
    ] as const) {
      const res = await api('GET', `/campaigns?next=${encodeURIComponent(token)}`, undefined, {
        'accept-language': lang,
      });
      expect(res.status).toBe(400);
      expect(res.json.errors).toEqual([{ path: 'query.next', message: expect.stringMatching(words) }]);
    }
  });

  it.each(['0', '101', 'ten'])('answers 400 naming query.limit for limit=%s', async (limit) => {
    const res = await api('GET', `/campaigns?limit=${limit}`);
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(['query.limit']);
  });
});

describe('GET /campaigns/{id}/callbacks', () => {
  it('answers the callbacks a page at a time, each once', async () => {
    const pages = await walk(`/campaigns/${campaignId}/callbacks`, 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(new Set(pages.flat().map((c) => c.id)).size).toBe(CONTACTS);
  });

  it('refuses the token of another campaign’s list', async () => {
    const other = await api('GET', '/campaigns?limit=1');
    const res = await api(
      'GET',
      `/campaigns/${campaignId}/callbacks?next=${encodeURIComponent(other.json.next)}`,
    );
    expect(res.status).toBe(400);
    expect(res.json.errors[0].path).toBe('query.next');
  });
});
