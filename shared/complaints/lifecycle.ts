/**
 * The complaint lifecycle, pure: each change is a function of (state, command, now) that answers
 * the next state and its effects (history entries, the open-complaint counter, the follow-up call
 * to book or close), or why it may not happen. complaints/service.ts persists the answer.
 */
import { type AccountWithContacts, callZone } from '../accounts/model.ts';
import { STANDING_CAMPAIGNS } from '../campaigns/standing.ts';
import {
  accept,
  ConflictError,
  type Decision,
  IllegalTransition,
  reject,
  ValidationError,
} from '../platform/errors.ts';
import { both, fieldError, type Lang, type MessageRef } from '../platform/messages/index.ts';
import { nextInWindow } from '../platform/time.ts';
import { escalationMarks, nextEscalationCheck, requiredEscalation } from './escalation-marks.ts';
import {
  type Complaint,
  type ComplaintInput,
  type ComplaintStatus,
  ESCALATION_LEVELS,
  type HistoryEntry,
  TRANSITIONS,
  UNRESOLVED,
} from './model.ts';
import { DEFAULT_SLA_POLICY, defaultClock, type SlaPolicy, slaDeadlines } from './sla.ts';

// The escalation marks moved to their own module; their callers import them from here too.
export { escalationMarks, nextEscalationCheck, requiredEscalation };

export interface ComplaintPolicy {
  sla: SlaPolicy;
  /** Minutes after resolution within which a complaint may be reopened. */
  reopenWindowMinutes: number;
  /** Minutes after resolution before the satisfaction follow-up call (then moved into its window). */
  followUpDelayMinutes: number;
}

export const DEFAULT_COMPLAINT_POLICY: ComplaintPolicy = {
  sla: DEFAULT_SLA_POLICY,
  reopenWindowMinutes: 7 * 24 * 60,
  followUpDelayMinutes: 24 * 60,
};

export type ComplaintEffect =
  /** A history entry; `seq` orders entries written at the same instant. */
  | { kind: 'history'; entry: HistoryEntry; seq: number }
  /** The account's open-complaint count moves (by the complaint's own item, or on a shard). */
  | { kind: 'count-open'; delta: 1 | -1; ownItem: boolean }
  /** The satisfaction follow-up call (回访) to book, in the complaint follow-up campaign. */
  | { kind: 'book-follow-up'; callbackId: string; dueAt: string }
  /**
   * The follow-up call of a resolution that no longer stands (the complaint was reopened) is
   * called off while it still waits; a call already claimed or placed goes ahead (see service).
   */
  | { kind: 'cancel-follow-up'; callbackId: string; at: string }
  /** The follow-up call is over: its outcome is recorded on the callback. */
  | {
      kind: 'complete-follow-up';
      callbackId: string;
      disposition: 'resolved' | 'needs-follow-up';
      at: string;
    };

export type ComplaintCommand =
  | { kind: 'move'; to: ComplaintStatus; version: number; by: string; note?: string }
  | { kind: 'follow-up'; score: number; accepted: boolean; note?: string; version: number; by: string };

/** A refused move, saying why in both languages (`both` of a catalog message), with where it may go. */
function refused(allowed: ComplaintStatus[], words: Record<Lang, string>) {
  const err = new IllegalTransition(words.en, { allowed });
  err.messageZh = words['zh-CN'];
  return err;
}

const history = (
  seq: number,
  e: Omit<HistoryEntry, 'message'> & { message?: MessageRef },
): ComplaintEffect => ({ kind: 'history', entry: e as HistoryEntry, seq });

/** Why a complaint may not be filed (no account; a contact, or with `waybillOwners` a waybill, not its own). */
export function openingProblem(
  input: Pick<ComplaintInput, 'accountId' | 'contactId' | 'waybills'>,
  account: AccountWithContacts | undefined,
  waybillOwners?: ReadonlyMap<string, string>,
): ValidationError | undefined {
  if (!account || account.id !== input.accountId) {
    return new ValidationError([
      fieldError('body.accountId', 'complaint.account-unknown', { accountId: input.accountId }),
    ]);
  }
  if (input.contactId && !account.contacts.some((c) => c.id === input.contactId)) {
    return new ValidationError([
      fieldError('body.contactId', 'complaint.contact-not-on-account', {
        contactId: input.contactId,
        accountId: account.id,
      }),
    ]);
  }
  // Another client's waybill is refused; one Keyline has not seen yet (the TMS feed behind, a
  // shipment never scanned) is the client's word and is filed.
  const foreign = input.waybills.flatMap((waybill, i) =>
    waybillOwners?.has(waybill) && waybillOwners.get(waybill) !== account.id
      ? [fieldError(`body.waybills.${i}`, 'complaint.waybill-not-own', { waybill })]
      : [],
  );
  return foreign.length ? new ValidationError(foreign) : undefined;
}

/** A new complaint: its SLA from the account's tier × the severity, on the tier's clock. */
export function openComplaint(
  input: ComplaintInput,
  account: AccountWithContacts | undefined,
  ctx: { id: string; reference: string; by: string; now: Date; connectContactId?: string },
  policy: ComplaintPolicy = DEFAULT_COMPLAINT_POLICY,
): Decision<Complaint, ComplaintEffect> {
  const problem = openingProblem(input, account);
  if (problem || !account) return reject(problem ?? new ValidationError([]));
  const contact = input.contactId ? account.contacts.find((c) => c.id === input.contactId) : undefined;
  const at = ctx.now.toISOString();
  const tier = account.derived.tier;
  const complaint: Complaint = {
    ...input,
    ...slaDeadlines(tier, input.severity, ctx.now, defaultClock(tier), account.timeZone, policy.sla),
    id: ctx.id,
    reference: ctx.reference,
    accountName: account.name,
    tier,
    status: 'open',
    createdAt: at,
    createdBy: ctx.by,
    escalationLevel: 0,
    reopenCount: 0,
    openCounter: 'self',
    ...(ctx.connectContactId ? { connectContactId: ctx.connectContactId } : {}),
    ...(contact
      ? {
          contactName: contact.name,
          contactPhone: contact.phones[0]?.e164,
          contactLanguage: contact.language,
          contactTimeZone: callZone(contact, account.timeZone),
        }
      : {}),
    version: 1,
    updatedAt: at,
  };
  return accept(complaint, [
    // The complaint counts itself while unresolved: no counter write.
    { kind: 'history', entry: openingEntry(complaint), seq: 0 },
  ]);
}

/**
 * The history's first entry, made from the complaint itself (who filed it, when, what about):
 * the repository stores no item for it and gives it back with the history.
 */
export function openingEntry(
  c: Pick<Complaint, 'createdAt' | 'createdBy' | 'category' | 'severity'>,
): HistoryEntry {
  return {
    at: c.createdAt,
    by: c.createdBy,
    from: null,
    to: 'open',
    action: 'created',
    message: { key: 'complaint.history.created', params: { category: c.category, severity: c.severity } },
  };
}

/**
 * An agent's move along the lifecycle, or the follow-up's outcome: a low score (1–2) or a
 * rejected resolution reopens the complaint, otherwise it closes. Resolving books the follow-up
 * call; `ids.followUpCallback` is the id that call gets.
 */
export function decide(
  c: Complaint & { history?: HistoryEntry[] },
  cmd: ComplaintCommand,
  now: Date,
  policy: ComplaintPolicy,
  ids: { followUpCallback: string },
): Decision<Complaint, ComplaintEffect> {
  if (c.version !== cmd.version) {
    return reject(versionConflict(c, cmd.version));
  }
  let to: ComplaintStatus;
  let action: string;
  let message: MessageRef | undefined;
  if (cmd.kind === 'move') {
    const check = checkTransition(c, cmd.to, now, policy.reopenWindowMinutes);
    if (!check.ok) {
      return reject(
        TRANSITIONS[c.status].includes(cmd.to)
          ? refused(
              check.allowed,
              both('complaint.reopen-window', {
                reference: c.reference,
                minutes: policy.reopenWindowMinutes,
              }),
            )
          : refused(
              check.allowed,
              both('complaint.cannot-move', { reference: c.reference, from: c.status, to: cmd.to }),
            ),
      );
    }
    to = cmd.to;
    action = actionName(c.status, to);
  } else {
    if (!awaitsFollowUp(c)) {
      return reject(
        refused(
          allowedTransitions(c, now, policy.reopenWindowMinutes),
          both('complaint.follow-up-not-resolved', { reference: c.reference, status: c.status }),
        ),
      );
    }
    const satisfied = cmd.accepted && cmd.score >= 3;
    to = satisfied ? 'closed' : 'in-progress';
    action = satisfied ? 'closed-after-follow-up' : 'reopened-after-follow-up';
    message = { key: 'complaint.history.followUp', params: { score: cmd.score, accepted: cmd.accepted } };
  }
  const at = now.toISOString();
  const { history: _h, ...state } = c;
  const next: Complaint = { ...state, status: to, version: c.version + 1, updatedAt: at };
  if (to === 'acknowledged') next.acknowledgedAt = at;
  if (to === 'resolved') next.resolvedAt = at;
  // A complaint an agent closed keeps the time it was closed; its 回访 only adds the outcome.
  if (to === 'closed' && c.status !== 'closed') next.closedAt = at;
  const reopened = (c.status === 'resolved' || c.status === 'closed') && to === 'in-progress';
  if (reopened) {
    next.reopenCount = c.reopenCount + 1;
    if (c.resolvedAt) next.reopenedFrom = c.resolvedAt;
    delete next.resolvedAt;
    delete next.closedAt;
  }
  // An agent's reopen calls off the satisfaction call still pending (one with an outcome stays on
  // record); the next resolution books its own, so there is one per resolution.
  const calledOff = reopened && cmd.kind === 'move' && c.followUp?.at === undefined ? c.followUp : undefined;
  if (calledOff) delete next.followUp;
  const effects: ComplaintEffect[] = [
    history((c.history?.length ?? 0) + 1, {
      at,
      by: cmd.by,
      from: c.status,
      to,
      action,
      ...(cmd.note ? { note: cmd.note } : {}),
      ...(message ? { message } : {}),
    }),
  ];
  const wasUnresolved = UNRESOLVED.includes(c.status);
  const isUnresolved = UNRESOLVED.includes(to);
  // A self-counted complaint enters and leaves the count with its own item; older ones move theirs.
  if (wasUnresolved !== isUnresolved && c.openCounter !== 'self')
    effects.push({ kind: 'count-open', delta: isUnresolved ? 1 : -1, ownItem: c.openCounter === 'own-item' });
  if (calledOff) effects.push({ kind: 'cancel-follow-up', callbackId: calledOff.callbackId, at });
  if (to === 'resolved') {
    const def = STANDING_CAMPAIGNS['complaint-follow-up'];
    const dueAt = nextInWindow(
      new Date(now.getTime() + policy.followUpDelayMinutes * 60_000 * policy.sla.timeScale),
      c.contactTimeZone ?? 'Asia/Shanghai',
      def.window,
    ).toISOString();
    next.followUp = { callbackId: ids.followUpCallback, dueAt };
    effects.push({ kind: 'book-follow-up', callbackId: ids.followUpCallback, dueAt });
  }
  if (cmd.kind === 'follow-up' && c.followUp) {
    next.followUp = { ...c.followUp, score: cmd.score, accepted: cmd.accepted, at };
    effects.push({
      kind: 'complete-follow-up',
      callbackId: c.followUp.callbackId,
      disposition: to === 'closed' ? 'resolved' : 'needs-follow-up',
      at,
    });
  }
  return accept(next, effects);
}

/**
 * Raises a complaint to the level it should be at now (no higher than `upTo`: the last level
 * announced), one history entry per level passed; or undefined when its level is already right.
 */
export function escalate(
  c: Complaint,
  now: Date,
  upTo = 3,
): { next: Complaint; levels: number[]; effects: ComplaintEffect[] } | undefined {
  const target = Math.min(requiredEscalation(c, now), upTo);
  if (target <= c.escalationLevel) return undefined;
  const levels = ESCALATION_LEVELS.filter((l) => l > c.escalationLevel && l <= target);
  const at = now.toISOString();
  return {
    next: { ...c, escalationLevel: target, escalatedAt: at },
    levels,
    effects: levels.map((level, i) =>
      escalationEntry(c, at, 100 + i, 'escalated', { key: 'complaint.history.escalated', params: { level } }),
    ),
  };
}

/**
 * An escalation held back because a level's event could not be published: the complaint (as read
 * before the raise) goes to the last level whose event was published, not below it, so the next
 * run retries from the failed level and never announces a level twice.
 */
export function deferEscalation(
  c: Complaint,
  published: number,
  now: Date,
): { next: Complaint; effects: ComplaintEffect[] } {
  const at = now.toISOString();
  const level = Math.max(published, c.escalationLevel);
  return {
    next: { ...c, escalationLevel: level, ...(level > c.escalationLevel ? { escalatedAt: at } : {}) },
    effects: [
      escalationEntry(c, at, 199, 'escalation-deferred', { key: 'complaint.history.escalationDeferred' }),
    ],
  };
}

const escalationEntry = (c: Complaint, at: string, seq: number, action: string, message: MessageRef) =>
  history(seq, { at, by: 'sla-escalation', from: c.status, to: c.status, action, message });

/**
 * Whether the 回访 outcome may be recorded: on a resolved complaint, or on one an agent closed
 * while its call still waited (the call goes ahead; a low score or a rejection reopens it).
 */
export function awaitsFollowUp(c: Pick<Complaint, 'status' | 'followUp'>): boolean {
  return (
    c.status === 'resolved' ||
    (c.status === 'closed' && c.followUp !== undefined && c.followUp.at === undefined)
  );
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string; allowed: ComplaintStatus[] };

/** Whether a transition is legal now; a reopen also needs to fall inside the reopen window. */
export function checkTransition(
  c: Pick<Complaint, 'status' | 'resolvedAt'>,
  to: ComplaintStatus,
  now: Date,
  reopenWindowMinutes: number,
): TransitionCheck {
  const allowed = allowedTransitions(c, now, reopenWindowMinutes);
  if (allowed.includes(to)) return { ok: true };
  const reason = TRANSITIONS[c.status].includes(to)
    ? `a complaint can be reopened only within ${reopenWindowMinutes} minutes of its resolution`
    : `a complaint that is ${c.status} cannot become ${to}`;
  return { ok: false, reason, allowed };
}

export function allowedTransitions(
  c: Pick<Complaint, 'status' | 'resolvedAt'>,
  now: Date,
  reopenWindowMinutes: number,
): ComplaintStatus[] {
  return TRANSITIONS[c.status].filter((to) => {
    const reopen = (c.status === 'resolved' || c.status === 'closed') && to === 'in-progress';
    if (!reopen) return true;
    return (
      c.resolvedAt !== undefined && now.getTime() - Date.parse(c.resolvedAt) <= reopenWindowMinutes * 60_000
    );
  });
}

/** The version an agent sent is not the complaint's version any more. */
export function versionConflict(c: Pick<Complaint, 'reference' | 'version'>, sent: number) {
  return new ConflictError(
    `Complaint ${c.reference} is at version ${c.version}, not ${sent}: reload it`,
    { sentVersion: sent, currentVersion: c.version },
    'version-conflict',
    `投诉 ${c.reference} 当前为第 ${c.version} 版，而非第 ${sent} 版：请刷新后重试`,
  );
}

function actionName(from: ComplaintStatus, to: ComplaintStatus): string {
  if ((from === 'resolved' || from === 'closed') && to === 'in-progress') return 'reopened';
  return {
    open: 'opened',
    acknowledged: 'acknowledged',
    'in-progress': 'started',
    resolved: 'resolved',
    closed: 'closed',
  }[to];
}
