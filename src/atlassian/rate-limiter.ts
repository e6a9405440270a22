// Pacing shared by every stream: one request-rate bucket per product and one concurrency limit for the site.
// When Atlassian says the budget runs low (X-RateLimit-Remaining, X-RateLimit-NearLimit) the bucket slows down
// for everyone for a while; a 429 pauses the whole product until the server's reset time.
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

export interface RateLimiterOptions {
  requestsPerSecond: number;
  /** Shared across products so `max_concurrency` bounds the whole connector. */
  concurrency: Semaphore;
  clock?: Clock;
  /** Rate multiplier while the budget is low (default 0.25) and for how long (default 30 s). */
  slowdownFactor?: number;
  slowdownMs?: number;
}

/** Leaky-bucket pacing: each request takes the next free slot `1 / rate` seconds after the previous one. */
export class RateLimiter {
  private nextSlotAt = 0;
  private pausedUntil = 0;
  private slowUntil = 0;
  private readonly clock: Clock;
  private readonly slowdownFactor: number;
  private readonly slowdownMs: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.clock = options.clock ?? realClock;
    this.slowdownFactor = options.slowdownFactor ?? 0.25;
    this.slowdownMs = options.slowdownMs ?? 30_000;
  }

  /** Waits for a concurrency slot and a rate slot; call the returned function when the response is in. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    const release = await this.options.concurrency.acquire(signal);
    try {
      for (;;) {
        const now = this.clock.now();
        const slowed = now < this.slowUntil;
        const interval = 1000 / (this.options.requestsPerSecond * (slowed ? this.slowdownFactor : 1));
        const slot = Math.max(now, this.nextSlotAt, this.pausedUntil);
        if (slot <= now) {
          this.nextSlotAt = now + interval;
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

  /** Reads the budget headers of any response. */
  observe(headers: Record<string, string | undefined>): void {
    const limit = Number(headers['x-ratelimit-limit']);
    const remaining = Number(headers['x-ratelimit-remaining']);
    const near = headers['x-ratelimit-nearlimit']?.trim().toLowerCase() === 'true';
    const low = Number.isFinite(limit) && limit > 0 && Number.isFinite(remaining) && remaining < limit * 0.1;
    if (near || low) this.slowUntil = this.clock.now() + this.slowdownMs;
  }

  /** After a 429: nobody on this product sends for `delayMs`. */
  pauseFor(delayMs: number): void {
    const until = this.clock.now() + delayMs;
    this.pausedUntil = Math.max(this.pausedUntil, until);
    this.slowUntil = Math.max(this.slowUntil, until + this.slowdownMs);
  }

  get slowedDown(): boolean {
    return this.clock.now() < this.slowUntil;
  }
}
