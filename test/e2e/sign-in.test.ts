/// <reference lib="dom" />
// The deployed desktop's sign-in (Cognito hosted UI, PKCE, a public app client) in headless
// Chromium, against the local API with a deployed config.json: the ID token lives an hour
// (infra/constructs/http-api.ts), the shift longer. page.clock moves the hour on.
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocalServer, listen } from '#local/server.ts';
import { launchChromium } from '../support/browser.ts';
import { loadDemo } from '../support/demo.ts';

let server: Server;
let browser: Browser;
let base: string;
let ctx: BrowserContext | undefined;

beforeAll(async () => {
  await loadDemo();
  server = createLocalServer({ liveEveryMs: 60_000 });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

afterEach(async () => {
  // A context whose page was sent off to the hosted UI under an installed clock sometimes never
  // finishes closing (Chromium, about one run in four here); the browser, closed after all, ends it.
  const closing = ctx?.close();
  ctx = undefined;
  await Promise.race([closing, new Promise((r) => setTimeout(r, 5_000))]);
});

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** An ID token as Cognito issues one for the desktop (the signature is the authorizer's business). */
const idToken = (exp: number, sub = 'agent-1') =>
  `${b64({ alg: 'RS256' })}.${b64({ sub, 'cognito:groups': ['agents'], exp })}.sig`;
const expOf = (authorization: string) =>
  JSON.parse(Buffer.from(authorization.split('.')[1] ?? 'e30', 'base64url').toString()).exp;

interface Desk {
  page: Page;
  /** The Authorization headers the API received. */
  sent: string[];
  /** Requests to the hosted UI's authorize endpoint (the agent sent to sign in). */
  authorize: string[];
  /** Bodies posted to the token endpoint. */
  tokenCalls: URLSearchParams[];
}

/**
 * The desktop as deployed (keyline-stack.ts's config.json) with a stored session; the API
 * refuses `refused(exp)` with 401 as API Gateway's JWT authorizer does an expired token.
 */
async function deployedDesk(o: {
  token: string;
  refreshToken?: string;
  refused: (exp: number) => boolean;
  /** The token endpoint's answer; `status: 0` is a network error (no answer at all). */
  tokenEndpoint?: (body: URLSearchParams) => { status: number; body: unknown };
}): Promise<Desk> {
  ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  await page.addInitScript(
    ([tk, rt]) => {
      if (!sessionStorage.getItem('keyline.idToken')) {
        sessionStorage.setItem('keyline.idToken', tk as string);
        if (rt) sessionStorage.setItem('keyline.refreshToken', rt);
      }
      localStorage.setItem('keyline.lang', 'zh-CN');
    },
    [o.token, o.refreshToken],
  );
  await page.route('**/config.json', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        mode: 'local-api',
        apiBase: '/api',
        auth: { domain: `${base}/cognito`, clientId: 'desk' },
        callers: [],
        teams: {},
        liveEveryMs: 60_000,
      }),
    }),
  );
  const desk: Desk = { page, sent: [], authorize: [], tokenCalls: [] };
  await page.route('**/api/**', (route: Route) => {
    const auth = route.request().headers().authorization ?? '';
    desk.sent.push(auth);
    if (o.refused(expOf(auth)))
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: '{"message":"Unauthorized"}',
      });
    return route.continue();
  });
  await page.route('**/cognito/**', (route: Route) => {
    const url = new URL(route.request().url());
    if (url.pathname.endsWith('/oauth2/token')) {
      const body = new URLSearchParams(route.request().postData() ?? '');
      desk.tokenCalls.push(body);
      const answer = o.tokenEndpoint?.(body) ?? { status: 400, body: { error: 'invalid_grant' } };
      if (answer.status === 0) return route.abort('internetdisconnected');
      return route.fulfill({
        status: answer.status,
        contentType: 'application/json',
        body: JSON.stringify(answer.body),
      });
    }
    desk.authorize.push(url.toString());
    return route.fulfill({ status: 200, contentType: 'text/html', body: '<p>sign in</p>' });
  });
  return desk;
}

describe('the deployed desktop’s sign-in', () => {
  it('does not keep sending an expired ID token an hour into the shift (no refresh token: signs in again)', async () => {
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 3600;
    const token = idToken(exp);
    let hourPassed = false;
    const { page, sent, authorize } = await deployedDesk({ token, refused: (e) => hourPassed && e === exp });
    await page.clock.install({ time: now });
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#rows tr').count()).toBeGreaterThan(0);
    // An hour and a minute into the shift.
    await page.clock.fastForward('01:01:00');
    hourPassed = true;
    sent.length = 0;
    // Clicked from the page: the click leads off the desktop, and Playwright's click would wait
    // for that page, whose timers the installed clock holds.
    await page
      .evaluate(() => document.querySelector<HTMLElement>('#rows tr[data-id="acc-jinhe-grain"]')?.click())
      .catch(() => {}); // the page may be gone already
    // (Not page.waitForTimeout: the page's timers are the installed clock's.)
    await expect.poll(() => authorize.length, { timeout: 5_000 }).toBeGreaterThan(0);
    const expiredSent = sent.filter((h) => h === `Bearer ${token}`).length;
    // Not "请求失败（Unauthorized）" on every click: the agent is at the hosted UI.
    expect({ expiredSent, signIn: authorize.length > 0 }).toEqual({ expiredSent: 0, signIn: true });
    const url = new URL(authorize[0] ?? '');
    expect(url.pathname).toBe('/cognito/oauth2/authorize');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('refreshes the ID token with the refresh token and goes on, the agent never leaving the desktop', async () => {
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 3600;
    const token = idToken(exp);
    const renewed = idToken(exp + 3660);
    let hourPassed = false;
    const { page, sent, authorize, tokenCalls } = await deployedDesk({
      token,
      refreshToken: 'refresh-1',
      refused: (e) => hourPassed && e === exp,
      tokenEndpoint: (b) =>
        // Cognito's token endpoint for a public client: no secret, the client id in the body.
        b.get('grant_type') === 'refresh_token' &&
        b.get('refresh_token') === 'refresh-1' &&
        b.get('client_id') === 'desk'
          ? {
              status: 200,
              body: { id_token: renewed, access_token: 'a', expires_in: 3600, token_type: 'Bearer' },
            }
          : { status: 400, body: { error: 'invalid_grant' } },
    });
    await page.clock.install({ time: now });
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    expect(tokenCalls).toHaveLength(0);
    await page.clock.fastForward('01:01:00');
    hourPassed = true;
    sent.length = 0;
    await page.click('#rows tr[data-id="acc-jinhe-grain"]');
    await page.waitForFunction(() => document.querySelector('#detail-name')?.textContent?.includes('金禾'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((h) => h === `Bearer ${renewed}`)).toBe(true);
    // One refresh, however many calls the click made; no trip to the hosted UI.
    expect(tokenCalls).toHaveLength(1);
    expect(authorize).toHaveLength(0);
  });

  it('sends the agent to sign in when the refresh token is refused too (expired or revoked)', async () => {
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 3600;
    const token = idToken(exp);
    let hourPassed = false;
    const { page, sent, authorize, tokenCalls } = await deployedDesk({
      token,
      refreshToken: 'revoked',
      refused: (e) => hourPassed && e === exp,
    });
    await page.clock.install({ time: now });
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    await page.clock.fastForward('01:01:00');
    hourPassed = true;
    sent.length = 0;
    // Clicked from the page: the click leads off the desktop, and Playwright's click would wait
    // for that page, whose timers the installed clock holds.
    await page
      .evaluate(() => document.querySelector<HTMLElement>('#rows tr[data-id="acc-jinhe-grain"]')?.click())
      .catch(() => {}); // the page may be gone already
    // (Not page.waitForTimeout: the page's timers are the installed clock's.)
    await expect.poll(() => authorize.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(tokenCalls.map((b) => b.get('grant_type'))).toEqual(['refresh_token']);
    expect(sent).toEqual([]);
    expect(authorize.length).toBeGreaterThan(0);
  });

  it('keeps the session through a token endpoint that fails for a while (network error, 503), says so, and refreshes on the next call', async () => {
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 3600;
    const token = idToken(exp);
    const renewed = idToken(exp + 3660);
    let hourPassed = false;
    // Cognito unreachable, then throttled or down (503), then back.
    let cognito: 'unreachable' | 'down' | 'back' = 'unreachable';
    const { page, sent, authorize, tokenCalls } = await deployedDesk({
      token,
      refreshToken: 'refresh-1',
      refused: (e) => hourPassed && e === exp,
      tokenEndpoint: (b) =>
        cognito === 'unreachable'
          ? { status: 0, body: null }
          : cognito === 'down'
            ? { status: 503, body: { error: 'service_unavailable' } }
            : b.get('refresh_token') === 'refresh-1'
              ? {
                  status: 200,
                  body: { id_token: renewed, access_token: 'a', expires_in: 3600, token_type: 'Bearer' },
                }
              : { status: 400, body: { error: 'invalid_grant' } },
    });
    await page.clock.install({ time: now });
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    await page.clock.fastForward('01:01:00');
    hourPassed = true;
    sent.length = 0;
    for (const state of ['unreachable', 'down'] as const) {
      cognito = state;
      const before = tokenCalls.length;
      await page.click('#rows tr[data-id="acc-jinhe-grain"]');
      // The call fails with a message the agent can act on (try again), in the agent's language.
      await page.waitForFunction(() =>
        document.querySelector('#detail .error')?.textContent?.includes('暂时无法续期登录'),
      );
      await page.evaluate(() => document.querySelector('#detail .error')?.remove());
      expect(tokenCalls.length).toBeGreaterThan(before);
      // Not sent to sign in, the refresh token kept, the expired ID token never sent.
      expect(authorize).toEqual([]);
      expect(await page.evaluate(() => sessionStorage.getItem('keyline.refreshToken'))).toBe('refresh-1');
      expect(sent.filter((h) => h === `Bearer ${token}`)).toEqual([]);
    }
    // Cognito answers again: the next call refreshes with the same refresh token and goes on.
    cognito = 'back';
    sent.length = 0;
    await page.click('#rows tr[data-id="acc-jinhe-grain"]');
    await page.waitForFunction(() => document.querySelector('#detail-name')?.textContent?.includes('金禾'));
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((h) => h === `Bearer ${renewed}`)).toBe(true);
    expect(tokenCalls.every((b) => b.get('refresh_token') === 'refresh-1')).toBe(true);
    expect(authorize).toEqual([]);
  });

  it('when the API refuses the token but the agent has typed something, says so and waits to sign in', async () => {
    const now = Date.now();
    const exp = Math.floor(now / 1000) + 3600;
    let revoked = false;
    const { page, authorize } = await deployedDesk({ token: idToken(exp), refused: () => revoked });
    await page.goto(base);
    await page.waitForSelector('body[data-ready="true"]');
    // A half-typed form (the complaint form's textarea stands in for any of them).
    await page.evaluate(() => {
      const form = document.createElement('form');
      form.innerHTML = '<textarea id="draft"></textarea>';
      document.body.append(form);
    });
    await page.fill('#draft', '客户要求赔偿两箱食用油');
    // The session is revoked (signed out elsewhere): the API refuses the token, still unexpired.
    revoked = true;
    await page.click('#rows tr[data-id="acc-jinhe-grain"]');
    await page.waitForSelector('#session-ended');
    expect(await page.locator('#session-ended').textContent()).toContain('登录已过期');
    expect(await page.inputValue('#draft')).toBe('客户要求赔偿两箱食用油');
    expect(authorize).toHaveLength(0);
    // The agent copies the text, then signs in again.
    await page.click('#session-ended button');
    await expect.poll(() => authorize.length).toBeGreaterThan(0);
  });
});
