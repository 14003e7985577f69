import { ulid } from 'ulid';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import type { Page, PageRequest } from '../platform/dynamo/query-page.ts';
import { TransactionCancelled, transactWrite } from '../platform/dynamo/transact.ts';
import { ConflictError, decided, IllegalTransition, NotFoundError } from '../platform/errors.ts';
import {
  type CallbackSubject,
  callbackFor,
  DISPOSABLE,
  newCallback,
  type Outcome,
  outcomeOf,
  TERMINAL,
} from './callback.ts';
import { CallbackRepo } from './callback-repo.ts';
import {
  type CampaignAction,
  callbackIdFor,
  campaignIdFor,
  checkCreation,
  control,
  countReasons,
  EMPTY_COUNTS,
} from './campaign.ts';
import { DailyDialCap } from './daily-cap.ts';
import { FollowUpLog } from './follow-up-log.ts';
import { satisfactionTrend } from './follow-ups.ts';
import type {
  Callback,
  CallbackState,
  Campaign,
  CampaignInput,
  CampaignStatus,
  Exclusion,
  Target,
} from './model.ts';
import { CampaignRepo } from './repo.ts';
import { STANDING_CAMPAIGNS, type StandingCampaignId } from './standing.ts';

/** The standing campaign of scheduled follow-up calls (follow-ups.ts). */
export const FOLLOW_UP_CAMPAIGN = 'account-follow-up';

/**
 * Campaigns and their callbacks as the functions use them: the lifecycle rules decide
 * (campaigns/campaign.ts, campaigns/callback.ts), the repositories write.
 */
export class Campaigns {
  readonly repo: CampaignRepo;
  readonly callbacks: CallbackRepo;
  readonly claims: Claims;
  readonly dailyCap: DailyDialCap;
  private readonly followUpLog: FollowUpLog;
  private readonly standing = new Map<string, Campaign>();

  constructor(
    private readonly db: DocumentClient,
    tableName: string,
    private readonly newId: () => string = ulid,
  ) {
    this.repo = new CampaignRepo(db, tableName);
    this.callbacks = new CallbackRepo(db, tableName, this.repo);
    this.claims = new Claims(db, tableName);
    this.followUpLog = new FollowUpLog(db, tableName);
    this.dailyCap = new DailyDialCap(db, tableName);
  }

  // ---- campaigns --------------------------------------------------------------------------

  /**
   * A campaign with its targets as callbacks; do-not-call and unconsented contacts are excluded.
   * Safe to retry: with the caller's request key (Idempotency-Key) its id is the key's and the
   * input's (campaignIdFor), each callback's id is its campaign's and contact's, and the campaign
   * is written last. The dialer reads only the campaigns it lists, so callbacks written before a
   * failure wait unread; an identical retry puts the same items again, one with the form edited
   * makes another campaign (the first attempt's callbacks stay unread under an id no campaign
   * takes), and a retry after the campaign was written answers it as made.
   */
  async createCampaign(
    input: CampaignInput,
    targets: Target[],
    excluded: Exclusion[],
    by: string,
    now = new Date(),
    requestKey?: string,
  ): Promise<Campaign> {
    checkCreation(
      input,
      targets.map((t) => t.timeZone),
      excluded.length,
      now,
    );
    const id = requestKey ? campaignIdFor(requestKey, input) : this.newId();
    const made = requestKey ? await this.repo.get(id) : undefined;
    if (made) return made;
    const { startNow, ...fields } = input;
    const campaign: Campaign = {
      ...fields,
      id,
      status: startNow ? 'running' : 'draft',
      counts: { ...EMPTY_COUNTS, targets: targets.length, excluded: countReasons(excluded) },
      createdAt: now.toISOString(),
      createdBy: by,
      updatedAt: now.toISOString(),
      version: 1,
    };
    await this.callbacks.putMany(targets.map((t) => callbackFor(campaign, t, now, callbackIdFor(id, t))));
    if (await this.repo.create(campaign)) return campaign;
    return (await this.repo.get(id)) ?? campaign;
  }

  /** A standing campaign (customer callbacks, complaint follow-ups…), created running on first use. */
  async ensureStanding(id: StandingCampaignId, now = new Date()): Promise<Campaign> {
    const known = this.standing.get(id);
    if (known) return known;
    const existing = await this.repo.get(id);
    // When another writer creates it first, create() answers false: the stored one is read below.
    if (!existing) await this.repo.create(this.standingCampaign(id, now));
    let stored = existing ?? (await this.repo.get(id)) ?? this.standingCampaign(id, now);
    // One stopped before standing campaigns were refused any control takes its bookings again:
    // a callback promised to a caller is never booked where the dialer does not look.
    if (stored.status !== 'running' && (await this.repo.setStatus(stored, 'running', now)))
      stored = { ...stored, status: 'running' };
    this.standing.set(id, stored);
    return stored;
  }

  private standingCampaign(id: StandingCampaignId, now: Date): Campaign {
    const def = STANDING_CAMPAIGNS[id];
    return {
      id,
      name: def.name,
      type: def.type,
      audience: { onePerAccount: true },
      window: { holidays: [], ...def.window },
      pacing: { dialsPerMinute: 30, maxConcurrent: 10 },
      retry: { ...def.retry },
      dailyCapPerRecipient: def.dailyCapPerRecipient,
      status: 'running',
      counts: { ...EMPTY_COUNTS },
      createdAt: now.toISOString(),
      createdBy: 'system',
      updatedAt: now.toISOString(),
      version: 1,
    };
  }

  getCampaign(id: string): Promise<Campaign | undefined> {
    return this.repo.get(id);
  }

  async requireCampaign(id: string): Promise<Campaign> {
    const c = await this.repo.get(id);
    if (!c) throw new NotFoundError('Campaign', id);
    return c;
  }

  listCampaigns(status?: CampaignStatus): Promise<Campaign[]> {
    return this.repo.list(status);
  }

  /** One page of the campaigns, newest first. */
  pageCampaigns(status: CampaignStatus | undefined, page: PageRequest): Promise<Page<Campaign>> {
    return this.repo.page(status, page);
  }

  /** Start, pause, resume or cancel. Takes effect on the next dialer run. */
  async control(id: string, action: CampaignAction, now = new Date()): Promise<Campaign> {
    const c = await this.requireCampaign(id);
    const { next } = decided(control(c, action));
    if (!(await this.repo.setStatus(c, next, now))) {
      throw new ConflictError(`Campaign ${c.name} changed meanwhile; reload it`);
    }
    return this.requireCampaign(id);
  }

  // ---- callbacks --------------------------------------------------------------------------

  getCallback(id: string): Promise<Callback | undefined> {
    return this.callbacks.get(id);
  }

  async requireCallback(id: string): Promise<Callback> {
    const c = await this.callbacks.get(id);
    if (!c) throw new NotFoundError('Callback', id);
    return c;
  }

  listCallbacks(campaignId: string, state?: CallbackState): Promise<Callback[]> {
    return this.callbacks.list(campaignId, state);
  }

  /** One page of a campaign's callbacks. */
  pageCallbacks(
    campaignId: string,
    state: CallbackState | undefined,
    page: PageRequest,
  ): Promise<Page<Callback>> {
    return this.callbacks.page(campaignId, state, page);
  }

  /** A callback in a standing campaign, with its policy (window, retries, daily cap). */
  async standingCallback(id: StandingCampaignId, subject: CallbackSubject, now: Date): Promise<Callback> {
    const campaign = await this.ensureStanding(id, now);
    return newCallback(campaign, subject, now, this.newId());
  }

  /** A callback for a campaign target (the dial rank from the account, unless the campaign sets one). */
  async standingTargetCallback(id: StandingCampaignId, target: Target, now: Date): Promise<Callback> {
    const campaign = await this.ensureStanding(id, now);
    const def = STANDING_CAMPAIGNS[id];
    return callbackFor(campaign, target, now, this.newId(), 'rank' in def ? def.rank : undefined);
  }

  /**
   * A customer-requested callback from the IVR. At most one is pending per number: the claim on
   * the number and the callback are written together; a second request gets the first back. A
   * slot left by a callback that has ended (or vanished) is taken back and the request booked.
   */
  async requestCallback(
    target: Target,
    now = new Date(),
    connectContactId?: string,
  ): Promise<{ callback: Callback; created: boolean }> {
    const callback = await this.standingTargetCallback('customer-callbacks', target, now);
    const pending = keys.claim.pendingCallback(target.phone);
    const byContact = connectContactId ? keys.claim.ivrCallback(connectContactId) : undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.callbacks.book(callback, [
          this.claims.guard(
            'pending',
            pending,
            { callbackId: callback.id, dueAt: callback.dueAt },
            ttlAfter(now, 30),
          ),
          ...(byContact
            ? [this.claims.guard('contact', byContact, { callbackId: callback.id }, ttlAfter(now, 30))]
            : []),
        ]);
        return { callback, created: true };
      } catch (err) {
        if (byContact && err instanceof TransactionCancelled && err.failedOn('contact')) {
          // This call booked its callback already (the call's own write, or an earlier delivery of
          // its hand-off): that one, whatever became of it since.
          const held = await this.claims.read(byContact);
          const booked = held?.data?.callbackId
            ? await this.callbacks.get(String(held.data.callbackId))
            : undefined;
          if (booked) return { callback: booked, created: false };
          throw err;
        }
        if (!(err instanceof TransactionCancelled && err.failedOn('pending'))) throw err;
        const held = await this.claims.read(pending);
        const heldId = held?.data?.callbackId ? String(held.data.callbackId) : undefined;
        const existing = heldId ? await this.callbacks.get(heldId) : undefined;
        if (existing && !TERMINAL.includes(existing.state)) return { callback: existing, created: false };
        if (attempt > 0) throw err;
        await transactWrite(this.db, [this.claims.unguard(pending, { callbackId: heldId ?? '' })]).catch(
          (e: unknown) => {
            if (!(e instanceof TransactionCancelled)) throw e;
          },
        );
      }
    }
  }

  /**
   * Moves a callback along from a Connect contact event's outcome, exactly once per attempt.
   * Answers the state reached, or undefined when the event was a duplicate or out of order.
   */
  async applyOutcome(callbackId: string, attempt: number, outcome: Outcome, now: Date, note?: string) {
    const c = await this.callbacks.get(callbackId);
    const d = c ? outcomeOf(c, outcome, attempt, now) : undefined;
    if (!c || !d) return undefined;
    return (await this.callbacks.applyOutcome(c, d, attempt, now, note)) ? d.to : undefined;
  }

  /** The agent's disposition; notes optional. */
  async dispose(
    id: string,
    disposition: string,
    notes: string | undefined,
    now = new Date(),
    satisfaction?: number,
  ): Promise<Callback> {
    const c = await this.requireCallback(id);
    if (!DISPOSABLE.includes(c.state)) {
      throw new IllegalTransition(
        `Callback ${id} is ${c.state}; a disposition is recorded once the call has connected`,
      );
    }
    // A scheduled follow-up's outcome joins the account's satisfaction trend.
    const followUp =
      c.campaignId === FOLLOW_UP_CAMPAIGN
        ? [
            this.followUpLog.put({
              accountId: c.accountId,
              callbackId: c.id,
              at: now.toISOString(),
              disposition,
              ...(satisfaction ? { satisfaction } : {}),
              ...(notes ? { notes } : {}),
              ...(c.contactName ? { contactName: c.contactName } : {}),
            }),
          ]
        : [];
    await this.callbacks.dispose(id, disposition, notes, now, followUp);
    return this.requireCallback(id);
  }

  /** An account's scheduled follow-ups: their outcomes, newest first, and the satisfaction trend. */
  async followUps(accountId: string) {
    const items = await this.followUpLog.list(accountId);
    const scores = items.flatMap((i) => (i.satisfaction ? [i.satisfaction] : []));
    return { items, trend: satisfactionTrend(scores) };
  }
}
