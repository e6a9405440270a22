// ProductClient over Node's HTTP client: auth, pacing, retries and error mapping for one Atlassian product.
// Network errors never leave this module as they are: they become our errors, naming method and path only.
import type { Readable } from 'node:stream';
import { ConfigError, TransientError } from '../cdk/errors';
import type { SourceRuntime } from '../cdk/source';
import { version } from '../../package.json';
import { describeAuthForm, type Authenticator } from './auth';
import { AuthError, NetworkError, UpstreamError, pathOnly } from './errors';
import type { HttpMetrics } from './metrics';
import type { DownloadOptions, JsonResponse, ProductClient, RequestOptions } from './product-client';
import type { RateLimiter } from './rate-limiter';
import {
  collectBody,
  decodeBody,
  decodedStream,
  drain,
  excerpt,
  flatHeaders,
  withQuery,
  type Headers,
} from './http-body';
import { exchange, readAll, type Agents } from './http-exchange';
import { connectionFailure } from './proxy';
import { assertAllowedRequest, downloadHop, resolveUnderBase } from './request-policy';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableNetworkError,
  rateLimitDelay,
  realClock,
  type Clock,
  type RetryPolicy,
} from './retry';

export const USER_AGENT = `source-atlassian/${version} (+Airbyte)`;

export interface HttpClientOptions {
  baseUrl: string;
  auth: Authenticator;
  limiter: RateLimiter;
  metrics: HttpMetrics;
  agents: Agents;
  runtime?: Pick<SourceRuntime, 'onRateLimited'> & Partial<Pick<SourceRuntime, 'logger'>>;
  retry?: Partial<RetryPolicy>;
  /** Per request (default 60 s). */
  timeoutMs?: number;
  clock?: Clock;
  /** Leading path segment already in baseUrl that callers may repeat (`/admin` for the Admin API). */
  basePathAlias?: string;
}

interface Attempted<T> {
  data: T;
  headers: Headers;
}

export class HttpClient implements ProductClient {
  readonly baseUrl: string;
  private readonly policy: RetryPolicy;
  private readonly clock: Clock;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
    this.clock = options.clock ?? realClock;
  }

  async get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.getWithHeaders<T>(path, options)).data;
  }

  getWithHeaders<T>(path: string, options: RequestOptions = {}): Promise<JsonResponse<T>> {
    return this.json<T>('GET', path, undefined, options);
  }

  async search<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return (await this.json<T>('POST', path, body, options)).data;
  }

  async download(path: string, options: DownloadOptions): Promise<Buffer | null> {
    const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined];
    const signal = AbortSignal.any(signals.filter((s): s is AbortSignal => s !== undefined));
    let url = new URL(resolveUnderBase(this.baseUrl, this.alias(path)).url);
    for (let hop = 0; hop <= 5; hop++) {
      const { withAuth } = downloadHop(this.baseUrl, url);
      const label = `GET ${url.pathname}`;
      const { data, headers, status } = await this.attempt<Readable>(label, url.toString(), {
        method: 'GET',
        withAuth,
        responseType: 'stream',
        signal,
        timeoutMs: options.timeoutMs,
      });
      if (status >= 300 && status < 400) {
        data.destroy();
        const location = headers.location;
        if (!location)
          throw new UpstreamError(`${label} redirected without a Location`, { status, path: url.pathname });
        url = new URL(location, url);
        continue;
      }
      return collectBody(data, headers, options.maxBytes, this.options.metrics);
    }
    throw new UpstreamError(`GET ${pathOnly(path)}: too many redirects`, { path: pathOnly(path) });
  }

  private alias(path: string): string {
    const alias = this.options.basePathAlias;
    return alias && path.startsWith(`${alias}/`) ? path.slice(alias.length) : path;
  }

  private async json<T>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<JsonResponse<T>> {
    const { url, relative } = resolveUnderBase(this.baseUrl, this.alias(path));
    assertAllowedRequest(method, relative);
    const label = `${method} ${pathOnly(relative)}`;
    for (let malformed = 0; ; malformed++) {
      const response = await this.attempt<Buffer>(label, withQuery(url, options.params), {
        method,
        body,
        withAuth: true,
        responseType: 'json',
        signal: options.signal,
      });
      if (response.status >= 300) {
        throw new UpstreamError(
          `${label} was redirected (HTTP ${response.status}); the connector does not follow API redirects`,
          {
            status: response.status,
            method,
            path: pathOnly(relative),
          },
        );
      }
      const encoding = response.headers['content-encoding'];
      const text = await decodeBody(response.data, encoding).then(
        (plain) => {
          this.options.metrics.bytes += plain.length;
          return plain.toString('utf8');
        },
        (error: Error) => `(a ${encoding} body that does not decompress: ${error.message})`,
      );
      if (response.status === 204 || text.trim() === '')
        return { data: undefined as T, headers: response.headers };
      try {
        return { data: JSON.parse(text) as T, headers: response.headers };
      } catch {
        // An HTML error page or a body cut mid-stream on a 200: usually a proxy hiccup, so retry a few times.
        if (malformed >= Math.min(3, this.policy.maxRetries)) {
          throw new UpstreamError(`${label} returned a malformed JSON body: ${excerpt(text)}`, {
            status: response.status,
            method,
            path: pathOnly(relative),
            failureType: 'transient_error',
          });
        }
        this.options.metrics.retries++;
        this.options.metrics.malformed_bodies++;
        this.options.runtime?.logger?.warn(
          `${label} returned a malformed JSON body (HTTP ${response.status}), retrying: ${excerpt(text)}`,
        );
        await this.clock.sleep(backoffDelay(malformed, this.policy), options.signal);
      }
    }
  }

  /**
   * One logical request: waits for the limiter, retries 5xx / network errors with backoff, waits out 429s,
   * renews an OAuth token once after a 401. Returns 2xx and 3xx responses; throws our errors for the rest.
   */
  private async attempt<T>(
    label: string,
    url: string,
    request: {
      method: 'GET' | 'POST';
      body?: unknown;
      withAuth: boolean;
      /** 'json': the raw body as a Buffer, still compressed (see decodeBody); 'stream': decompressed. */
      responseType: 'json' | 'stream';
      signal?: AbortSignal;
      timeoutMs?: number;
    },
  ): Promise<Attempted<T> & { status: number }> {
    const { auth, limiter, metrics } = this.options;
    const path = pathOnly(
      url.startsWith(`${this.baseUrl}/`) ? url.slice(this.baseUrl.length) : new URL(url).pathname,
    );
    let renewed = false;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      const release = await limiter.acquire(request.signal);
      let authorization: string | undefined;
      try {
        authorization = request.withAuth ? await auth.header(request.signal) : undefined;
      } catch (error) {
        release(); // our own error (e.g. a rejected OAuth exchange): passes through
        throw error;
      }
      let response: { status: number; headers: Headers; data: Buffer | Readable };
      try {
        metrics.requests++;
        const res = await exchange(url, {
          method: request.method,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          headers: {
            accept: request.responseType === 'json' ? 'application/json' : '*/*',
            'accept-encoding': 'gzip, deflate, br',
            'user-agent': USER_AGENT,
            ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(authorization ? { authorization } : {}),
          },
          agents: this.options.agents,
          timeoutMs: request.timeoutMs ?? this.options.timeoutMs ?? 60_000,
          signal: request.signal,
        });
        const headers = flatHeaders(res.headers);
        response = {
          status: res.statusCode ?? 0,
          headers,
          // A JSON body is read whole, still compressed, before the slot is released (see decodeBody).
          data:
            request.responseType === 'json'
              ? await readAll(res)
              : decodedStream(res, headers['content-encoding']),
        };
      } catch (error) {
        release();
        if (error instanceof ConfigError) throw error; // a credential Node refuses to put in a header
        if (request.signal?.aborted) throw new TransientError(`${label} was cancelled`);
        const { code: errorCode, message } = error as NodeJS.ErrnoException;
        const code = errorCode ?? 'network error';
        if (isRetryableNetworkError(errorCode, message) && failures < this.policy.maxRetries) {
          metrics.retries++;
          await this.clock.sleep(backoffDelay(failures++, this.policy), request.signal);
          continue;
        }
        const { description, proxy } = connectionFailure(error, url);
        throw new NetworkError(
          `${label} failed: ${description}${failures ? ` after ${failures + 1} attempts` : ''}`,
          code,
          proxy,
        );
      }
      release();
      const headers = response.headers;
      limiter.observe(headers);
      const status = response.status;
      if (status < 400) return { data: response.data as T, headers, status };

      const body =
        request.responseType === 'stream'
          ? await drain(response.data as Readable)
          : await decodeBody(response.data as Buffer, headers['content-encoding']).catch(() => '');
      if (status === 401 && authorization) {
        if (!renewed && auth.renewAfter401(authorization)) {
          renewed = true;
          continue;
        }
        throw new AuthError(
          `Atlassian rejected the credentials (HTTP 401) on ${label}; the connector sent ${describeAuthForm(auth.form)}. ` +
            'The token may be mistyped, revoked or expired, or lack a scope this call needs. Run check for details.',
          { method: request.method, path, internalMessage: excerpt(body) },
        );
      }
      const retryAfter = headers['retry-after'];
      if (status === 429 || (status === 503 && retryAfter)) {
        metrics.rate_limited++;
        if (rateLimited >= this.policy.maxRateLimitRetries) {
          throw new TransientError(
            `${label} is still rate limited (HTTP ${status}) after ${rateLimited + 1} attempts`,
          );
        }
        const now = this.clock.now();
        const wait = rateLimitDelay({
          retryAfter,
          reset: headers['x-ratelimit-reset'],
          date: headers.date,
          now,
          attempt: rateLimited++,
          policy: this.policy,
        });
        limiter.pauseFor(wait.delayMs);
        this.options.runtime?.onRateLimited({ resetAt: wait.resetAt ?? now + wait.delayMs });
        await this.clock.sleep(wait.delayMs, request.signal);
        continue;
      }
      if (status >= 500 || status === 408) {
        if (failures < this.policy.maxRetries) {
          metrics.retries++;
          await this.clock.sleep(backoffDelay(failures++, this.policy), request.signal);
          continue;
        }
        throw new TransientError(
          `${label} failed with HTTP ${status} after ${failures + 1} attempts: ${excerpt(body)}`,
        );
      }
      throw new UpstreamError(`${label} returned HTTP ${status}: ${excerpt(body)}`, {
        status,
        method: request.method,
        path,
      });
    }
  }
}
