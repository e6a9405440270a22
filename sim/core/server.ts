// One node:http server for every surface: the site (`/wiki/…`, `/rest/api/3/…`, `/_edge/tenant_info`), the
// gateway (`/ex/{product}/{cloudId}/…`), the OAuth token endpoint and the org Admin API (`/admin/…`).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants as zlib, gzipSync } from 'node:zlib';
import type { Auth } from './auth';
import { errorFor, proxyError } from './errors';
import type { FaultInjector } from './knobs';
import type { RequestLog } from './request-log';
import type { Router } from './router';
import type { SimRequest, SimResponse, Surface } from './types';

export interface ServerOptions {
  cloudId: string;
  auth: Auth;
  faults: FaultInjector;
  log: RequestLog;
  /** Authenticated product and admin routes. */
  routes: Router;
  /** Routes that need no Authorization (tenant_info, signed media downloads). */
  publicRoutes: Router;
  /** Test control API under `/__control/…`: no auth, no faults, not logged. */
  control(method: string, path: string, body: unknown): Promise<SimResponse> | SimResponse;
  now(): number;
}

const GATEWAY = /^\/ex\/(confluence|jira)\/([^/]+)(\/.*)?$/;
const MAX_BODY = 5 * 1024 * 1024;

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions, port = 0): Promise<RunningServer> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      console.error('simulator: handler failed', error);
      if (!res.headersSent) send(res, { status: 500, body: { message: 'simulator error' } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function handle(options: ServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const arrivedAt = options.now();
  const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
  const url = new URL(req.url ?? '/', origin);
  const method = (req.method ?? 'GET').toUpperCase();
  const rawBody = await readBody(req);

  if (url.pathname.startsWith('/__control/')) {
    send(res, await options.control(method, url.pathname.slice('/__control/'.length), parseJson(rawBody)));
    return;
  }

  let surface: Surface | 'auth' | 'edge' = 'site';
  let path = url.pathname;
  let baseUrl = origin;
  const gateway = GATEWAY.exec(url.pathname);
  if (gateway) {
    surface = 'gateway';
    const [, product, cloudId, rest = '/'] = gateway;
    path = rest;
    baseUrl = `${origin}/ex/${product}/${cloudId}`;
    const productMatches = product === 'confluence' ? rest.startsWith('/wiki/') : rest.startsWith('/rest/');
    if (cloudId !== options.cloudId || !productMatches) {
      finish(
        options,
        res,
        { method, path, query: url.search.slice(1), surface, at: arrivedAt },
        proxyError(404, 'Not Found'),
      );
      return;
    }
  } else if (url.pathname.startsWith('/admin/')) {
    surface = 'admin';
  } else if (url.pathname === '/oauth/token') {
    surface = 'auth';
  } else if (url.pathname.startsWith('/_edge/')) {
    surface = 'edge';
  }
  const entry = {
    method,
    path,
    query: url.search.slice(1),
    surface,
    at: arrivedAt,
    ...(method !== 'GET' && rawBody ? { body: rawBody } : {}),
  };

  const decision = options.faults.decide(arrivedAt);
  if (decision.delayMs > 0) await sleep(decision.delayMs);
  const fault = decision.fault;
  if (fault.kind === 'reset') {
    options.log.add({ ...entry, status: 0 });
    req.socket.destroy();
    return;
  }
  if (fault.kind === 'rate-limited') {
    const limited =
      surface === 'admin'
        ? proxyError(429, 'Too Many Requests')
        : errorFor(path, 429, 'Rate limit exceeded.');
    const reason = path.startsWith('/rest/')
      ? 'jira-burst-based'
      : surface === 'admin'
        ? 'admin-burst-based'
        : 'confluence-burst-based';
    finish(options, res, entry, { ...limited, headers: { ...fault.headers, 'RateLimit-Reason': reason } });
    return;
  }
  if (fault.kind === 'error') {
    finish(options, res, entry, errorFor(path, fault.status, 'Simulated upstream failure.'));
    return;
  }

  let response: SimResponse;
  if (surface === 'auth') {
    response =
      method === 'POST'
        ? options.auth.exchange(parseBody(rawBody, req.headers['content-type']), req.headers.authorization)
        : { status: 405, body: { error: 'invalid_request' } };
  } else {
    const simReq = (caller: string, params: Record<string, string>): SimRequest => ({
      method: method as SimRequest['method'],
      path,
      query: url.searchParams,
      body: parseBody(rawBody, req.headers['content-type']),
      headers: req.headers,
      surface: surface as Surface,
      params,
      caller,
      baseUrl,
      siteUrl: origin,
    });
    const open = options.publicRoutes.match(method, path);
    if (open && 'handler' in open && surface !== 'gateway') {
      response = await open.handler(simReq('anonymous', open.params));
    } else {
      const auth = options.auth.authenticate(surface as Surface, path, req.headers.authorization);
      if (!auth.ok) response = auth.response;
      else {
        const match = options.routes.match(method, path);
        if (!match) response = errorFor(path, 404, `No route for ${method} ${path}`);
        else if ('methodMismatch' in match) response = errorFor(path, 405, `Method ${method} not allowed`);
        else response = await match.handler(simReq(auth.caller, match.params));
      }
    }
  }

  if (fault.kind === 'malformed' && response.status < 300 && !response.raw) {
    options.log.add({ ...entry, status: 200 });
    if (fault.form === 'html') {
      res.writeHead(200, { 'Content-Type': 'text/html;charset=UTF-8' });
      res.end(
        '<!DOCTYPE html><html><head><title>Oops</title></head><body><h1>Something went wrong</h1></body></html>',
      );
    } else {
      const text = JSON.stringify(response.body ?? {});
      res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8' });
      res.end(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    }
    return;
  }
  finish(options, res, entry, response);
}

function finish(
  options: ServerOptions,
  res: ServerResponse,
  entry: Omit<import('./request-log').LoggedRequest, 'status'>,
  response: SimResponse,
): void {
  options.log.add({ ...entry, status: response.status });
  send(res, response);
}

function send(res: ServerResponse, response: SimResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.raw) {
    headers['Content-Length'] = String(response.raw.length);
    res.writeHead(response.status, headers);
    res.end(response.raw);
    return;
  }
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  let payload = Buffer.from(JSON.stringify(response.body));
  headers['Content-Type'] ??= 'application/json;charset=UTF-8';
  // Atlassian gzips JSON for clients that accept it; so does the simulator, for bodies worth compressing.
  const accepts = String(res.req?.headers['accept-encoding'] ?? '');
  if (payload.length > 1024 && /\bgzip\b/.test(accepts)) {
    // Fastest level: the simulator shares the CPU with the connector it serves (benchmarks, tests).
    payload = gzipSync(payload, { level: zlib.Z_BEST_SPEED });
    headers['Content-Encoding'] = 'gzip';
    headers.Vary = 'Accept-Encoding';
  }
  headers['Content-Length'] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseBody(text: string, contentType: string | undefined): Record<string, unknown> {
  if (!text) return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  const parsed = parseJson(text);
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
