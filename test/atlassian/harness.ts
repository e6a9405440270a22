// Builds the real clients against nock hosts, with a recording clock so waits are asserted without waiting.
import { buildSite, createConnection } from '../../src/atlassian/connect';
import type { RetryPolicy } from '../../src/atlassian/retry';
import type { AtlassianSite } from '../../src/atlassian/site';
import { validateConfig } from '../../src/config';

export const SITE = 'http://127.0.0.1:4911';
export const GATEWAY = 'http://127.0.0.1:4912';
export const AUTH = 'http://127.0.0.1:4913';
export const CLOUD = 'c0ffee00-0000-4000-8000-000000000001';
export const TOKEN = 'ATSTT.scoped-token-value-do-not-leak-0123';
export const EMAIL = 'bot@serviceaccount.atlassian.com';
export const JIRA = `${GATEWAY}/ex/jira/${CLOUD}`;
export const CONFLUENCE = `${GATEWAY}/ex/confluence/${CLOUD}`;

/** A service-account config for acme.atlassian.net; URL overrides only as given. */
export function serviceAccountConfig(overrides: Record<string, unknown> = {}) {
  return validateConfig({
    domain: 'acme.atlassian.net',
    credentials: { auth_type: 'service_account', service_account_token: TOKEN, service_account_email: EMAIL },
    ...overrides,
  });
}

/** The runtime checkConnection needs, silent. */
export const quietRuntime = {
  logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  onRateLimited: () => {},
};

/** Retries that wait milliseconds: a failure that is retried still fails fast. */
export const fastRetry = { retry: { baseDelayMs: 1, maxDelayMs: 2, maxRetries: 2 } };

/** A clock whose sleeps return at once (recorded) and whose time moves only when told. */
export class TestClock {
  time = Date.parse('2026-03-02T10:00:00Z');
  readonly sleeps: number[] = [];
  /** How much later than asked each sleep returns, as timers do while the event loop is busy. */
  lateByMs = 0;
  now = (): number => this.time;
  sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.time += ms + this.lateByMs;
    return Promise.resolve();
  };
}

export interface Harness {
  site: AtlassianSite;
  /** Retry and backoff waits. */
  clock: TestClock;
  /** Rate-limiter waits (pacing and 429 pauses). */
  pacing: TestClock;
  rateLimited: Array<{ resetAt?: number }>;
  metrics: Record<string, number>;
}

export function harness(
  overrides: Record<string, unknown> = {},
  options: { retry?: Partial<RetryPolicy>; realPacing?: boolean; timeoutMs?: number } = {},
): Harness {
  const config = serviceAccountConfig({
    site_url_override: SITE,
    gateway_url_override: GATEWAY,
    auth_url_override: AUTH,
    ...overrides,
  });
  const clock = new TestClock();
  const pacing = new TestClock();
  const rateLimited: Array<{ resetAt?: number }> = [];
  const connection = createConnection(config, {
    clock,
    pacingClock: options.realPacing ? undefined : pacing,
    retry: { baseDelayMs: 100, maxDelayMs: 1000, ...options.retry },
    timeoutMs: options.timeoutMs,
    runtime: { onRateLimited: (info) => rateLimited.push(info) },
  });
  return {
    site: buildSite(connection, CLOUD),
    clock,
    pacing,
    rateLimited,
    metrics: connection.metrics as unknown as Record<string, number>,
  };
}

/** Runs `fn`, expecting it to throw; returns the error. */
export async function thrown(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected an error');
}
