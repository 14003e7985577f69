/**
 * Standing campaigns: callbacks join them without an agent creating a campaign. Each carries the
 * one policy its callbacks follow (window, retries, daily cap), whoever books the callback: the
 * IVR, a resolved complaint, a critical delay.
 */
import type { WeeklyWindow } from '../platform/time.ts';

/** The default window for calling a client back: Monday–Saturday, 09:00–20:00 local time. */
export const DEFAULT_CALLING_WINDOW: WeeklyWindow = {
  days: [1, 2, 3, 4, 5, 6],
  start: '09:00',
  end: '20:00',
  holidays: [],
};

export interface StandingCampaign {
  name: string;
  type: 'customer-callback' | 'complaint-follow-up' | 'delay-call' | 'account-review' | 'retention';
  window: WeeklyWindow;
  retry: { delayMinutes: number; maxAttempts: number };
  dailyCapPerRecipient: number;
  /** Dial rank of its callbacks when it is not the account's own (0 is dialed first). */
  rank?: number;
}

export const STANDING_CAMPAIGNS = {
  'customer-callbacks': {
    name: '客户预约回电 · Customer-requested callbacks',
    type: 'customer-callback',
    window: DEFAULT_CALLING_WINDOW,
    retry: { delayMinutes: 30, maxAttempts: 3 },
    dailyCapPerRecipient: 3,
  },
  /** A client who complained is called at most twice a day, an hour apart, ahead of campaign work. */
  'complaint-follow-up': {
    name: '投诉回访 · Complaint follow-ups',
    type: 'complaint-follow-up',
    window: DEFAULT_CALLING_WINDOW,
    retry: { delayMinutes: 60, maxAttempts: 3 },
    dailyCapPerRecipient: 2,
    rank: 100,
  },
  'proactive-delay-call': {
    name: '延误主动致电 · Proactive delay calls',
    type: 'delay-call',
    window: DEFAULT_CALLING_WINDOW,
    retry: { delayMinutes: 30, maxAttempts: 3 },
    dailyCapPerRecipient: 3,
  },
  /** Regular follow-up calls (回访) to key accounts monthly and the others quarterly. */
  'account-follow-up': {
    name: '客户定期回访 · Scheduled account follow-ups',
    type: 'account-review',
    window: DEFAULT_CALLING_WINDOW,
    retry: { delayMinutes: 120, maxAttempts: 3 },
    dailyCapPerRecipient: 1,
    rank: 200,
  },
  /** Churn management: an at-risk account's retention call, for its dedicated team and manager. */
  'retention-calls': {
    name: '客户挽留 · Retention calls',
    type: 'retention',
    window: DEFAULT_CALLING_WINDOW,
    retry: { delayMinutes: 120, maxAttempts: 3 },
    dailyCapPerRecipient: 1,
    rank: 50,
  },
} as const satisfies Record<string, StandingCampaign>;

export type StandingCampaignId = keyof typeof STANDING_CAMPAIGNS;

export const isStanding = (id: string): id is StandingCampaignId => id in STANDING_CAMPAIGNS;
