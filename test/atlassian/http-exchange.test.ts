import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgents, exchange, readAll } from '../../src/atlassian/http-exchange';

/** A plain HTTP server on loopback that records each request line it gets and answers it. */
async function recordingServer(): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ via: 'proxy' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('exchange', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('goes through the proxy named by HTTP_PROXY, and straight to hosts listed in NO_PROXY', async () => {
    const proxy = await recordingServer();
    const direct = await recordingServer();
    try {
      process.env.HTTP_PROXY = proxy.url;
      process.env.NO_PROXY = '127.0.0.1';
      const agents = createAgents();
      const viaProxy = await exchange('http://acme.atlassian.invalid/rest/api/3/myself', {
        method: 'GET',
        headers: {},
        agents,
        timeoutMs: 5_000,
      });
      expect(JSON.parse((await readAll(viaProxy)).toString())).toEqual({ via: 'proxy' });
      // A proxied request carries the absolute URL of its target.
      expect(proxy.seen).toEqual(['GET http://acme.atlassian.invalid/rest/api/3/myself']);

      await readAll(
        await exchange(`${direct.url}/ping`, { method: 'GET', headers: {}, agents, timeoutMs: 5_000 }),
      );
      expect(direct.seen).toEqual(['GET /ping']);
      expect(proxy.seen).toHaveLength(1);
      agents.http.destroy();
    } finally {
      await proxy.close();
      await direct.close();
    }
  });

  test('a POST body goes out with its length; the response body comes back as sent', async () => {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.end(`${req.headers['content-length']}:${body}`));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await exchange(`http://127.0.0.1:${port}/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jql: 'project = ÄB' }),
        timeoutMs: 5_000,
      });
      expect((await readAll(response)).toString()).toBe('23:{"jql":"project = ÄB"}'); // bytes, not characters;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
