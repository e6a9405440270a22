// Fault and latency knobs. Every random decision comes from one seeded stream, drawn in request-arrival
// order, so a run with the same seed and the same request sequence replays the same faults.
import { createRng } from './rng';
import type { Rng } from './types';

export interface Knobs {
  /** Fixed latency added to every response. */
  latencyMs: number;
  /** Uniform extra latency in [0, jitterMs]. */
  jitterMs: number;
  /** Requests per second across the site before 429s (0 = no limit). */
  rateLimitPerSecond: number;
  retryAfterForm: 'seconds' | 'http-date' | 'both';
  /** Share of requests answered with a 5xx. */
  errorRate: number;
  /** Share of requests whose connection is destroyed without a response. */
  resetRate: number;
  /** Share of requests delayed by `slowMs` more. */
  slowRate: number;
  slowMs: number;
  /** Share of requests answered 200 with a broken body (HTML error page or truncated JSON). */
  malformedRate: number;
  /** Lifetime of OAuth access tokens from /oauth/token (Atlassian: 60 minutes). */
  oauthTokenLifetimeSeconds: number;
}

export const DEFAULT_KNOBS: Knobs = {
  latencyMs: 0,
  jitterMs: 0,
  rateLimitPerSecond: 0,
  retryAfterForm: 'seconds',
  errorRate: 0,
  resetRate: 0,
  slowRate: 0,
  slowMs: 2000,
  malformedRate: 0,
  oauthTokenLifetimeSeconds: 3600,
};

export type Fault =
  | { kind: 'none' }
  | { kind: 'reset' }
  | { kind: 'error'; status: number }
  | { kind: 'malformed'; form: 'html' | 'truncated' }
  | { kind: 'rate-limited'; headers: Record<string, string> };

export interface FaultDecision {
  fault: Fault;
  delayMs: number;
}

export class FaultInjector {
  private readonly rng: Rng;
  private windowStart = 0;
  private windowCount = 0;
  private limitedCount = 0;

  constructor(
    seed: number,
    private knobs: Knobs,
  ) {
    this.rng = createRng(seed).fork('faults');
  }

  setKnobs(knobs: Knobs): void {
    this.knobs = knobs;
  }

  get current(): Knobs {
    return this.knobs;
  }

  decide(nowMs: number): FaultDecision {
    const k = this.knobs;
    // Always draw the same number of values per request so decisions stay aligned with arrival order.
    const [jitter, slow, reset, error, malformed, pick] = [0, 0, 0, 0, 0, 0].map(() => this.rng.next()) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    let delayMs = k.latencyMs + Math.floor(jitter * (k.jitterMs + 1));
    if (slow < k.slowRate) delayMs += k.slowMs;
    const limited = this.rateLimit(nowMs);
    if (limited) return { fault: limited, delayMs };
    if (reset < k.resetRate) return { fault: { kind: 'reset' }, delayMs };
    if (error < k.errorRate)
      return { fault: { kind: 'error', status: [500, 502, 503, 504][Math.floor(pick * 4)]! }, delayMs };
    if (malformed < k.malformedRate) {
      return { fault: { kind: 'malformed', form: pick < 0.5 ? 'html' : 'truncated' }, delayMs };
    }
    return { fault: { kind: 'none' }, delayMs };
  }

  /** Fixed one-second windows: the (limit+1)th request of a window gets 429 until the window ends. */
  private rateLimit(nowMs: number): Fault | undefined {
    const limit = this.knobs.rateLimitPerSecond;
    if (limit <= 0) return undefined;
    const window = Math.floor(nowMs / 1000) * 1000;
    if (window !== this.windowStart) {
      this.windowStart = window;
      this.windowCount = 0;
    }
    this.windowCount++;
    const resetAt = window + 1000;
    const remaining = Math.max(0, limit - this.windowCount);
    if (this.windowCount <= limit) return undefined;
    const retrySeconds = Math.max(1, Math.ceil((resetAt - nowMs) / 1000));
    const retryAt = new Date(nowMs + retrySeconds * 1000);
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(remaining),
      // Atlassian documents the reset as an ISO-8601 timestamp.
      'X-RateLimit-Reset': retryAt.toISOString(),
      'RateLimit-Reason': 'confluence-burst-based',
    };
    // `both`: alternate the two forms RFC 9110 allows, so a client must parse either.
    const form = this.knobs.retryAfterForm;
    const asDate = form === 'http-date' || (form === 'both' && this.limitedCount++ % 2 === 1);
    headers['Retry-After'] = asDate ? retryAt.toUTCString() : String(retrySeconds);
    return { kind: 'rate-limited', headers };
  }
}
