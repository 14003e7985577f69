import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { AccountWithContacts } from '../accounts/model.ts';
import { canonical } from '../accounts/registry.ts';
import { newCallback } from '../campaigns/callback.ts';
import type { Campaigns } from '../campaigns/service.ts';
import { STANDING_CAMPAIGNS } from '../campaigns/standing.ts';
import { Claims, ttlAfter } from '../platform/dynamo/claim.ts';
import type { DocumentClient } from '../platform/dynamo/client.ts';
import { keys } from '../platform/dynamo/keys.ts';
import { type Named, TransactionCancelled } from '../platform/dynamo/transact.ts';
import { DomainError, decided, NotFoundError } from '../platform/errors.ts';
import { inBoth } from '../platform/messages/index.ts';
import {
  type ComplaintCommand,
  type ComplaintEffect,
  type ComplaintPolicy,
  DEFAULT_COMPLAINT_POLICY,
  decide,
  deferEscalation,
  escalate,
  nextEscalationCheck,
  openComplaint,
  openingProblem,
  versionConflict,
} from './lifecycle.ts';
import type { Complaint, ComplaintInput, ComplaintStatus, ComplaintWithHistory } from './model.ts';
import { ComplaintRepo } from './repo.ts';

/** What one complaint's escalation did: raised its level, published events, met a failed publish. */
export interface EscalationOutcome {
  raised: boolean;
  published: number;
  failed: boolean;
}

/** How long a run may take to announce a level before another may take it over. */
const ESCALATION_LEASE_SECONDS = 5 * 60;

const FOLLOW_UP = 'complaint-follow-up';
/** What a keyed intake's claim remembers of its request: a retry with another body is refused. */
const requestDigest = (input: ComplaintInput) =>
  createHash('sha256').update(canonical(input)).digest('hex').slice(0, 32);
/** The name of the write that calls a follow-up call off, in the complaint's transaction. */
const CALL_OFF = 'follow-up-call-off';

/**
 * Complaints as the functions use them: the lifecycle (complaints/lifecycle.ts) decides, the
 * repository writes each decision in one transaction, the follow-up call is booked through the
 * campaigns capability in that same transaction.
 */
export class Complaints {
  readonly repo: ComplaintRepo;
  private readonly claims: Claims;

  constructor(
    db: DocumentClient,
    tableName: string,
    private readonly campaigns: Campaigns,
    readonly policy: ComplaintPolicy = DEFAULT_COMPLAINT_POLICY,
    private readonly newId: () => string = ulid,
  ) {
    this.repo = new ComplaintRepo(db, tableName);
    this.claims = new Claims(db, tableName);
  }

  /**
   * Records a complaint. With a Connect ContactId (the IVR), a retried invocation gets the first
   * complaint back: the claim on the ContactId is written in the complaint's own transaction. So
   * with an HTTP `requestKey` (the caller's Idempotency-Key): a retry after a reply that was lost
   * (the write landed, the request failed and the idempotency record let the key go) gets the
   * complaint filed, and one with another body under that key is refused, as the record would.
   * With `waybillOwners` (Shipments.owners of its waybills: the desktop and the HTTP API), a
   * waybill that is not the account's own shipment is refused; the IVR files on the keyed
   * waybill's owner already and passes none (no read more on a caller's time).
   */
  async create(
    input: ComplaintInput,
    account: AccountWithContacts | undefined,
    by: string,
    opts: {
      now?: Date;
      connectContactId?: string;
      requestKey?: string;
      waybillOwners?: ReadonlyMap<string, string>;
    } = {},
  ): Promise<{ complaint: Complaint; created: boolean }> {
    const now = opts.now ?? new Date();
    const guardKey = opts.connectContactId
      ? keys.claim.ivrComplaint(opts.connectContactId)
      : opts.requestKey
        ? keys.claim.complaintRequest(opts.requestKey)
        : undefined;
    // An HTTP retry is rare: its claim is read only when the filing's transaction meets it.
    const request = opts.requestKey ? requestDigest(input) : undefined;
    if (opts.connectContactId && guardKey) {
      const existing = await this.byClaim(guardKey);
      if (existing) return { complaint: existing, created: false };
    }
    const id = this.newId();
    // A reference is numbered only for a complaint that will be filed.
    const problem = openingProblem(input, account, opts.waybillOwners);
    if (problem) throw problem;
    const reference = await this.repo.nextReference(now);
    const { next, effects } = decided(
      openComplaint(
        input,
        account,
        {
          id,
          reference,
          by,
          now,
          ...(opts.connectContactId ? { connectContactId: opts.connectContactId } : {}),
        },
        this.policy,
      ),
    );
    const guard: Named[] = guardKey
      ? [
          this.claims.guard(
            'contact',
            guardKey,
            { complaintId: id, ...(request ? { request } : {}) },
            ttlAfter(now, request ? 1 : 7),
          ),
        ]
      : [];
    try {
      await this.repo.write(next, undefined, effects, guard);
    } catch (err) {
      // The key's claim was there (a retry), or the same request's other copy held it at that
      // moment (a double submit DynamoDB cancelled as contended): the complaint that copy filed.
      if (guardKey && err instanceof TransactionCancelled && (err.failedOn('contact') || err.contended)) {
        const existing = await this.byClaim(guardKey, request);
        if (existing) return { complaint: existing, created: false };
      }
      throw err;
    }
    return { complaint: next, created: true };
  }

  get(id: string): Promise<ComplaintWithHistory | undefined> {
    return this.repo.get(id);
  }

  async require(id: string): Promise<ComplaintWithHistory> {
    const c = await this.repo.get(id);
    if (!c) throw new NotFoundError('Complaint', id);
    return c;
  }

  listByAccount(accountId: string, which: 'open' | 'all' = 'all'): Promise<Complaint[]> {
    return this.repo.listByAccount(accountId, which);
  }

  /** The complaint a caller's reference names, whatever its status (open, resolved, closed). */
  findByReference(reference: string): Promise<Complaint | undefined> {
    return this.repo.findByReference(reference);
  }

  listUnresolved(): Promise<Complaint[]> {
    return this.repo.listUnresolved();
  }

  dueForEscalation(now: Date, limitPerShard?: number) {
    return this.repo.dueForEscalation(now, limitPerShard);
  }

  /** Applies a lifecycle transition; illegal ones and stale versions are refused. */
  transition(
    id: string,
    to: ComplaintStatus,
    o: { version: number; by: string; note?: string; now?: Date },
  ): Promise<ComplaintWithHistory> {
    const { now, ...rest } = o;
    return this.apply(id, { kind: 'move', to, ...rest }, now ?? new Date());
  }

  /** The satisfaction follow-up (回访): a low score or a rejected resolution reopens, else it closes. */
  recordFollowUp(
    id: string,
    o: { score: number; accepted: boolean; note?: string; version: number; by: string; now?: Date },
  ): Promise<ComplaintWithHistory> {
    const { now, ...rest } = o;
    return this.apply(id, { kind: 'follow-up', ...rest }, now ?? new Date());
  }

  /**
   * Announces each level a complaint has passed, lowest first, then raises it to the last one
   * announced. Each level's announcement is a claim (taken with a lease, completed once
   * published), so a run that dies part-way (its Lambda timed out on a hung publish) leaves the
   * level to a later run once the lease runs out, instead of raised and told to no one; an
   * overlapping run finds the claim held and leaves the complaint to its holder. A publish that
   * fails gives its claim back: the complaint stays at the last level announced (history:
   * `escalation-deferred`) and the next run retries from the failed level.
   */
  async escalate(
    c: Complaint,
    now: Date,
    announce: (level: number, raised: Complaint) => Promise<void>,
    run: string = this.newId(),
  ): Promise<EscalationOutcome> {
    const r = escalate(c, now);
    if (!r) {
      const next = nextEscalationCheck(c);
      if (!next || Date.parse(next) > now.getTime()) await this.repo.reindexDue(c);
      return { raised: false, published: 0, failed: false };
    }
    // Resolved (or raised by another run) since this run read it: nothing to announce.
    if (!(await this.repo.stillEscalates(c))) return { raised: false, published: 0, failed: false };
    let top = c.escalationLevel;
    let published = 0;
    let failed = false;
    for (const level of r.levels) {
      const key = keys.claim.escalation(c.id, level);
      const claim = await this.claims.take(key, {
        owner: run,
        now,
        leaseSeconds: ESCALATION_LEASE_SECONDS,
        expiresAt: ttlAfter(now, 30),
      });
      // Another run is announcing it (or died doing so, until its lease runs out).
      if (!claim.taken && claim.state === 'held') break;
      if (claim.taken) {
        try {
          await announce(level, r.next);
        } catch {
          failed = true;
          await this.claims.release(key, run);
          break;
        }
        await this.claims.complete(key, run);
        published++;
      }
      top = level;
    }
    const raise = escalate(c, now, top);
    const deferred = failed ? deferEscalation(c, top, now).effects : [];
    if (!raise && !failed) return { raised: false, published, failed };
    const next = raise?.next ?? c;
    try {
      await this.repo.setEscalation(next, c.escalationLevel, [...(raise?.effects ?? []), ...deferred]);
    } catch (err) {
      if (!(err instanceof TransactionCancelled)) throw err;
      return { raised: false, published, failed };
    }
    return { raised: raise !== undefined, published, failed };
  }

  /**
   * Decides and writes a change in one transaction. A follow-up call to call off that the dialer
   * claimed or placed meanwhile cannot be taken back: the change is written again without it, and
   * that call goes ahead (its outcome stays on the callback; a reopened complaint takes none).
   */
  private async apply(
    id: string,
    cmd: ComplaintCommand,
    now: Date,
    callOff = true,
    tries = 3,
  ): Promise<ComplaintWithHistory> {
    const c = await this.require(id);
    const { next, effects } = decided(decide(c, cmd, now, this.policy, { followUpCallback: this.newId() }));
    const extra = await this.followUpItems(next, effects, now, callOff);
    try {
      await this.repo.write(next, c.version, effects, extra);
    } catch (err) {
      if (!(err instanceof TransactionCancelled)) throw err;
      if (!err.failedOn('complaint') && err.failedOn(CALL_OFF) && callOff)
        return this.apply(id, cmd, now, false, tries);
      // The 回访 being completed moved since it was read (its call's events came in): decide again.
      if (!err.failedOn('complaint') && err.failedOn('callback') && tries > 1)
        return this.apply(id, cmd, now, callOff, tries - 1);
      if (!err.failedOn('complaint')) throw err;
      const latest = await this.repo.get(id);
      // Only the escalation run moved it (a level raised, no new version): decide again on it.
      if (latest?.version === c.version && tries > 1) return this.apply(id, cmd, now, callOff, tries - 1);
      throw versionConflict({ reference: c.reference, version: latest?.version ?? c.version }, cmd.version);
    }
    return this.require(id);
  }

  /**
   * The follow-up call's writes: booked on resolve, called off on a reopen while it waits,
   * completed once its outcome is recorded.
   */
  private async followUpItems(
    c: Complaint,
    effects: ComplaintEffect[],
    now: Date,
    callOff: boolean,
  ): Promise<Named[]> {
    const out: Named[] = [];
    for (const e of effects) {
      if (e.kind === 'cancel-follow-up' && callOff) {
        const [end, ...rest] = this.campaigns.callbacks.endItems(
          { id: e.callbackId, campaignId: FOLLOW_UP, rank: 0, reason: FOLLOW_UP },
          'cancelled',
          { note: inBoth('callback.note.complaintReopened'), now: new Date(e.at) },
        );
        for (const item of [end && { ...end, name: CALL_OFF }, ...rest]) if (item) out.push(item);
      }
      if (e.kind === 'book-follow-up') {
        const campaign = await this.campaigns.ensureStanding(FOLLOW_UP, now);
        const callback = newCallback(
          campaign,
          {
            accountId: c.accountId,
            accountName: c.accountName,
            ...(c.contactId ? { contactId: c.contactId } : {}),
            ...(c.contactName ? { contactName: c.contactName } : {}),
            ...(c.contactPhone ? { phone: c.contactPhone } : {}),
            language: c.contactLanguage ?? 'zh-CN',
            timeZone: c.contactTimeZone ?? 'Asia/Shanghai',
            // Follow-ups are dialed ahead of campaign work due in the same minute.
            rank: STANDING_CAMPAIGNS[FOLLOW_UP].rank,
            dueAt: e.dueAt,
            complaintId: c.id,
            complaintReference: c.reference,
            ...(c.contactPhone ? {} : { notes: inBoth('callback.note.noComplainantPhone') }),
          },
          now,
          e.callbackId,
        );
        out.push(...this.campaigns.callbacks.bookItems(callback));
      }
      if (e.kind === 'complete-follow-up') {
        out.push(...(await this.campaigns.callbacks.completeItems(e.callbackId, e.disposition, e.at)));
      }
    }
    return out;
  }

  /** The complaint a claim names; `request`: refused when the claim was taken for another body. */
  private async byClaim(key: { pk: string; sk: string }, request?: string): Promise<Complaint | undefined> {
    const claim = await this.claims.read(key);
    if (request && claim && claim.data.request !== request)
      throw new DomainError(
        'idempotency-key-reused',
        'This Idempotency-Key was already used with a different request',
      );
    const id = claim?.data?.complaintId;
    if (typeof id !== 'string') return undefined;
    const found = await this.repo.get(id);
    if (!found) return undefined;
    const { history: _h, ...complaint } = found;
    return complaint;
  }
}
