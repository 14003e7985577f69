/// <reference lib="dom" />
// Complaints as an agent meets them on a call, in headless Chromium against the local stack: the
// reference a caller quotes finds the complaint whatever its status, and the card's complaint form
// files a complaint on the account's own waybills only.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLocalServer, listen } from '#local/server.ts';
import { launchChromium } from '../support/browser.ts';
import { loadDemo } from '../support/demo.ts';

let server: Server;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  await loadDemo();
  server = createLocalServer({ liveEveryMs: 60_000 });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.addInitScript(() => localStorage.setItem('keyline.lang', 'zh-CN'));
  await page.addInitScript(() => localStorage.setItem('keyline.role', 'agent'));
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

beforeEach(async () => {
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]');
});

const post = (path: string, body: unknown) =>
  page.request.post(`${base}/api${path}`, { data: body, headers: { 'x-keyline-role': 'agent' } });

describe('the search box and a complaint reference', () => {
  it('finds a resolved complaint (awaiting its 回访) by the reference the caller quotes', async () => {
    const created = await (
      await post('/complaints', {
        accountId: 'acc-meilian-appliances',
        waybills: [],
        category: 'damage',
        severity: 'medium',
        channel: 'agent-phone',
        description: '冰箱外箱破损',
      })
    ).json();
    let c = await (
      await post(`/complaints/${created.id}/transitions`, { to: 'acknowledged', version: created.version })
    ).json();
    const search = async () => {
      await page.evaluate(() => document.querySelector('#find-results')?.replaceChildren());
      await page.fill('#find-q', created.reference);
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        (ref) =>
          document.querySelector('#find-results')?.textContent?.includes(ref) ||
          document.querySelector('#find-results li.muted'),
        created.reference,
      );
      return String(await page.locator('#find-results').textContent());
    };
    // While it is open, the reference finds it.
    expect(await search()).toContain(`#${created.reference}`);
    c = await (
      await post(`/complaints/${created.id}/transitions`, { to: 'resolved', version: c.version })
    ).json();
    expect(c.status).toBe('resolved');
    // The client calls back about it (or the 回访 call is returned), quoting its reference...
    expect(await search()).toContain(`#${created.reference}`);
    // ...and the result opens it.
    await page.click('#find-results button');
    await page.waitForFunction((ref) => document.body.textContent?.includes(ref), created.reference);
  });
});

describe('the card’s complaint form', () => {
  it('does not file a complaint on a waybill of another client', async () => {
    // Kangtai's vaccine shipment, typed into Jinhe's complaint form (the field is free text).
    await page.click('[data-caller="key-account"]');
    await page.waitForSelector('#card-name');
    await page.click('#new-complaint');
    await page.fill('#cf-waybill', '7100300000');
    await page.fill('#cf-description', '货物晚到');
    const answer = page.waitForResponse(
      (r) => r.url().endsWith('/api/complaints') && r.request().method() === 'POST',
    );
    await page.click('#cf-submit');
    const res = await answer;
    // Filed against Jinhe with Kangtai's waybill, the complaint would count against the wrong
    // account's shipment: refused, and the agent told why, in Chinese.
    expect(res.status()).toBe(400);
    await page.waitForSelector('#complaint-form .error');
    expect(await page.locator('#complaint-form .error').textContent()).toContain('不是该客户的运单');
    // Jinhe's own waybill files.
    await page.fill('#cf-waybill', '7100000000');
    const own = page.waitForResponse(
      (r) => r.url().endsWith('/api/complaints') && r.request().method() === 'POST',
    );
    await page.click('#cf-submit');
    expect((await own).status()).toBe(201);
  });
});
