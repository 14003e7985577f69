/**
 * The weekly digest to each key-account manager: their accounts newly at high churn risk since
 * their previous digest (with the reasons), tier and risk moves, complaints past their SLA last
 * week, and a link to the cockpit. Both languages in one e-mail, Chinese first. The digests are
 * pure (the portfolio, the weeks and what the previous digests found in, e-mails out); sending
 * them reads and keeps what each digest found.
 */
import { creditState } from '../accounts/credit.ts';
import type { Account } from '../accounts/model.ts';
import type { Email, EmailSender } from '../notify/senders.ts';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { both, escapeHtml, type MessageKey } from '../platform/messages/index.ts';
import { pool } from '../platform/pool.ts';
import type { AccountWeek, WeeklyAggregates } from './aggregates.ts';
import { PORTFOLIO_WEEKS, type Portfolio, portfolio } from './cockpit.ts';
import { addWeeks, weekOf, weeksEnding } from './weeks.ts';

export interface Manager {
  name: string;
  email: string;
}

/** Where managers and their addresses come from: the Cognito group in AWS, a list locally. */
export interface ManagerDirectory {
  managers(): Promise<Manager[]>;
}

const esc = escapeHtml;

interface Section {
  title: MessageKey;
  lines: { 'zh-CN': string; en: string }[];
}

/** A manager's digest, with their accounts at high risk as it found them (the next one's "before"). */
export interface ManagerDigest {
  mail: Email;
  highRisk: string[];
}

/**
 * The week's digests. An account is newly at high risk when it is high today and was not at the
 * manager's previous digest (`previous`: the accounts that digest found high, by the manager's
 * address), so an account that turned high on any day since is told once. For a manager with no
 * previous digest on record, last week's recorded level stands in.
 */
export function weeklyDigests(
  book: readonly Account[],
  p: Portfolio,
  recorded: readonly AccountWeek[],
  managers: readonly Manager[],
  link: string,
  now = new Date(),
  previous: ReadonlyMap<string, readonly string[]> = new Map(),
): ManagerDigest[] {
  const lastWeek = addWeeks(weekOf(now), -1);
  const out: ManagerDigest[] = [];
  for (const m of managers) {
    const mine = book.filter((a) => a.accountManager === m.name);
    if (mine.length === 0) continue;
    const ids = new Set(mine.map((a) => a.id));
    const name = (id: string) => {
      const a = mine.find((x) => x.id === id);
      return { 'zh-CN': a?.name ?? id, en: a?.nameEn ?? a?.name ?? id };
    };
    const high = p.accounts.filter((a) => ids.has(a.id) && a.churn?.level === 'high');
    const before = previous.get(m.email);
    const wasHigh = (id: string) =>
      before
        ? before.includes(id)
        : recorded.find((w) => w.accountId === id && w.week === lastWeek)?.churn?.level === 'high';
    const atRisk = high.filter((a) => !wasHigh(a.id));
    const atRiskLines = atRisk.map((a) => {
      const reasons = a.churn?.reasons ?? [];
      const n = name(a.id);
      return {
        'zh-CN': `${n['zh-CN']}：${reasons.map((r) => r.text['zh-CN']).join('；')}`,
        en: `${n.en}: ${reasons.map((r) => r.text.en).join('; ')}`,
      };
    });
    const kinds = {
      tier: both('digest.kind-tier'),
      quadrant: both('digest.kind-quadrant'),
      risk: both('digest.kind-risk'),
    };
    const moves = p.movements
      .filter((x) => ids.has(x.accountId))
      .map((x) => {
        const n = name(x.accountId);
        const k = kinds[x.kind];
        return {
          'zh-CN': `${n['zh-CN']}（${k['zh-CN']}）：${x.from} → ${x.to}${x.why ? `（${x.why['zh-CN']}）` : ''}`,
          en: `${n.en} (${k.en}): ${x.from} → ${x.to}${x.why ? ` (${x.why.en})` : ''}`,
        };
      });
    const breaches = recorded
      .filter((w) => w.week === lastWeek && ids.has(w.accountId) && w.counters.breaches > 0)
      .map((w) => {
        const n = name(w.accountId);
        const c = both('digest.breach-line', { count: w.counters.breaches });
        return { 'zh-CN': `${n['zh-CN']}：${c['zh-CN']}`, en: `${n.en}: ${c.en}` };
      });
    // Credit investigation (资信调查) due: the manager's alert, with the review date (active
    // accounts only: a lost one has no credit line left to review).
    const credit = mine.flatMap((a) => {
      const state = creditState(a.credit, now);
      if (a.status !== 'active' || !a.credit || (state !== 'review-soon' && state !== 'review-overdue'))
        return [];
      const n = name(a.id);
      const c = both('digest.credit-line', { due: a.credit.reviewDue, overdue: state === 'review-overdue' });
      return [{ 'zh-CN': `${n['zh-CN']}：${c['zh-CN']}`, en: `${n.en}: ${c.en}` }];
    });
    const sections: Section[] = [
      { title: 'digest.at-risk', lines: atRiskLines },
      { title: 'digest.moves', lines: moves },
      { title: 'digest.breaches', lines: breaches },
      { title: 'digest.credit', lines: credit },
    ];
    const subject = both('digest.subject', { week: lastWeek, atRisk: atRisk.length });
    const render = (lang: 'zh-CN' | 'en', html: boolean) =>
      sections
        .map((s) => {
          const title = both(s.title)[lang];
          const lines = s.lines.length ? s.lines.map((l) => l[lang]) : [both('digest.none')[lang]];
          return html
            ? `<h3>${esc(title)}</h3><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`
            : `${title}\n${lines.map((l) => `- ${l}`).join('\n')}`;
        })
        .join(html ? '' : '\n\n');
    const open = both('digest.open');
    const mail: Email = {
      to: m.email,
      subject: `${subject['zh-CN']} · ${subject.en}`,
      html: `<!doctype html><html><body style="font-family:sans-serif"><h2>${esc(subject['zh-CN'])}</h2>${render('zh-CN', true)}<hr><h2>${esc(subject.en)}</h2>${render('en', true)}<p><a href="${esc(link)}">${esc(open['zh-CN'])} · ${esc(open.en)}</a></p></body></html>`,
      text: `${subject['zh-CN']}\n\n${render('zh-CN', false)}\n\n${subject.en}\n\n${render('en', false)}\n\n${open['zh-CN']} · ${open.en}: ${link}`,
    };
    out.push({ mail, highRisk: high.map((a) => a.id) });
  }
  return out;
}

export interface DigestDeps {
  db: DocumentClient;
  tableName: string;
  accounts: { list(): Promise<Account[]> };
  aggregates: WeeklyAggregates;
  email: EmailSender;
  directory: ManagerDirectory;
  /** The cockpit's address in the desktop. */
  link: string;
}

export interface DigestRun {
  managers: number;
  sent: number;
  /** Sent before, by an earlier run this week. */
  already: number;
  failed: number;
}

/**
 * Sends the week's digests, each once: a claim per manager and week is taken before the send and
 * completed after it, so a retried run sends only what failed (a crashed send's lease runs out).
 * The completed claim keeps the accounts the digest found at high risk: next week's reads them
 * to tell what is new.
 */
export async function sendWeeklyDigests(deps: DigestDeps, now = new Date()): Promise<DigestRun> {
  const weeks = weeksEnding(weekOf(now), PORTFOLIO_WEEKS + 1);
  const [book, byWeek, managers] = await Promise.all([
    deps.accounts.list(),
    deps.aggregates.weeks(weeks),
    deps.directory.managers(),
  ]);
  const recorded = [...byWeek.values()].flat();
  const claims = new Claims(deps.db, deps.tableName);
  const lastWeek = addWeeks(weekOf(now), -1);
  const previous = new Map<string, string[]>();
  await pool(managers, 4, async (m) => {
    const last = await claims.read(keys.claim.weeklyDigest(m.email, lastWeek));
    const high = last?.state === 'done' ? last.data.highRisk : undefined;
    if (Array.isArray(high)) previous.set(m.email, high.map(String));
  });
  const digests = weeklyDigests(
    book,
    portfolio(book, recorded, now),
    recorded,
    managers,
    deps.link,
    now,
    previous,
  );
  const run: DigestRun = { managers: managers.length, sent: 0, already: 0, failed: 0 };
  const owner = `digest-${now.getTime()}`;
  for (const { mail, highRisk } of digests) {
    const key = keys.claim.weeklyDigest(mail.to, weekOf(now));
    const claim = await claims.take(key, { owner, now, leaseSeconds: 300, expiresAt: ttlAfter(now, 14) });
    if (!claim.taken) {
      run.already++;
      continue;
    }
    try {
      await deps.email.send(mail);
    } catch {
      await claims.release(key, owner);
      run.failed++;
      continue;
    }
    run.sent++;
    // Sent: a failure to mark it so leaves the claim held until its lease runs out, never released
    // for a retry to send it again at once.
    await claims.complete(key, owner, { highRisk }).catch(() => undefined);
  }
  return run;
}

/** The managers, as a fixed list (the local stack's demo managers). */
export class StaticManagerDirectory implements ManagerDirectory {
  constructor(private readonly list: readonly Manager[]) {}
  async managers() {
    return [...this.list];
  }
}
