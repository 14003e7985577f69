import { ComplaintEnv, loadEnv } from '../platform/config.ts';
import type { ComplaintPolicy } from './lifecycle.ts';
import { DEFAULT_SLA_POLICY } from './sla.ts';

/** The complaint policy from the environment (SLA time scale, reopen window, follow-up delay). */
export function complaintPolicyFromEnv(source: NodeJS.ProcessEnv = process.env): ComplaintPolicy {
  const env = loadEnv(ComplaintEnv, source);
  return {
    sla: { ...DEFAULT_SLA_POLICY, timeScale: env.SLA_TIME_SCALE },
    reopenWindowMinutes: env.REOPEN_WINDOW_MINUTES,
    followUpDelayMinutes: env.FOLLOW_UP_DELAY_MINUTES,
  };
}
