/**
 * Order service priority (seed 002, 订单服务优先级): each product line of an account has a profit
 * grade (1–10) and an importance (1 = a delay loses the sale, 2 = a slight delay is acceptable,
 * 3 = a longer delay is acceptable). Their product is ranked, lowest first; equal products share a
 * rank and the next rank skips (the seed's own table: 12 and 12 are both 5th, the next is 7th).
 * The rank orders service: delay severity, proactive calls, and the order of shipments.
 */
import * as z from 'zod';
import { worded } from '../platform/worded-patterns.ts';

export const IMPORTANCES = [1, 2, 3] as const;
export type Importance = (typeof IMPORTANCES)[number];

export interface ServiceLine {
  profitGrade: number;
  importance: Importance;
}

/** Profit grade × importance: lower is served first. */
export function orderServiceScore(line: ServiceLine): number {
  return line.profitGrade * line.importance;
}

/** Ranks lines by score, lowest first, equal scores sharing a rank (1, 2, 2, 4 …). */
export function rankOrderServicePriority<T extends ServiceLine>(
  lines: readonly T[],
): (T & { score: number; rank: number })[] {
  const scored = lines.map((l) => ({ ...l, score: orderServiceScore(l) }));
  const sorted = [...scored].sort((a, b) => a.score - b.score);
  return sorted.map((l) => ({ ...l, rank: 1 + sorted.filter((x) => x.score < l.score).length }));
}

/** One of an account's product lines or lanes, as the account's input names it. */
export const ServiceLineInput = z
  .object({
    id: z
      .string()
      .regex(
        worded(
          /^[a-z0-9-]{2,40}$/,
          'use 2–40 lowercase letters, digits or -',
          '应为 2–40 个小写字母、数字或 -',
        ),
      ),
    name: z.string().trim().min(1).max(60),
    nameEn: z.string().trim().max(60).optional(),
    profitGrade: z
      .number()
      .int()
      .min(1)
      .max(10)
      .meta({ description: 'Profit grade, 1 (most profitable) to 10' }),
    importance: z
      .union([z.literal(1), z.literal(2), z.literal(3)])
      .meta({ description: '1 a delay loses the sale, 2 a slight delay is acceptable, 3 a longer one is' }),
  })
  .meta({ id: 'ServiceLine' });
export type ServiceLineInput = z.output<typeof ServiceLineInput>;

/** A line as a shipment carries it: with its rank among the account's lines. */
export const RankedLine = ServiceLineInput.extend({ score: z.number(), rank: z.number().int() }).meta({
  id: 'RankedServiceLine',
});
export type RankedLine = z.output<typeof RankedLine>;
