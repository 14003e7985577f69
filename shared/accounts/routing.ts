/**
 * Which queue takes an account's calls: its service mode in force (the last review's, else the
 * rules'), resolved to a team from the teams registry.
 */
import type { Account } from './model.ts';

/** The general line, which takes calls from accounts served through the channel. */
export const CHANNEL_QUEUE = 'general-service';

/**
 * The queue a call from this account goes to, by its service mode: a dedicated team's queue
 * (the segment's service group until one is named), the segment's shared service group, or the
 * general line for accounts served through the channel. A monitored account stays with its
 * service group, behind everyone else (routingPriorityOf).
 */
export function routingQueueOf(
  a: Pick<Account, 'serviceGroup' | 'dedicatedTeam'> & {
    derived: Pick<Account['derived'], 'serviceMode'>;
  },
): string {
  switch (a.derived.serviceMode) {
    case 'dedicated':
      return a.dedicatedTeam ?? a.serviceGroup;
    case 'channel':
      return CHANNEL_QUEUE;
    default:
      return a.serviceGroup;
  }
}
