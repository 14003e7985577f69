import type * as z from 'zod';

export interface FieldError {
  /** Dotted path of the failing field, e.g. `contacts.0.phones.1.number`; `(root)` for the whole body. */
  path: string;
  message: string;
  /** The message in Chinese, for a client that asks for it (Accept-Language); English otherwise. */
  messageZh?: string;
}

/**
 * What went wrong, in the domain's words. The HTTP layer maps each to a status code
 * (platform/http/handler.ts); a Connect Lambda maps them to what the caller hears.
 */
export type Problem =
  | 'invalid'
  | 'not-found'
  | 'already-exists'
  | 'version-conflict'
  | 'illegal-transition'
  | 'idempotency-key-reused'
  | 'in-progress';

/** A failure the caller can act on; its message is safe to show. */
export class DomainError extends Error {
  /** The message in Chinese, for a client that asks for it; else the problem's Chinese headline. */
  messageZh?: string;

  constructor(
    readonly problem: Problem,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Each problem's headline in Chinese, for an error that carries no Chinese message of its own. */
export const PROBLEM_ZH: Record<Problem, string> = {
  invalid: '请求无效：请看各字段的说明',
  'not-found': '找不到该记录',
  'already-exists': '该记录已存在',
  'version-conflict': '已被他人先修改：请刷新后重试',
  'illegal-transition': '当前状态下不允许此操作',
  'idempotency-key-reused': '此 Idempotency-Key 已用于另一个请求',
  'in-progress': '同一请求仍在处理中：请稍后重试',
};

/** The names of what can be not found, in Chinese. */
const ENTITY_ZH: Record<string, string> = {
  Account: '客户',
  Call: '通话',
  Callback: '回呼',
  Campaign: '外呼活动',
  Complaint: '投诉',
  Contact: '联系人',
  Shipment: '运单',
};

export class ValidationError extends DomainError {
  /** `problem`: a field refused for what it names (an unknown account: not-found; a delivered shipment: a conflict). */
  constructor(
    readonly errors: FieldError[],
    message = 'The request is not valid',
    problem: Problem = 'invalid',
  ) {
    super(problem, message, { errors });
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id: string) {
    super('not-found', `${what} ${id} was not found`);
    this.messageZh = `找不到${ENTITY_ZH[what] ?? what} ${id}`;
  }
}

/** Someone else changed it first (a stale version), or it exists already. */
export class ConflictError extends DomainError {
  constructor(
    message: string,
    details?: Record<string, unknown>,
    problem: Problem = 'version-conflict',
    messageZh?: string,
  ) {
    super(problem, message, details);
    if (messageZh) this.messageZh = messageZh;
  }
}

/** The lifecycle does not allow this now; `details.allowed` lists what it does allow. */
export class IllegalTransition extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('illegal-transition', message, details);
  }
}

/** A pure transition's answer: the next state and what must happen with it, or why not. */
export type Decision<S, E = never> = { ok: true; next: S; effects: E[] } | { ok: false; error: DomainError };

export const accept = <S, E = never>(next: S, effects: E[] = []): Decision<S, E> => ({
  ok: true,
  next,
  effects,
});
export const reject = <S, E = never>(error: DomainError): Decision<S, E> => ({ ok: false, error });

/** The next state of an accepted decision, or the decision's error thrown. */
export function decided<S, E>(d: Decision<S, E>): { next: S; effects: E[] } {
  if (!d.ok) throw d.error;
  return d;
}

export function zodIssuesToFieldErrors(
  issues: readonly z.core.$ZodIssue[],
  prefix: (string | number)[] = [],
): FieldError[] {
  return issues.map((i) => {
    const path = [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))].join('.');
    // A missing value says so plainly, instead of "expected string, received undefined".
    const message = /received undefined$/.test(i.message)
      ? 'is required'
      : /实际接收 undefined$/.test(i.message)
        ? '必填'
        : i.message;
    return { path: path === '' ? '(root)' : path, message };
  });
}

/**
 * Parses with a zod schema or throws a ValidationError naming every failing field; `options`
 * (an error map: the HTTP layer's Chinese one) words zod's own messages.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix: (string | number)[] = [],
  options?: z.core.ParseContext<z.core.$ZodIssue>,
): z.output<S> {
  const r = schema.safeParse(value, options);
  if (!r.success) throw new ValidationError(zodIssuesToFieldErrors(r.error.issues, prefix));
  return r.data;
}
