// Pacing shared by every stream: one request-rate ceiling and one concurrency limit for the whole connector,
// and a backoff per product. When Atlassian says a product's budget runs low (X-RateLimit-Remaining,
// X-RateLimit-NearLimit) that product slows down for everyone and recovers over seconds; a 429 pauses the
// whole product until the server's reset time. The other product keeps its pace.
import { realClock, type Clock } from './retry';

/** A counting semaphore: at most `limit` holders, FIFO waiters. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly limit: number) {}

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', abort);
          resolve();
        };
        const abort = (): void => {
          const at = this.waiters.indexOf(wake);
          if (at !== -1) this.waiters.splice(at, 1);
          reject(signal?.reason as Error);
        };
        if (signal?.aborted) return abort();
        signal?.addEventListener('abort', abort, { once: true });
        this.waiters.push(wake);
      });
    } else {
      this.active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter; `active` only drops when nobody waits.
      if (next) next();
      else this.active--;
    };
  }
}

/** The next free slot under the configured ceiling, shared by every product's limiter. */
export class Pace {
  nextSlotAt = 0;
}

export interface RateLimiterOptions {
  requestsPerSecond: number;
  /** Shared so that `requests_per_second` bounds all products together, not each of them. */
  pace?: Pace;
  /** Shared across products so `max_concurrency` bounds the whole connector. */
  concurrency: Semaphore;
  clock?: Clock;
  /** Rate multiplier the bucket drops to when the budget runs low (default 0.25). */
  slowdownFactor?: number;
  /** How fast a slowed bucket climbs back, in fractions of the full rate per second (default 0.1). */
  recoveryPerSecond?: number;
}

/** A 429 halves the current rate, down to this fraction of the ceiling at most. */
const MIN_FACTOR = 0.1;

/**
 * Leaky-bucket pacing: each request takes the next free slot `1 / rate` seconds after the previous one.
 * The rate backs off multiplicatively when Atlassian pushes back and recovers linearly (AIMD), so a sync
 * running right at the ceiling loses a few seconds to an occasional 429 instead of crawling for long.
 */
export class RateLimiter {
  private nextSlotAt = 0;
  private pausedUntil = 0;
  /** The rate multiplier set by the last cut, and when: it recovers from there. */
  private cutTo = 1;
  private cutAt = 0;
  private readonly clock: Clock;
  private readonly slowdownFactor: number;
  private readonly recoveryPerSecond: number;
  private readonly pace: Pace;

  constructor(private readonly options: RateLimiterOptions) {
    this.clock = options.clock ?? realClock;
    this.pace = options.pace ?? new Pace();
    this.slowdownFactor = options.slowdownFactor ?? 0.25;
    this.recoveryPerSecond = options.recoveryPerSecond ?? 0.1;
  }

  /** Waits for a concurrency slot and a rate slot; call the returned function when the response is in. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    const release = await this.options.concurrency.acquire(signal);
    try {
      for (;;) {
        const now = this.clock.now();
        const ceiling = 1000 / this.options.requestsPerSecond;
        const interval = ceiling / this.factor(now);
        const slot = Math.max(now, this.nextSlotAt, this.pausedUntil, this.pace.nextSlotAt);
        if (slot <= now) {
          this.nextSlotAt = now + interval;
          this.pace.nextSlotAt = now + ceiling;
          return release;
        }
        // Re-evaluate after waiting: a 429 elsewhere may have moved the pause further out meanwhile.
        await this.clock.sleep(slot - now, signal);
      }
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Reads the budget headers of any response: a low budget drops the rate to `slowdownFactor`. */
  observe(headers: Record<string, string | undefined>): void {
    const limit = Number(headers['x-ratelimit-limit']);
    const remaining = Number(headers['x-ratelimit-remaining']);
    const near = headers['x-ratelimit-nearlimit']?.trim().toLowerCase() === 'true';
    const low = Number.isFinite(limit) && limit > 0 && Number.isFinite(remaining) && remaining < limit * 0.1;
    if (near || low) this.cut(Math.min(this.factor(this.clock.now()), this.slowdownFactor));
  }

  /**
   * After a 429: nobody on this product sends for `delayMs`, then at half the rate it had. The requests
   * already in flight when the limit hit get their 429s within the same pause: they cut only once.
   */
  pauseFor(delayMs: number): void {
    const now = this.clock.now();
    if (now >= this.pausedUntil) this.cut(Math.max(MIN_FACTOR, this.factor(now) / 2));
    this.pausedUntil = Math.max(this.pausedUntil, now + delayMs);
  }

  /** The current fraction of the configured rate. */
  private factor(now: number): number {
    return Math.min(1, this.cutTo + (this.recoveryPerSecond * Math.max(0, now - this.cutAt)) / 1000);
  }

  private cut(to: number): void {
    this.cutTo = to;
    this.cutAt = this.clock.now();
  }
}
