/**
 * A token bucket: `rate` tokens a second, at most `burst` saved up. `take()` answers how many
 * milliseconds to wait before the next dial is allowed (0 = now) and books the token.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    const wait = ((1 - this.tokens) / this.rate) * 1000;
    this.tokens -= 1;
    return Math.ceil(wait);
  }

  /** Gives back a token booked by `take()` for a call that did not go out after all. */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  /** Takes a token if one is there now; a refusal books nothing (as a throttling service does). */
  tryTake(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** What a campaign allows a run: its pace (dials a minute) and its agents (calls at once). */
export interface CampaignLimits {
  id: string;
  pacing: { dialsPerMinute: number; maxConcurrent: number };
}

/**
 * A run's slots per campaign, against its pace over the run's minutes and its agent limit (the
 * calls in progress when the run began count). A worker takes a slot before it claims a callback,
 * so workers running side by side never pass a limit together, and gives it back on every path
 * that does not place the call.
 */
export class CampaignSlots {
  private readonly dialed = new Map<string, number>();
  private readonly active: Map<string, number>;

  constructor(
    private readonly minutes: number,
    activeAtStart: Iterable<[string, number]>,
  ) {
    this.active = new Map(activeAtStart);
  }

  /** Takes a slot; false when the campaign is at its pace or its agent limit. */
  take(c: CampaignLimits): boolean {
    const dialed = this.dialed.get(c.id) ?? 0;
    const active = this.active.get(c.id) ?? 0;
    if (dialed >= c.pacing.dialsPerMinute * this.minutes || active >= c.pacing.maxConcurrent) return false;
    this.dialed.set(c.id, dialed + 1);
    this.active.set(c.id, active + 1);
    return true;
  }

  /** Gives back a slot whose call was not placed. */
  giveBack(campaignId: string): void {
    this.dialed.set(campaignId, Math.max(0, (this.dialed.get(campaignId) ?? 0) - 1));
    this.active.set(campaignId, Math.max(0, (this.active.get(campaignId) ?? 0) - 1));
  }
}
