// Counters of the HTTP layer for the run's final summary (Source.metrics()). One object per connection,
// shared by every product client.
export interface HttpMetrics {
  requests: number;
  retries: number;
  rate_limited: number;
  /** Response bytes received (decompressed). */
  bytes: number;
  oauth_token_exchanges: number;
  /** JSON bodies that did not parse (an HTML error page, a truncated body) and were fetched again. */
  malformed_bodies: number;
}

export const createMetrics = (): HttpMetrics => ({
  requests: 0,
  retries: 0,
  rate_limited: 0,
  bytes: 0,
  oauth_token_exchanges: 0,
  malformed_bodies: 0,
});
