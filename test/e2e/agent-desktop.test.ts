/// <reference lib="dom" />
// Callbacks passed to page.evaluate / waitForFunction run in the browser, hence the DOM types.
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '#local/demo/accounts.ts';
import { loadDemoData } from '#local/demo/load.ts';
import { createLocalServer, listen } from '#local/server.ts';
import { AccountStore } from '#shared/store/accounts.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import { launchChromium } from '../support/browser.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

let server: Server;
let browser: Browser;
let page: Page;
let base: string;

beforeAll(async () => {
  await loadDemoData(new AccountStore(createDocumentClient(), TABLE_NAME()));
  server = createLocalServer();
  base = `http://127.0.0.1:${await listen(server, 0)}`;
  browser = await launchChromium();
  page = await browser.newPage();
  await page.addInitScript(() => localStorage.setItem('keyline.lang', 'zh-CN'));
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

describe('agent desktop in headless Chromium', () => {
  it('lists the demo book, key accounts first, with their tier', async () => {
    await page.goto(base);
    await page.waitForSelector('#rows tr');
    const rows = page.locator('#rows tr');
    expect(await rows.count()).toBe(DEMO_ACCOUNTS.length);
    expect(await page.locator('#count').textContent()).toBe(`共 ${DEMO_ACCOUNTS.length} 个客户`);
    expect(await rows.first().locator('[data-tier]').getAttribute('data-tier')).toBe('key');
    expect(await rows.last().locator('[data-tier]').getAttribute('data-tier')).toBe('low-potential');
  });

  it('opens an account’s record with its prioritization and contacts', async () => {
    await page.locator('#rows tr[data-id="acc-jinhe-grain"]').click();
    await page.waitForSelector('#detail-name');
    expect(await page.locator('#detail-name').textContent()).toContain('金禾粮油集团');
    expect(await page.locator('#detail-name [data-tier]').textContent()).toBe('关键客户');
    const contacts = page.locator('#detail [data-contact]');
    expect(await contacts.count()).toBe(3);
    expect(await page.locator('#detail').textContent()).toContain('+8613910012001');
  });

  it('filters by tier and by name text', async () => {
    await page.selectOption('#tier', 'high-growth');
    await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 4);
    const tiers = await page
      .locator('#rows [data-tier]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-tier')));
    expect(new Set(tiers)).toEqual(new Set(['high-growth']));
    await page.selectOption('#tier', '');
    await page.fill('#q', 'kangtai');
    await page.waitForFunction(() => document.querySelectorAll('#rows tr').length === 1);
    expect(await page.locator('#rows tr').getAttribute('data-id')).toBe('acc-kangtai-pharma');
    await page.fill('#q', '');
  });

  it('switches to English and back', async () => {
    await page.click('#lang');
    expect(await page.locator('#book-title').textContent()).toBe('Key-account book');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.click('#lang');
    expect(await page.locator('#book-title').textContent()).toBe('大客户名录');
  });

  it('serves the OpenAPI document generated from the route schemas', async () => {
    const res = await page.request.get(`${base}/openapi.json`);
    const doc = await res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/accounts', '/accounts/{id}', '/accounts/{id}/contacts']),
    );
    expect(doc.components.schemas.AccountInput.properties.contacts).toBeDefined();
  });
});
