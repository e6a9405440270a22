// The SourceRuntime handed to a source: its logger, and rate-limit reporting tied to the running stream.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from './stream';
import type { RateLimitInfo, SourceRuntime } from './source';
import type { MessageWriter } from './writer';
import { streamStatusMessage } from './messages';

export interface RuntimeOptions {
  writer: MessageWriter;
  logger: Logger;
  /** Minimum time between two RATE_LIMITED statuses of one stream. */
  rateLimitedIntervalMs?: number;
  now?: () => number;
}

export interface RunnerRuntime {
  runtime: SourceRuntime;
  /**
   * Runs one stream's read so that rate limits met by its requests are reported on that stream
   * (several streams read at once; the async context says whose request it was).
   */
  inStream<T>(name: string, read: () => Promise<T>): Promise<T>;
}

export function createRuntime(options: RuntimeOptions): RunnerRuntime {
  const { writer, logger, rateLimitedIntervalMs = 5000, now = Date.now } = options;
  const lastReported = new Map<string, number>();
  const streamOfRequest = new AsyncLocalStorage<string>();

  const onRateLimited = ({ resetAt }: RateLimitInfo) => {
    const current = streamOfRequest.getStore();
    const key = current ?? '';
    const last = lastReported.get(key);
    if (last !== undefined && now() - last < rateLimitedIntervalMs) return;
    lastReported.set(key, now());
    if (current) {
      void writer.write(streamStatusMessage(current, 'RUNNING', resetAt ?? null));
    } else {
      const until = resetAt ? ` until ${new Date(resetAt).toISOString()}` : '';
      logger.info(`Rate limited by the API; waiting${until}.`);
    }
  };

  return {
    runtime: { logger, onRateLimited },
    inStream: (name, read) => streamOfRequest.run(name, read),
  };
}
