/// <reference lib="dom" />
// Roles and the key-account cockpit in headless Chromium, against the local stack.
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalServer, listen } from '#local/server.ts';
import { launchChromium } from '../support/browser.ts';
import { loadDemo } from '../support/demo.ts';

let server: Server;
let browser: Browser;
let page: Page;
let base: string;
const SHOTS = 'test-results/e2e';

beforeAll(async () => {
  await loadDemo();
  server = createLocalServer({ liveEveryMs: 500 });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.addInitScript(() => localStorage.setItem('keyline.lang', 'en'));
  await mkdir(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

const openJinhe = async () => {
  await page.locator('#rows tr[data-id="acc-jinhe-grain"]').click();
  await page.waitForSelector('#detail-name');
};

describe('roles in the desktop (local role switch)', () => {
  it('starts as a key-account manager: economics, the review and the quadrant column', async () => {
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#role').inputValue()).toBe('account-manager');
    expect(await page.locator('th[data-i18n="colQuadrant"]').isVisible()).toBe(true);
    await openJinhe();
    expect(await page.locator('#detail h3', { hasText: 'Value and priority' }).count()).toBe(1);
    expect(await page.locator('#review-form').count()).toBe(1);
    expect(await page.locator('#campaign-box').count()).toBe(1);
  });

  it('as an agent shows no economics, no review, no campaign set-up: the API sends none', async () => {
    const answered: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/accounts/acc-jinhe-grain')) answered.push(`${r.status()} ${r.url()}`);
    });
    await page.locator('#role').selectOption('agent');
    await page.waitForFunction(
      () => !document.querySelector('#review-form') && document.querySelector('#detail-name'),
    );
    expect(await page.locator('th[data-i18n="colQuadrant"]').isVisible()).toBe(false);
    expect(await page.locator('#rows tr').first().locator('td').count()).toBe(4);
    expect(await page.locator('#detail h3', { hasText: 'Value and priority' }).count()).toBe(0);
    expect(await page.locator('#detail h3', { hasText: 'Service and routing' }).count()).toBe(1);
    expect(await page.locator('#campaign-box').count()).toBe(0);
    expect(await page.locator('#open-pack').count()).toBe(0);
    // What the desktop fetched as an agent carries no economics (the API enforces it).
    const account = await page.evaluate(
      `fetch('/api/accounts/acc-jinhe-grain', { headers: { 'x-keyline-role': 'agent' } }).then((r) => r.json())`,
    );
    expect((account as { economics?: unknown }).economics).toBeUndefined();
    expect(answered.every((a) => a.startsWith('200'))).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('keyline.role'))).toBe('agent');
    await page.screenshot({ path: `${SHOTS}/role-agent.png` });
  });

  it('as a team lead shows campaigns and the review pack, still no economics', async () => {
    await page.locator('#role').selectOption('team-lead');
    await page.waitForSelector('#open-pack');
    expect(await page.locator('#campaign-box').count()).toBe(1);
    expect(await page.locator('#detail h3', { hasText: 'Value and priority' }).count()).toBe(0);
    await page.locator('#role').selectOption('account-manager');
    await page.waitForSelector('#review-form');
  });
});
