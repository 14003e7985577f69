import { createHash } from 'node:crypto';

/** A short tag of a value's JSON: equal values, equal tags; any change, a new tag. */
export function contentTag(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);
}

/** `complaints.x1,calls.z3` → { complaints: 'x1', calls: 'z3' }. */
export function heldTags(have: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of have ? have.split(',') : []) {
    const dot = pair.indexOf('.');
    if (dot > 0) out[pair.slice(0, dot)] = pair.slice(dot + 1);
  }
  return out;
}

/** A section of a feed: its tag, and its items unless the client holds that tag already. */
export function section<T>(items: T[], held: string | undefined): { tag: string; items?: T[] } {
  const tag = contentTag(items);
  return tag === held ? { tag } : { tag, items };
}
