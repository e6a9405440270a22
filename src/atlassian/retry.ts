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

/** `Retry-After` as delta-seconds or an HTTP-date → milliseconds to wait (undefined when absent or garbage). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
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
 * How long to wait on a rate-limited answer: at least what the server asked for (Retry-After or the reset time),
 * otherwise exponential backoff. Never longer than `capMs`: a broken header must not park the sync for a day.
 */
export function rateLimitDelay(options: {
  retryAfter?: string;
  reset?: string;
  now: number;
  attempt: number;
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;
  capMs?: number;
  random?: () => number;
}): { delayMs: number; resetAt?: number } {
  const asked = parseRetryAfter(options.retryAfter, options.now);
  const resetAt = parseRateLimitReset(options.reset);
  const untilReset = resetAt === undefined ? undefined : Math.max(0, resetAt - options.now);
  const serverDelay = Math.max(asked ?? 0, untilReset ?? 0);
  const fallback = backoffDelay(options.attempt, options.policy, options.random);
  const hasServerHint = asked !== undefined || untilReset !== undefined;
  // A little jitter on top of the server's delay so parallel workers do not all retry in the same millisecond.
  const jitter = hasServerHint
    ? Math.round((options.random ?? Math.random)() * Math.min(1000, options.policy.baseDelayMs))
    : 0;
  const delayMs = Math.min(options.capMs ?? 15 * 60_000, hasServerHint ? serverDelay + jitter : fallback);
  return { delayMs, resetAt: resetAt ?? (asked !== undefined ? options.now + asked : undefined) };
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
