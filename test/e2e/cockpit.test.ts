/// <reference lib="dom" />
// Roles and the key-account cockpit in headless Chromium, against the local stack.
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalServer, listen } from '#local/server.ts';
import { launchChromium } from '../support/browser.ts';
import { loadDemo, loadHistory } from '../support/demo.ts';

let server: Server;
let browser: Browser;
let page: Page;
let base: string;
const SHOTS = 'test-results/e2e';

beforeAll(async () => {
  await loadDemo();
  await loadHistory();
  // The desk's live feed is not what these tests watch: it stays quiet rather than load the machine.
  server = createLocalServer({ liveEveryMs: 60_000 });
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
    expect(await page.locator('#rows tr').first().locator('td').count()).toBe(3);
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

/** What a chart shows: per series, its name and how many points or bars it draws. */
const shown = (id: string) =>
  page.evaluate(
    `(() => { const o = globalThis.keylineCharts.get(${JSON.stringify(id)}).getOption();
      return o.series.map((s) => ({ name: s.name, type: s.type, points: s.data.length, data: s.data,
        marks: (s.markLine?.data ?? []).length })); })()`,
  ) as Promise<{ name: string; type: string; points: number; data: unknown[]; marks: number }[]>;

const api = (path: string, role = 'account-manager') =>
  page.evaluate(
    `fetch('/api${path}', { headers: { 'x-keyline-role': '${role}' } }).then((r) => r.json())`,
  ) as Promise<
    // biome-ignore lint/suspicious/noExplicitAny: read field by field
    any
  >;

describe('the key-account cockpit', () => {
  it('shows a manager the portfolio: the matrix, the monitoring quadrant, profit and CLV, with their thresholds', async () => {
    await page.locator('#open-cockpit').click();
    await page.waitForSelector('#cockpit[data-ready="portfolio"]');
    await page.waitForFunction(
      () => (globalThis as never as { keylineCharts: Map<string, unknown> }).keylineCharts.size === 4,
    );
    const portfolio = await api('/cockpit/portfolio');
    const active = portfolio.accounts.filter((a: { status: string }) => a.status === 'active');
    const matrix = await shown('matrix');
    expect(matrix.reduce((n, s) => n + s.points, 0)).toBe(active.length);
    expect(matrix.map((s) => s.name)).toEqual([
      'Key account',
      'High-growth prospect',
      'Loyal',
      'Low potential',
    ]);
    expect(matrix[0]?.marks).toBe(3); // high value, strong and small position
    const monitoring = await shown('monitoring');
    const removes = active.filter((a: { quadrant: string }) => a.quadrant === 'remove').length;
    expect(monitoring.find((s) => s.name === 'Remove')?.points).toBe(removes);
    const profit = await shown('profit');
    expect(profit[0]?.points).toBe(active.length);
    expect(profit[0]?.marks).toBe(1);
    // Each figure's table holds the chart's data.
    expect(await page.locator('[data-figure="matrix"] tbody tr').count()).toBe(active.length);
    // One full-page photograph holds every figure of the tab.
    await page.locator('#cockpit').screenshot({ path: `${SHOTS}/cockpit-portfolio.png` });
  });

  it('exports a chart’s table as CSV', async () => {
    const download = page.waitForEvent('download');
    await page.locator('[data-csv="profit"]').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('profit.csv');
    const { readFile } = await import('node:fs/promises');
    const text = await readFile((await file.path()) as string, 'utf8');
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Account,Tier,Expected profit with a dedicated team,Expected profit (mode in force)',
    );
    expect(lines).toHaveLength(1 + 15);
  });

  it('shows churn: the risk now with reasons, its trend, the backtest and the lost accounts', async () => {
    await page.locator('[data-tab="churn"][role="tab"]').click();
    await page.waitForSelector('#cockpit[data-ready="churn"]');
    await page.waitForFunction(
      () => (globalThis as never as { keylineCharts: Map<string, unknown> }).keylineCharts.size === 2,
    );
    const risk = await shown('risk');
    expect(risk[0]?.points).toBe(15);
    expect(
      await page.locator('[data-figure="risk"] tbody tr').first().locator('td').first().textContent(),
    ).toBe('Cuile Snack Foods');
    const trend = await shown('riskTrend');
    expect(trend.map((s) => s.points)).toEqual([27, 27]);
    expect(await page.locator('#backtest-line').textContent()).toMatch(
      /^Precision 50% · recall 50% · 1 caught, 1 missed, 1 false alarm/,
    );
    expect(await page.locator('section', { hasText: 'Lost accounts' }).locator('tbody tr').count()).toBe(2);
    await page.locator('#cockpit').screenshot({ path: `${SHOTS}/cockpit-churn.png` });
  });

  it('opens an account from a point of the matrix', async () => {
    await page.locator('[data-tab="portfolio"][role="tab"]').click();
    await page.waitForSelector('#cockpit[data-ready="portfolio"]');
    await page.waitForFunction(
      () => (globalThis as never as { keylineCharts: Map<string, unknown> }).keylineCharts.size === 4,
    );
    const at = (await page.evaluate(`(() => {
      const chart = globalThis.keylineCharts.get('matrix');
      // In view first: the point's pixel is read in the viewport, where the mouse clicks.
      chart.getDom().scrollIntoView({ block: 'center' });
      const s = chart.getOption().series.findIndex((x) => x.data.some((d) => d.id === 'acc-jinhe-grain'));
      const d = chart.getOption().series[s].data.find((x) => x.id === 'acc-jinhe-grain');
      const [x, y] = chart.convertToPixel({ seriesIndex: s }, d.value);
      const box = chart.getDom().getBoundingClientRect();
      return [box.left + x, box.top + y];
    })()`)) as [number, number];
    await page.mouse.click(at[0], at[1]);
    await page.waitForSelector('#detail-name');
    expect(await page.locator('#cockpit').isHidden()).toBe(true);
    expect(await page.locator('#detail-name').textContent()).toContain('金禾粮油集团');
  });

  it('gives a team lead the service analytics, in Chinese, and no portfolio', async () => {
    await page.locator('#role').selectOption('team-lead');
    await page.locator('#lang').click();
    await page.locator('#open-cockpit').click();
    await page.waitForSelector('#cockpit[data-ready="service"]');
    expect(await page.locator('[role="tab"]').count()).toBe(1);
    expect(await page.locator('#cockpit-title').textContent()).toBe('大客户驾驶舱');
    await page.waitForFunction(
      () => (globalThis as never as { keylineCharts: Map<string, unknown> }).keylineCharts.size === 12,
    );
    const service = await api('/cockpit/service?weeks=12', 'team-lead');
    const hours = await shown('callsByHour');
    const calls = service.perWeek.reduce((n: number, w: { inboundCalls: number }) => n + w.inboundCalls, 0);
    expect(((hours[0]?.data ?? []) as number[]).reduce((a, b) => a + b, 0)).toBe(calls);
    const regions = await page
      .locator('[data-figure="callsByRegion"] tbody td:first-child')
      .allTextContents();
    expect(regions).toContain('天津');
    const heat = await shown('onTime');
    expect(heat[0]?.type).toBe('heatmap');
    expect(await page.locator('[data-figure="onTime"] tbody tr').count()).toBeGreaterThan(10);
    expect((await shown('complaints')).length).toBe(8); // one stacked series per category
    // Every figure has its chart drawn and its table filled; the tab is photographed whole.
    const ids = await page
      .locator('[data-figure]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-figure')));
    expect(ids).toHaveLength(12);
    for (const id of ids) {
      expect((await shown(String(id))).length, String(id)).toBeGreaterThan(0);
      expect(await page.locator(`[data-figure="${id}"] tbody tr`).count(), String(id)).toBeGreaterThan(0);
    }
    await page.locator('#cockpit').screenshot({ path: `${SHOTS}/cockpit-service.png` });
    const reasons = await shown('outboundByReason');
    expect(reasons[0]?.points).toBeGreaterThan(0);
    await page.locator('#cockpit-close').click();
    await page.locator('#lang').click();
  });

  it('offers an agent no cockpit, and the API refuses it', async () => {
    await page.locator('#role').selectOption('agent');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#open-cockpit')?.hidden === true);
    expect((await api('/cockpit/service', 'agent')).error).toBe('forbidden');
    await page.locator('#role').selectOption('account-manager');
  });
});
