import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS } from '#functions/index.ts';
import { OutboxEmailSender } from '#local/adapters.ts';
import { type HttpLambda, invokeHttp, LOCAL_ROLE_HEADER } from '#local/api-gateway.ts';
import { DEMO_LOSSES, DEMO_MANAGERS, HISTORY_WEEKS } from '#local/demo/history.ts';
import { scoreBook } from '#shared/accounts/churn-run.ts';
import { AccountRepo } from '#shared/accounts/repo.ts';
import { WeeklyAggregates } from '#shared/analytics/aggregates.ts';
import { bookHistory, PORTFOLIO_WEEKS } from '#shared/analytics/cockpit.ts';
import { StaticManagerDirectory, sendWeeklyDigests } from '#shared/analytics/digest.ts';
import { factsOf } from '#shared/analytics/facts.ts';
import { addWeeks, weekOf, weekStart, weeksEnding } from '#shared/analytics/weeks.ts';
import { Campaigns } from '#shared/campaigns/service.ts';
import { Claims } from '#shared/platform/dynamo/claim.ts';
import { createDocumentClient } from '#shared/platform/dynamo/client.ts';
import { keys } from '#shared/platform/dynamo/keys.ts';
import type { Role } from '#shared/platform/roles.ts';
import { loadDemo, loadHistory } from '../support/demo.ts';
import { streamInsert } from '../support/events.ts';
import { TABLE_NAME } from '../support/fixtures.ts';

const db = createDocumentClient();
let handler: HttpLambda;
const routes = HTTP_FUNCTIONS.find((f) => f.name === 'cockpit')?.routes ?? [];
const now = new Date();

async function get(url: string, role: Role = 'account-manager') {
  const res = await invokeHttp(handler, routes, {
    method: 'GET',
    url,
    headers: { [LOCAL_ROLE_HEADER]: role },
  });
  return { status: res.statusCode, json: JSON.parse(res.body as string) };
}

beforeAll(async () => {
  await loadDemo(now);
  expect(await loadHistory(now)).toBeGreaterThan(400);
  handler = (await HTTP_FUNCTIONS.find((f) => f.name === 'cockpit')?.load())?.handler as HttpLambda;
});

describe('weekly aggregates, kept as facts arrive', () => {
  it('counts each fact once, however often its item is written or its record redelivered', async () => {
    const aggregates = new WeeklyAggregates(db, TABLE_NAME());
    const call = {
      pk: 'ACCOUNT#acc-jinhe-grain',
      sk: 'CALL#2026-11-24T02:15:00.000Z#c-agg-1',
      entity: 'Call',
      connectContactId: 'c-agg-1',
      at: '2026-11-24T02:15:00.000Z',
      e164: '+862223456789',
      accountId: 'acc-jinhe-grain',
      direction: 'inbound',
    };
    const facts = factsOf(call);
    expect(facts).toEqual([
      {
        id: 'call#c-agg-1',
        accountId: 'acc-jinhe-grain',
        week: '2026-W48',
        add: { inboundCalls: 1, contacts: 1, hour_10: 1, 'from_CN-022': 1 },
      },
    ]);
    const { handler: analytics } = await import('#functions/analytics/handler.ts');
    const ctx = { awsRequestId: 'a', functionName: 'analytics', getRemainingTimeInMillis: () => 60_000 };
    const event = { Records: [streamInsert(call, '1'), streamInsert(call, '2')] };
    await analytics(event as never, ctx as never);
    await analytics(event as never, ctx as never); // the whole batch redelivered
    const week = (await aggregates.week('2026-W48')).find((w) => w.accountId === 'acc-jinhe-grain');
    expect(week?.counters.inboundCalls).toBe(1);
    expect(week?.dims.hour).toEqual({ '10': 1 });
    expect(week?.dims.from).toEqual({ 'CN-022': 1 });
  });
});

describe('inbound calls by reason', () => {
  it('notes the IVR option on the call’s journal line, and counts it once per call and option', async () => {
    const { CallJournal, noteIvrChoice } = await import('#shared/inbound/journal.ts');
    const journal = new CallJournal(db, TABLE_NAME());
    const call = {
      contactId: 'c-why-1',
      at: '2026-11-24T02:20:00.000Z',
      e164: '+8613910012001',
      accountId: 'acc-jinhe-grain',
      lookupStatus: 'ok',
      outcome: 'in-ivr' as const,
    };
    await journal.open(call as never);
    await noteIvrChoice(db, TABLE_NAME(), 'c-why-1', 'tracking');
    await noteIvrChoice(db, TABLE_NAME(), 'c-why-1', 'tracking'); // Connect retried the Lambda
    await noteIvrChoice(db, TABLE_NAME(), 'c-unknown', 'complaint'); // no journal line: nothing, no error
    const line =
      (await db.send(new GetCommand({ TableName: TABLE_NAME(), Key: { pk: 'INBOUND#c-why-1', sk: 'CALL' } })))
        .Item ?? {};
    expect(typeof line.reason_tracking).toBe('string');
    expect(factsOf(line)).toEqual([
      {
        id: 'ivr#c-why-1#tracking',
        accountId: 'acc-jinhe-grain',
        week: '2026-W48',
        add: { reason_tracking: 1 },
      },
      // The call itself, once however many options it chose ("straight to an agent" is the rest).
      { id: 'ivr#c-why-1', accountId: 'acc-jinhe-grain', week: '2026-W48', add: { reasonedCalls: 1 } },
    ]);
    expect(
      (
        await db.send(
          new GetCommand({ TableName: TABLE_NAME(), Key: { pk: 'INBOUND#c-unknown', sk: 'CALL' } }),
        )
      ).Item,
    ).toBeUndefined();
  });
});

describe('the cockpit API', () => {
  it('opens the portfolio for a manager: every account placed, the lost ones with their reasons', async () => {
    const { status, json } = await get('/cockpit/portfolio');
    expect(status).toBe(200);
    expect(json.accounts).toHaveLength(17);
    const beichen = json.accounts.find((a: { id: string }) => a.id === 'acc-beichen-lighting');
    expect(beichen).toMatchObject({
      status: 'lost',
      statusReason: DEMO_LOSSES['acc-beichen-lighting']?.reason,
    });
    expect(beichen.churn).toBeUndefined();
    const jinhe = json.accounts.find((a: { id: string }) => a.id === 'acc-jinhe-grain');
    expect(jinhe).toMatchObject({ tier: 'key', shareOfWallet: 0.55 });
    expect(json.thresholds).toMatchObject({ profitTarget: 2_000_000, strongPosition: 0.5, riskHigh: 50 });
    expect(json.riskTrend).toHaveLength(HISTORY_WEEKS + 1);
    // This month's movements: Cuile's quadrant moved and its churn risk rose to high.
    const cuile = json.movements.filter((m: { accountId: string }) => m.accountId === 'acc-cuile-snacks');
    expect(cuile.map((m: { kind: string }) => m.kind).sort()).toEqual(['quadrant', 'risk']);
    expect(cuile.find((m: { kind: string }) => m.kind === 'risk')).toMatchObject({
      from: 'low',
      why: { en: expect.stringMatching(/^Shipments down/), 'zh-CN': expect.stringMatching(/^发货量/) },
    });
  });

  it('backtests the churn policy on the recorded history: Beichen caught six weeks ahead, Dongfang missed, Qingquan a false alarm', async () => {
    const { json } = await get('/cockpit/portfolio');
    const b = json.backtest;
    const by = Object.fromEntries(b.accounts.map((a: { accountId: string }) => [a.accountId, a]));
    expect(by['acc-beichen-lighting']).toMatchObject({
      outcome: 'caught',
      lostWeek: addWeeks(weekOf(now), -5),
      leadWeeks: 6,
    });
    expect(by['acc-dongfang-electric']).toMatchObject({ outcome: 'missed' });
    expect(by['acc-qingquan-beverages']).toMatchObject({ outcome: 'false-alarm' });
    expect(by['acc-cuile-snacks']).toMatchObject({ outcome: 'pending' });
    expect([b.precision, b.recall, b.caught, b.missed, b.falseAlarms]).toEqual([0.5, 0.5, 1, 1, 1]);
  });

  it('gives team leads the service analytics and refuses them the portfolio; agents get neither', async () => {
    expect((await get('/cockpit/portfolio', 'team-lead')).status).toBe(403);
    expect((await get('/cockpit/service', 'agent')).status).toBe(403);
    const { status, json } = await get('/cockpit/service?weeks=12', 'team-lead');
    expect(status).toBe(200);
    expect(json.weeks).toHaveLength(12);
    expect(json.weeks.at(-1)).toBe(addWeeks(weekOf(now), -1));
    const calls = json.perWeek.reduce((n: number, w: { inboundCalls: number }) => n + w.inboundCalls, 0);
    expect(Object.values(json.callsByHour as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(calls);
    expect(json.callsByRegion.reduce((n: number, r: { calls: number }) => n + r.calls, 0)).toBe(calls);
    expect(json.callsByRegion.map((r: { en: string }) => r.en)).toContain('Tianjin');
    // Why they called: every inbound call once, by the option chosen or straight to an agent.
    expect(Object.values(json.callsByReason as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(
      calls,
    );
    expect(json.callsByReason.tracking).toBeGreaterThan(0);
    expect(json.slaByTier.map((s: { tier: string }) => s.tier)).toEqual([
      'key',
      'high-growth',
      'loyal',
      'low-potential',
    ]);
    const anxin = json.accounts.find((a: { id: string }) => a.id === 'acc-anxin-medical');
    expect(anxin.onTime).toHaveLength(12);
    // Its slip shows in the last weeks: below the first weeks' rate.
    expect(anxin.onTime.at(-1)).toBeLessThan(anxin.onTime[0]);
    expect(JSON.stringify(json)).not.toMatch(/shareOfWallet|expectedProfit|clv/);
  });
});

describe('the daily churn run', () => {
  it('scores every active account and books one retention call per 30 days for each at high risk', async () => {
    const deps = {
      db,
      tableName: TABLE_NAME(),
      aggregates: new WeeklyAggregates(db, TABLE_NAME()),
      campaigns: new Campaigns(db, TABLE_NAME()),
      accounts: new AccountRepo(db, TABLE_NAME()),
    };
    const run = await scoreBook(deps, now);
    expect(run.scored).toBe(15); // 17 accounts, two lost
    expect(run.byLevel.high).toBeGreaterThanOrEqual(1);
    expect(run.booked).toBe(run.byLevel.high - run.noTarget);
    const again = await scoreBook(deps, now);
    expect(again.booked).toBe(0);
    expect(again.already).toBe(run.booked);
    const callbacks = await deps.campaigns.callbacks.list('retention-calls');
    expect(callbacks.map((c) => c.accountId)).toContain('acc-cuile-snacks');
    expect(callbacks[0]?.notes).toMatch(/流失风险 \d+\/100.*Churn risk \d+\/100/);
    // The run kept the half year: the portfolio reads it instead of 27 weeks, with the same figures.
    const kept = await deps.aggregates.bookHistory<{ backtest: { precision: number; recall: number } }>();
    expect(kept?.week).toBe(weekOf(now));
    expect([kept?.history.backtest.precision, kept?.history.backtest.recall]).toEqual([0.5, 0.5]);
    const after = (await get('/cockpit/portfolio')).json;
    expect(after.backtest).toEqual(kept?.history.backtest);
    expect(after.riskTrend.at(-1)).toMatchObject({ high: run.byLevel.high, medium: run.byLevel.medium });
    const current = (await deps.aggregates.week(weekOf(now))).find((w) => w.accountId === 'acc-cuile-snacks');
    expect(current?.churn?.level).toBe('high');
    expect(current?.churn?.reasons[0]?.signal).toBe('volume');
  });
});

describe('the weekly digest to key-account managers', () => {
  it('tells each manager of their accounts newly at risk, with the reasons, and links to the cockpit; once a week', async () => {
    const email = new OutboxEmailSender();
    const deps = {
      db,
      tableName: TABLE_NAME(),
      accounts: new AccountRepo(db, TABLE_NAME()),
      aggregates: new WeeklyAggregates(db, TABLE_NAME()),
      email,
      directory: new StaticManagerDirectory(DEMO_MANAGERS),
      link: 'https://desk.example.cn/#cockpit',
    };
    const run = await sendWeeklyDigests(deps, now);
    expect(run).toMatchObject({ managers: DEMO_MANAGERS.length, sent: DEMO_MANAGERS.length, failed: 0 });
    const chen = email.sent.find((m) => m.to === 'chen.jing@keyline.local');
    expect(chen?.subject).toMatch(
      /^大客户周报 \d{4}-W\d{2}：1 个客户新进入高流失风险 · Key accounts, week .*: 1 newly at high churn risk$/,
    );
    expect(chen?.text).toContain('脆乐食品：发货量比自身基线下降');
    expect(chen?.text).toContain('Cuile Snack Foods: Shipments down');
    expect(chen?.html).toContain('href="https://desk.example.cn/#cockpit"');
    // The credit investigation that is due is the manager's alert too.
    expect(chen?.text).toContain('脆乐食品：已于 2026-10-31 到期');
    expect(chen?.text).toContain('Cuile Snack Foods: overdue since 2026-10-31');
    // Wang's accounts are calm: his digest says so in both languages.
    const wang = email.sent.find((m) => m.to === 'wang.jianguo@keyline.local');
    expect(wang?.text).toMatch(/新进入高流失风险\n- 无/);
    expect(wang?.text).toMatch(/Newly at high churn risk\n- None/);
    const again = await sendWeeklyDigests(deps, now);
    expect(again).toMatchObject({ sent: 0, already: DEMO_MANAGERS.length });
    // Each digest keeps what it found at high risk: next week's tells only what is new since.
    const claims = new Claims(db, TABLE_NAME());
    const kept = await claims.read(keys.claim.weeklyDigest('chen.jing@keyline.local', weekOf(now)));
    expect(kept?.data.highRisk).toEqual(['acc-cuile-snacks']);
    const nextWeek = new Date(now.getTime() + 7 * 86_400_000);
    const next = await sendWeeklyDigests(deps, nextWeek);
    expect(next).toMatchObject({ sent: DEMO_MANAGERS.length, failed: 0 });
    const chenNext = email.sent.find((m) => m.to === 'chen.jing@keyline.local'); // newest first
    expect(chenNext?.subject).toContain(`week ${weekOf(now)}: 0 newly`);
    expect(chenNext?.text).toMatch(/Newly at high churn risk\n- None/);
  });
});

describe('a lost account after its loss', () => {
  it('counts a straggling delivery but scores nothing, and stays out of the risk trend', async () => {
    const id = 'acc-beichen-lighting'; // lost five weeks ago: no week of its own since
    const current = weekOf(now);
    const { handler: analytics } = await import('#functions/analytics/handler.ts');
    const ctx = { awsRequestId: 'a', functionName: 'analytics', getRemainingTimeInMillis: () => 60_000 };
    // A shipment promised before the loss, delivered this week: a fact like any other.
    const promisedAt = weekStart(current).toISOString();
    const shipment = {
      pk: 'SHIPMENT#SF0000000777',
      sk: 'SHIPMENT',
      entity: 'Shipment',
      waybill: 'SF0000000777',
      accountId: id,
      origin: '佛山',
      destination: '北京',
      consignee: { name: '收货人' },
      promisedAt,
      eta: promisedAt,
      status: 'delivered',
      delivery: { deliveredAt: promisedAt, complete: true, errorFree: true },
      milestones: [],
      version: 3,
      updatedAt: now.toISOString(),
    };
    await analytics({ Records: [streamInsert(shipment, '1')] } as never, ctx as never);
    const aggregates = new WeeklyAggregates(db, TABLE_NAME());
    const mine = (await aggregates.week(current)).find((w) => w.accountId === id);
    expect(mine?.counters.delivered).toBe(1);
    expect(mine?.churn).toBeUndefined();
    const book = await new AccountRepo(db, TABLE_NAME()).list();
    const recorded = [...(await aggregates.weeks(weeksEnding(current, PORTFOLIO_WEEKS + 1))).values()].flat();
    const history = bookHistory(book, recorded, now);
    const expected = bookHistory(
      book,
      recorded.filter((w) => w.accountId !== id || w.week !== current),
      now,
    );
    expect(history.riskTrend.at(-1)).toEqual(expected.riskTrend.at(-1));
  });
});
