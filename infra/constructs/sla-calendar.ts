import type { Construct } from 'constructs';
import { KeylineFunction } from './keyline-function.ts';

/**
 * The functions whose code computes complaint SLAs (complaintPolicyFromEnv): each reads the
 * deployment's calendar (SLA_CALENDAR). test/infra/sla-calendar.test.ts holds this list to the
 * handlers that call it.
 */
export const SLA_FUNCTION_ENTRIES = [
  'functions/complaints/handler.ts',
  'functions/screen-pop-api/handler.ts',
  'functions/sla-escalation/handler.ts',
  'functions/ivr-complaint/handler.ts',
  'functions/ivr-handoff/handler.ts',
] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `-c slaCalendar`: holidays and extra working days by time zone, beyond the built-in China
 * calendar (a year chinese-days does not know yet, or another country's), as SLA_CALENDAR wants
 * it: `{"holidays":{"Asia/Shanghai":["2027-02-08",…]},"workdays":{"Asia/Shanghai":[…]}}`.
 * Returns the compact JSON, or what is wrong with it.
 */
export function parseSlaCalendar(text: string): { json: string } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {
      problem: 'slaCalendar must be JSON: {"holidays":{"<time zone>":["YYYY-MM-DD",…]},"workdays":{…}}',
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'slaCalendar must be a JSON object with "holidays" and/or "workdays"' };
  for (const [key, byZone] of Object.entries(value)) {
    if (key !== 'holidays' && key !== 'workdays')
      return { problem: `slaCalendar has "${key}"; it takes "holidays" and "workdays" only` };
    if (typeof byZone !== 'object' || byZone === null || Array.isArray(byZone))
      return { problem: `slaCalendar.${key} must map a time zone to its dates` };
    for (const [zone, days] of Object.entries(byZone)) {
      if (!validZone(zone)) return { problem: `slaCalendar.${key}: "${zone}" is not an IANA time zone` };
      if (!Array.isArray(days)) return { problem: `slaCalendar.${key}.${zone} must be a list of dates` };
      const bad = days.find((d) => typeof d !== 'string' || !DAY.test(d) || Number.isNaN(Date.parse(d)));
      if (bad !== undefined)
        return { problem: `slaCalendar.${key}.${zone}: ${JSON.stringify(bad)} is not a date (YYYY-MM-DD)` };
    }
  }
  return { json: JSON.stringify(value) };
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Gives every SLA-computing function of `scope` the calendar. */
export function applySlaCalendar(scope: Construct, json: string): void {
  const entries = new Set<string>(SLA_FUNCTION_ENTRIES);
  for (const c of scope.node.findAll())
    if (c instanceof KeylineFunction && entries.has(c.entry)) c.fn.addEnvironment('SLA_CALENDAR', json);
}
