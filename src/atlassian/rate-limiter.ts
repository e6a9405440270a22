// Pacing shared by every stream: one request-rate ceiling and one concurrency limit for the whole connector,
// and a backoff per product. When Atlassian says a product's budget runs low (X-RateLimit-Remaining,
// X-RateLimit-NearLimit) that product slows down for everyone and recovers over seconds; a 429 pauses the
// whole product until the server's reset time. The other product keeps its pace.
import { realClock, type Clock } from './retry';

/** How far behind its grid the pace may run and still catch up (see `nextSlot`). */
const CATCH_UP_MS = 100;

/**
 * The slot after a send at `now` by a request queued at `queuedAt`, when the slot was due at `due`. Slots sit
 * on a grid: a request that was already waiting when its slot came due counts as sent on time, so timers that
 * fire late while the event loop parses a large response do not push every later slot back. The pace catches
 * up at most `CATCH_UP_MS`, and a request arriving after an idle spell starts the grid afresh (no burst).
 */
function nextSlot(due: number, queuedAt: number, now: number, interval: number): number {
  return Math.max(due, queuedAt, now - CATCH_UP_MS) + interval;
}

/**
 * How much longer than a second the count of `SendWindow` spans. Requests sent a second apart can arrive
 * closer together (network jitter, a busy server stamping them late): the server's one-second window sees
 * the sends of a slightly longer span. 3% lets 30 ms of that through without a 429 (1% met one in about
 * eight bench syncs against the simulator's fixed windows) and caps the pace at 97% of the ceiling.
 */
const WINDOW_MARGIN = 1.03;

/**
 * The ceiling as a count: at most `size` sends in any `spanMs` (one second's worth, plus the margin), so
 * catching up never puts more than the ceiling's requests into a one-second window.
 */
class SendWindow {
  private readonly sent: number[];
  private oldest = 0;
  private readonly spanMs: number;

  constructor(requestsPerSecond: number) {
    const size = Math.max(1, Math.floor(requestsPerSecond));
    this.sent = new Array<number>(size).fill(-Infinity);
    this.spanMs = ((size * 1000) / requestsPerSecond) * WINDOW_MARGIN;
  }

  readyAt(): number {
    return this.sent[this.oldest]! + this.spanMs;
  }

  took(now: number): void {
    this.sent[this.oldest] = now;
    this.oldest = (this.oldest + 1) % this.sent.length;
  }
}

/** A request waiting for its turn, and the product limiter it goes through. */
interface Waiter {
  limiter: RateLimiter;
  queuedAt: number;
  grant: (release: () => void) => void;
}

/**
 * Hands out turns to send: at most `limit` requests in flight, each one sent at the next free slot of the
 * connector-wide ceiling and of its own product's (possibly slowed or paused) pace. A request waiting for
 * its slot holds no concurrency, so `limit` counts requests on the wire only. Among the requests whose
 * product is ready, the longest-waiting goes first.
 */
export class Dispatcher {
  private active = 0;
  private nextSlotAt = 0;
  private readonly queue: Waiter[] = [];
  /** When the pending wake-up fires; another is set only for an earlier time. */
  private wakeAt = Infinity;
  private readonly interval: number;
  private readonly window: SendWindow;

  constructor(
    readonly limit: number,
    requestsPerSecond: number,
    private readonly clock: Clock = realClock,
  ) {
    this.interval = 1000 / requestsPerSecond;
    this.window = new SendWindow(requestsPerSecond);
  }

  turn(limiter: RateLimiter, signal?: AbortSignal): Promise<() => void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const abort = (): void => {
        const at = this.queue.indexOf(waiter);
        if (at !== -1) this.queue.splice(at, 1);
        reject(signal?.reason as Error);
      };
      const waiter: Waiter = {
        limiter,
        queuedAt: this.clock.now(),
        grant: (release) => {
          signal?.removeEventListener('abort', abort);
          resolve(release);
        },
      };
      signal?.addEventListener('abort', abort, { once: true });
      this.queue.push(waiter);
      this.dispatch();
    });
  }

  private dispatch(): void {
    const now = this.clock.now();
    while (this.active < this.limit && this.queue.length > 0) {
      let next = -1;
      let earliest = Infinity;
      for (let i = 0; i < this.queue.length; i++) {
        const at = Math.max(this.nextSlotAt, this.window.readyAt(), this.queue[i]!.limiter.readyAt());
        if (at <= now) {
          next = i;
          break;
        }
        earliest = Math.min(earliest, at);
      }
      if (next === -1) return this.wakeUpAt(earliest, now);
      const [waiter] = this.queue.splice(next, 1);
      this.active++;
      const due = Math.max(this.nextSlotAt, this.window.readyAt());
      this.nextSlotAt = nextSlot(due, waiter!.queuedAt, now, this.interval);
      this.window.took(now);
      waiter!.limiter.took(now, waiter!.queuedAt);
      waiter!.grant(this.releaser());
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.dispatch();
    };
  }

  private wakeUpAt(at: number, now: number): void {
    if (at >= this.wakeAt) return;
    this.wakeAt = at;
    void this.clock.sleep(at - now).then(() => {
      if (this.wakeAt === at) this.wakeAt = Infinity;
      this.dispatch();
    });
  }
}

export interface RateLimiterOptions {
  requestsPerSecond: number;
  /** Shared by every product: one concurrency limit and one rate ceiling for the whole connector. */
  dispatcher: Dispatcher;
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

  constructor(private readonly options: RateLimiterOptions) {
    this.clock = options.clock ?? realClock;
    this.slowdownFactor = options.slowdownFactor ?? 0.25;
    this.recoveryPerSecond = options.recoveryPerSecond ?? 0.1;
  }

  /** Waits for a turn to send (concurrency and rate); call the returned function when the response is in. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    return this.options.dispatcher.turn(this, signal);
  }

  /** When this product may send next: its own pace (slowed after pushback) and any 429 pause. */
  readyAt(): number {
    return Math.max(this.nextSlotAt, this.pausedUntil);
  }

  /** A request of this product was sent at `now`. */
  took(now: number, queuedAt: number): void {
    const interval = 1000 / this.options.requestsPerSecond / this.factor(now);
    this.nextSlotAt = nextSlot(this.readyAt(), queuedAt, now, interval);
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
