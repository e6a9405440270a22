// What the simulator was asked, for tests that assert "no writes", "no N+1", "requests per record".
import type { Surface } from './types';

export interface LoggedRequest {
  method: string;
  /** Path with the gateway prefix removed (e.g. `/wiki/api/v2/pages`). */
  path: string;
  /** Raw query string without the leading `?`. */
  query: string;
  status: number;
  surface: Surface | 'auth' | 'edge';
  /** Epoch millis when the request arrived. */
  at: number;
  /** The raw request body of a POST (search and bulk requests), for tests on what was asked. */
  body?: string;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  all(): LoggedRequest[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
