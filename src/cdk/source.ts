// The contract between the CLI and a concrete source: everything the CDK needs to run it.
import type { ConnectorSpecification } from '../generated/protocol';
import type { Logger, Stream } from './stream';

export interface CheckResult {
  status: 'SUCCEEDED' | 'FAILED';
  message?: string;
}

export interface RateLimitInfo {
  /** When the quota resets, in ms since epoch, if the server said so. */
  resetAt?: number;
}

export interface SourceRuntime {
  logger: Logger;
  /**
   * Call while waiting on a rate limit. Emits STREAM_STATUS RUNNING with reason RATE_LIMITED
   * (quota_reset when known) for the running stream, at most once per stream every few seconds,
   * so it is fine to call on every 429.
   */
  onRateLimited(info: RateLimitInfo): void;
}

export interface Source<C> {
  spec(): ConnectorSpecification;
  /** Validates a raw config (defaults applied); throws a ConfigError naming every violation. */
  validateConfig(raw: unknown): C;
  check(config: C, runtime: SourceRuntime): Promise<CheckResult>;
  /** The streams this config exposes. No network I/O here: discover uses it too. */
  streams(config: C, runtime: SourceRuntime): Stream[];
  /** How many streams `read` runs at the same time (default 1); they share the source's request limits. */
  streamsAtOnce?(config: C): number;
  /** Counters for the final summary (e.g. requests, retries, 429s), read after the run. */
  metrics?(): Record<string, number>;
}
