// A loopback HTTP proxy in front of the simulator for faults its knobs cannot express: a fixed share of
// 429s independent of request rate (the simulator's limiter only answers 429 above a rate, and the
// connector slows down before reaching it), and rewriting chosen JSON responses (crafted bodies).
// Everything else is forwarded unchanged, Host header included, so the simulator's links point back here.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createRng } from '../../sim/core/rng';

export interface FaultProxyOptions {
  target: string;
  seed: number;
  /** Share of requests (OAuth exchange and tenant_info excluded) answered 429 before reaching the target. */
  rateLimitedRate?: number;
  /** Seconds in Retry-After; every other 429 carries the same delay as an HTTP-date instead. */
  retryAfterSeconds?: number;
  /** Rewrites a JSON response body (a value, or raw text); return undefined to leave it unchanged. */
  rewrite?(method: string, path: string, body: unknown): unknown;
}

export interface FaultProxy {
  url: string;
  /** 429s sent, by Retry-After form. */
  limited: { seconds: number; httpDate: number };
  forwarded: number;
  close(): Promise<void>;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const rng = createRng(options.seed).fork('fault-proxy');
  const target = new URL(options.target);
  const sockets = new Set<Socket>();
  const state: FaultProxy = {
    url: '',
    limited: { seconds: 0, httpDate: 0 },
    forwarded: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const exempt = path === '/oauth/token' || path.startsWith('/_edge/');
    if (!exempt && rng.next() < (options.rateLimitedRate ?? 0)) {
      const seconds = options.retryAfterSeconds ?? 1;
      const asDate = (state.limited.seconds + state.limited.httpDate) % 2 === 1;
      const at = new Date(Date.now() + seconds * 1000);
      if (asDate) state.limited.httpDate++;
      else state.limited.seconds++;
      res.writeHead(429, {
        'Content-Type': 'application/json',
        'Retry-After': asDate ? at.toUTCString() : String(seconds),
        'RateLimit-Reason': path.startsWith('/ex/jira/') ? 'jira-burst-based' : 'confluence-burst-based',
      });
      res.end(JSON.stringify({ message: 'Rate limit exceeded.' }));
      return;
    }
    state.forwarded++;
    const headers = { ...req.headers };
    // Plain bodies so responses can be rewritten; the connector still accepts gzip from the real thing.
    delete headers['accept-encoding'];
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (answer: IncomingMessage) => relay(answer),
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);

    function relay(answer: IncomingMessage): void {
      const json = String(answer.headers['content-type'] ?? '').includes('application/json');
      if (!options.rewrite || !json || (answer.statusCode ?? 500) >= 300) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('error', () => res.destroy());
      answer.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined; // a deliberately broken body from the simulator: pass it on as is
        }
        let out = text;
        try {
          const replaced =
            parsed === undefined ? undefined : options.rewrite!(req.method ?? 'GET', path, parsed);
          if (typeof replaced === 'string') out = replaced;
          else if (replaced !== undefined) out = JSON.stringify(replaced);
        } catch (error) {
          // A bug in a test's rewrite must fail loudly, not leave the connector waiting for its timeout.
          console.error('fault proxy: rewrite failed', error);
          res.destroy();
          return;
        }
        const outHeaders = { ...answer.headers, 'content-length': String(Buffer.byteLength(out)) };
        res.writeHead(answer.statusCode ?? 200, outHeaders);
        res.end(out);
      });
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Resets from the simulator reach the proxy as a failed upstream; it resets the client in turn.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
