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

  /** Takes a token if one is there now; a refusal books nothing (as a throttling service does). */
  tryTake(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
