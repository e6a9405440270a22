// Backoff and rate-limit header arithmetic (ENDPOINTS.md §5), as pure functions of a clock reading.

export interface RetryPolicy {
  /** Retries after the first attempt, for 5xx, network errors and malformed bodies. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Retries on 429 (and 503 with Retry-After): these wait as long as the server asks, so allow more. */
  maxRateLimitRetries: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  maxRateLimitRetries: 20,
};

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      const timer = setTimeout(done, ms);
      function done(): void {
        signal?.removeEventListener('abort', abort);
        resolve();
      }
      function abort(): void {
        clearTimeout(timer);
        reject(signal?.reason as Error);
      }
      signal?.addEventListener('abort', abort, { once: true });
    }),
};

/** Exponential backoff with full jitter (AWS architecture blog): uniform in [0, min(max, base * 2^attempt)]. */
export function backoffDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

/** `Retry-After` as delta-seconds → milliseconds to wait (undefined when absent or not delta-seconds). */
export function parseRetryAfterSeconds(value: string | undefined): number | undefined {
  const trimmed = value?.trim();
  return trimmed && /^\d+(\.\d+)?$/.test(trimmed) ? Math.ceil(Number(trimmed) * 1000) : undefined;
}

/** `Retry-After` as delta-seconds or an HTTP-date → milliseconds to wait (undefined when absent or garbage). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = parseRetryAfterSeconds(value);
  if (seconds !== undefined) return seconds;
  const at = Date.parse(value.trim());
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `X-RateLimit-Reset` (ISO-8601, e.g. `2026-03-02T10:15Z`) → epoch ms. */
export function parseRateLimitReset(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  // Atlassian sends minute precision without seconds (`yyyy-MM-ddTHH:mmZ`), which Date.parse accepts.
  const at = Date.parse(trimmed);
  return Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}T/.test(trimmed) ? undefined : at;
}

/**
 * How long the server asked us to wait, in ms. A delta-seconds `Retry-After` needs no clock, so it wins
 * (ENDPOINTS.md §5). Absolute times (an HTTP-date `Retry-After`, `X-RateLimit-Reset`) are a fallback, read
 * against the response's `Date` (the server's clock): a local clock minutes off would otherwise stretch a
 * 5 s wait to minutes or turn it into none. An absolute time already past tells nothing: undefined.
 */
function serverDelay(options: { retryAfter?: string; reset?: string; date?: string; now: number }) {
  const seconds = parseRetryAfterSeconds(options.retryAfter);
  if (seconds !== undefined) return seconds;
  const serverDate = options.date ? Date.parse(options.date) : NaN;
  const serverNow = Number.isNaN(serverDate) ? options.now : serverDate;
  const asked = parseRetryAfter(options.retryAfter, serverNow);
  const resetAt = parseRateLimitReset(options.reset);
  const untilReset = resetAt === undefined ? undefined : resetAt - serverNow;
  const delay = asked ?? untilReset;
  return delay !== undefined && delay > 0 ? delay : undefined;
}

/**
 * How long to wait on a rate-limited answer: what the server asked for (Retry-After, else the reset time),
 * otherwise exponential backoff. Never longer than `capMs`: a broken header must not park the sync for a day.
 * `resetAt` is on the local clock (`now` plus the server's delay).
 */
export function rateLimitDelay(options: {
  retryAfter?: string;
  reset?: string;
  /** The response's `Date` header, to read absolute times against the server's clock. */
  date?: string;
  now: number;
  attempt: number;
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
  capMs?: number;
  random?: () => number;
}): { delayMs: number; resetAt?: number } {
  const asked = serverDelay(options);
  const cap = options.capMs ?? 15 * 60_000;
  if (asked === undefined) {
    return { delayMs: Math.min(cap, backoffDelay(options.attempt, options.policy, options.random)) };
  }
  // A little jitter on top of the server's delay so parallel workers do not all retry in the same millisecond.
  const jitter = Math.round((options.random ?? Math.random)() * Math.min(1000, options.policy.baseDelayMs));
  return { delayMs: Math.min(cap, asked + jitter), resetAt: options.now + asked };
}

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** Node network failures worth another attempt (resets, timeouts, "socket hang up"). */
export function isRetryableNetworkError(code: string | undefined, message: string): boolean {
  return (code !== undefined && RETRYABLE_NETWORK_CODES.has(code)) || /socket hang up|timeout/i.test(message);
}
