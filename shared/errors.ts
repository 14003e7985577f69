import type { z } from 'zod';

export interface FieldError {
  /** Dotted path of the failing field, e.g. `contacts.0.phones.1.number`; `(root)` for the whole body. */
  path: string;
  message: string;
}

/** A failure the caller can act on. `expose` errors are shown to the caller as they are. */
export class AppError extends Error {
  readonly expose = true;
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(
    readonly errors: FieldError[],
    message = 'The request is not valid',
  ) {
    super(400, 'validation_failed', message, { errors });
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super(404, 'not_found', `${what} ${id} was not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(409, 'conflict', message, details);
  }
}

export function zodIssuesToFieldErrors(
  issues: readonly z.core.$ZodIssue[],
  prefix: (string | number)[] = [],
): FieldError[] {
  return issues.map((i) => {
    const path = [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))].join('.');
    return { path: path === '' ? '(root)' : path, message: i.message };
  });
}

/** Parses with a zod schema or throws a ValidationError naming every failing field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix: (string | number)[] = [],
): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(zodIssuesToFieldErrors(r.error.issues, prefix));
  return r.data;
}
