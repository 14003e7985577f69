/**
 * Exception playbooks by industry (seed 003: daily in-transit monitoring with a reachable driver,
 * prompt word to the client, a remedy that avoids a stock-out, an emergency plan per client's
 * business; seed 002: order service priority). Pure: what a delay's severity becomes, whether the
 * client may run out of stock, who is told, and the remedies customer service can offer.
 */
import type { Segment } from '../accounts/model.ts';
import type { DelaySeverity, ExceptionReason, Shipment } from './model.ts';
import type { Remedy } from './remedies.ts';

/** Who a playbook says must hear of a delay (the agent's checklist on the card). */
export const AUDIENCES = [
  'client-contacts',
  'account-manager',
  'dedicated-rep',
  'quality-assurance',
  'safety-officer',
] as const;
export type Audience = (typeof AUDIENCES)[number];

export interface Playbook {
  remedies: readonly Remedy[];
  tell: readonly Audience[];
}

export const PLAYBOOKS: Record<Segment, Playbook> = {
  // Retail shelves run empty: get goods there, in part if need be, or from another DC.
  fmcg: {
    remedies: ['expedite', 'partial-delivery', 'stock-transfer'],
    tell: ['client-contacts', 'account-manager', 'dedicated-rep'],
  },
  // Cold chain and GSP: check the temperature record, release by QA, or send a replacement.
  pharma: {
    remedies: ['temperature-check', 'quality-release', 'replacement-shipment', 'expedite'],
    tell: ['client-contacts', 'account-manager', 'quality-assurance'],
  },
  // Hazardous goods: the emergency response first, then a safe route.
  chemicals: {
    remedies: ['hazmat-response', 'reroute', 'expedite'],
    tell: ['client-contacts', 'account-manager', 'safety-officer'],
  },
  electrical: {
    remedies: ['expedite', 'partial-delivery', 'reroute'],
    tell: ['client-contacts', 'account-manager'],
  },
  other: { remedies: ['expedite', 'reroute'], tell: ['client-contacts'] },
};

export const playbookOf = (segment: Segment | undefined): Playbook => PLAYBOOKS[segment ?? 'other'];

const LEVELS: readonly DelaySeverity[] = ['minor', 'major', 'critical'];

/**
 * The severity by the minutes late, moved by the line's order service priority (importance 1, a
 * delay loses the sale: one level up; 3, a longer delay is acceptable: one down) and the
 * industry: temperature-controlled pharma is at least major, an accident with chemicals critical.
 */
export function playbookSeverity(
  s: Pick<Shipment, 'serviceLine' | 'segment' | 'temperatureRange'>,
  base: DelaySeverity,
  exceptionReason?: ExceptionReason,
): DelaySeverity {
  let level = LEVELS.indexOf(base);
  if (s.serviceLine?.importance === 1) level += 1;
  if (s.serviceLine?.importance === 3) level -= 1;
  if (s.segment === 'pharma' && s.temperatureRange) level = Math.max(level, 1);
  if (s.segment === 'chemicals' && exceptionReason === 'accident') level = 2;
  return LEVELS[Math.max(0, Math.min(2, level))] ?? base;
}

/** The client may run out of stock: a line where a delay loses the sale, or FMCG shelves on a critical delay. */
export function stockOutRiskOf(
  s: Pick<Shipment, 'serviceLine' | 'segment'>,
  severity: DelaySeverity,
): boolean {
  return s.serviceLine?.importance === 1 || (s.segment === 'fmcg' && severity === 'critical');
}
