import { ComplaintEnv, loadEnv } from '../config/env.ts';
import { DEFAULT_SLA_POLICY } from '../domain/sla.ts';
import type { ComplaintOptions } from '../store/complaints.ts';

/** Complaint store options from the environment (SLA time scale, reopen window, follow-up delay). */
export function complaintOptionsFromEnv(source: NodeJS.ProcessEnv = process.env): ComplaintOptions {
  const env = loadEnv(ComplaintEnv, source);
  return {
    sla: { ...DEFAULT_SLA_POLICY, timeScale: env.SLA_TIME_SCALE },
    reopenWindowMinutes: env.REOPEN_WINDOW_MINUTES,
    followUpDelayMinutes: env.FOLLOW_UP_DELAY_MINUTES,
  };
}
