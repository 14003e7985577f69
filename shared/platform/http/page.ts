/**
 * Pages of a list, the one way every list route pages: `limit` and an opaque `next` token in the
 * query, `items` and the `next` of the following page in the answer (absent on the last page).
 * The token is the store's (platform/dynamo/query-page.ts queryPage); a client passes it back as it
 * was, and one that is not a token of that list is refused (400, query.next).
 */
import * as z from 'zod';

export const PageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(50)
    .meta({ description: 'Items on the page, at most 100' }),
  next: z
    .string()
    .min(1)
    .max(2048)
    .optional()
    .meta({ description: 'The next token of the previous page, as it was: the page after it' }),
};

/** A page of `item`s as a list route answers it. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    next: z
      .string()
      .optional()
      .meta({ description: 'Pass it back as `next` for the following page; absent on the last page' }),
  });
