import { z } from 'zod';

/**
 * Reads configuration once, at cold start. A missing or malformed variable fails fast and says
 * which one, instead of surfacing later as an undefined table name.
 */
export function loadEnv<S extends z.ZodObject>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const r = schema.safeParse(source);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new Error(`Invalid configuration: ${problems}`);
}

export const TableEnv = z.object({
  TABLE_NAME: z.string({ error: 'TABLE_NAME is required' }).min(3, 'TABLE_NAME is required'),
});
