import { ENTITY } from './keys.ts';

/** The generic attributes every item may carry: keys, index keys, the entity marker and TTL. */
const GENERIC = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', ENTITY, 'expiresAt'];

export type Item = Record<string, unknown>;

/** An item without its generic attributes (keys, index keys, entity marker, TTL). */
export function stripItem<T>(item: Item, hidden: ReadonlySet<string> = GENERIC_SET): T {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (!hidden.has(k)) out[k] = v;
  return out as T;
}

const GENERIC_SET: ReadonlySet<string> = new Set(GENERIC);

/**
 * An entity of the single table, declared once (the ElectroDB way): its name, how its keys are
 * built from a value, and the stored-only attributes (search keys, flags) a read drops. The value
 * type comes from the entity's zod schema; `toItem` and `fromItem` are the only places a value
 * becomes an item and back.
 */
export interface Entity<T> {
  readonly name: string;
  toItem(value: T): Item;
  fromItem(item: Item): T;
}

export function entity<T extends object>(def: {
  name: string;
  /** pk, sk and whichever index keys the value belongs in. */
  keys: (value: T) => Item;
  /** Attributes stored beside the value for queries and filters, dropped on read. */
  stored?: (value: T) => Item;
  /** Names of the stored attributes. */
  storedNames?: readonly string[];
  /** Epoch seconds after which DynamoDB's TTL removes the item. */
  expiresAt?: (value: T) => number | undefined;
}): Entity<T> {
  const hidden = new Set([...GENERIC, ...(def.storedNames ?? [])]);
  return {
    name: def.name,
    toItem(value: T): Item {
      const expiresAt = def.expiresAt?.(value);
      return {
        ...def.keys(value),
        [ENTITY]: def.name,
        ...def.stored?.(value),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...value,
      };
    },
    fromItem: (item: Item): T => stripItem<T>(item, hidden),
  };
}
