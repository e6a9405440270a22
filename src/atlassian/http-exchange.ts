// One HTTP exchange over Node's own client (node:http / node:https): the request goes out, the response
// comes back with its status, headers and raw body. Nothing more: no redirect is followed, no body is
// decoded, nothing is retried (HttpClient and the OAuth exchange do what they need of those). Node's
// client replaced axios, whose adapters, form-data and redirect handling the connector never used but
// loaded in every run (about 17 MB of resident memory and 20 ms of start-up).
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { ConfigError } from '../cdk/errors';

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * Keep-alive agents, one pair per connection, shared by its product clients. They honour HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY from the environment, as axios did.
 */
export function createAgents(maxSockets = 64): Agents {
  const unsupported = proxyUnsupported();
  if (unsupported) throw new ConfigError(unsupported);
  return {
    http: new http.Agent({ keepAlive: true, maxSockets, proxyEnv: process.env }),
    https: new https.Agent({ keepAlive: true, maxSockets, proxyEnv: process.env }),
  };
}

/**
 * Node's agents take `proxyEnv` from 22.21 and 24.5 on (package.json engines); an older runtime ignores
 * it and would connect around the proxy the environment names, so the connector refuses to run there.
 */
export function proxyUnsupported(
  version = process.versions.node,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const named = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].find((n) => env[n]);
  if (!named) return undefined;
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if ((major === 22 && minor >= 21) || (major === 24 && minor >= 5) || major > 24) return undefined;
  return `${named} is set, but Node.js ${version} cannot send requests through a proxy: run the connector on Node.js 22.21+ or 24.5+`;
}

/** For one-off exchanges (the OAuth token): no keep-alive, the same proxy settings. */
let oneOff: Agents | undefined;
const oneOffAgents = (): Agents =>
  (oneOff ??= {
    http: new http.Agent({ proxyEnv: process.env }),
    https: new https.Agent({ proxyEnv: process.env }),
  });

export interface ExchangeRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Sent as is (a JSON body is serialized by the caller). */
  body?: string;
  /** Default: agents without keep-alive. */
  agents?: Agents;
  /** Gives up when the connection stays idle this long: no response yet, or a body that stalls. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Sends the request; resolves once the response's headers arrived, its body still to be read. */
export function exchange(url: string, request: ExchangeRequest): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const agents = request.agents ?? oneOffAgents();
    const headers =
      request.body === undefined
        ? request.headers
        : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
    // Created before any timer: should it throw, nothing is left armed to destroy a request that never was.
    let req: http.ClientRequest;
    try {
      req = (secure ? https : http).request(
        target,
        {
          method: request.method,
          headers,
          agent: (secure ? agents.https : agents.http) as http.Agent,
          signal: request.signal,
        },
        (response) => {
          clearTimeout(waiting);
          resolve(response);
        },
      );
    } catch (error) {
      reject(unsendable(error) ?? error);
      return;
    }
    const timedOut = () =>
      req.destroy(
        Object.assign(new Error(`timeout of ${request.timeoutMs} ms exceeded`), { code: 'ETIMEDOUT' }),
      );
    // Until the response starts, a wall-clock timer (a socket's idle timeout may not run while it
    // connects); then the socket's idle timeout, for a body that stalls.
    const waiting = setTimeout(timedOut, request.timeoutMs);
    req.setTimeout(request.timeoutMs, timedOut);
    req.on('close', () => clearTimeout(waiting));
    req.on('error', reject);
    req.end(request.body);
  });
}

/** The whole body as it came over the wire (still compressed: see decodeBody). */
export async function readAll(response: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Node refuses a header holding a character HTTP cannot carry (ERR_INVALID_CHAR, ERR_INVALID_HTTP_TOKEN).
 * Only credentials come from the user, so that is what it means: a config error naming the header (Node's
 * message names it), never repeating its value.
 */
function unsendable(error: unknown): ConfigError | undefined {
  const { code, message } = error as { code?: string; message?: string };
  if (code !== 'ERR_INVALID_CHAR' && code !== 'ERR_INVALID_HTTP_TOKEN') return undefined;
  const header = /\["([^"]+)"\]/.exec(message ?? '')?.[1];
  return new ConfigError(
    `A credential contains a character that cannot be sent in an HTTP header (${header ? `the ${header} header` : 'a header'}): ` +
      'check it for a line break, control or invisible character (such as a zero-width space) copied with it.',
    { fatal: true },
  );
}
