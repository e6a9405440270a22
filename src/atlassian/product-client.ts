// The contract every Atlassian stream uses to talk to one product (Confluence, Jira, or the org Admin API).
// Implemented by http-client.ts; retries, rate limiting, auth and secret scrubbing live behind it.

export type QueryValue = string | number | boolean | undefined | null | Array<string | number>;
/** Query parameters. Arrays are sent as repeated keys (`id=1&id=2`) unless the path needs comma lists. */
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  params?: Query;
  signal?: AbortSignal;
}

export interface DownloadOptions {
  /** Abort (and return `null`) once more than this many bytes have arrived. */
  maxBytes: number;
  signal?: AbortSignal;
  /** Overall time budget for the download, in milliseconds. */
  timeoutMs?: number;
}

/** A parsed JSON body with the response headers (lower-case names), for pagers that read `Link`. */
export interface JsonResponse<T> {
  data: T;
  headers: Record<string, string | undefined>;
}

export interface ProductClient {
  /** e.g. `https://api.atlassian.com/ex/confluence/{cloudId}` or `https://your-company.atlassian.net`. */
  readonly baseUrl: string;
  /** GET `path` (relative to baseUrl, starting with `/`, or an absolute URL on the same host) and parse JSON. */
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  /** Like `get`, with the response headers. Optional so simple test doubles can skip it. */
  getWithHeaders?<T>(path: string, options?: RequestOptions): Promise<JsonResponse<T>>;
  /** POST to a read-only search endpoint (JQL search, users-bulk, admin search). Anything else is refused. */
  search<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  /** GET bytes, following redirects; Authorization is never sent to another host. `null` when over maxBytes. */
  download(path: string, options: DownloadOptions): Promise<Buffer | null>;
}
