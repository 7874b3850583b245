/**
 * Counts failed sign-ins per key (an account, an address) in a sliding window, in this process's
 * memory. Nothing is written anywhere: the keys (usernames, client addresses) are never stored,
 * and a restart forgets them. One process serves Vigil, so one limiter sees every attempt; a
 * deployment with several processes behind a balancer would need a shared store instead.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  /** @param maxKeys keys kept at most; beyond that the oldest are forgotten, so a flood of addresses cannot exhaust memory. */
  constructor(private readonly maxKeys = 100_000) {}

  /** Seconds until `key` may try again (0: it may now), given at most `limit` failures per `windowMs`. */
  retryAfter(key: string, limit: number, windowMs: number, now: number): number {
    const recent = this.recent(key, windowMs, now);
    if (recent.length < limit) return 0;
    // The oldest failure still counted must leave the window before another attempt is allowed.
    const oldest = recent[recent.length - limit];
    if (oldest === undefined) return 0;
    return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
  }

  /** Records a failure of `key` at `now`. */
  fail(key: string, windowMs: number, now: number): void {
    const recent = this.recent(key, windowMs, now);
    recent.push(now);
    this.failures.delete(key);
    this.failures.set(key, recent);
    if (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
  }

  /** Forgets the failures of `key` (after a successful sign-in of that account). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  /** Takes back one failure of `key` recorded at `at` (an attempt counted in advance that succeeded). */
  forgive(key: string, at: number): void {
    const all = this.failures.get(key);
    const i = all?.lastIndexOf(at) ?? -1;
    if (!all || i < 0) return;
    all.splice(i, 1);
    if (all.length === 0) this.failures.delete(key);
  }

  private recent(key: string, windowMs: number, now: number): number[] {
    const all = this.failures.get(key);
    if (!all) return [];
    const recent = all.filter((t) => t > now - windowMs && t <= now);
    if (recent.length === 0) this.failures.delete(key);
    else if (recent.length !== all.length) this.failures.set(key, recent);
    return recent;
  }
}
