// Behind a proxy (HTTPS_PROXY / HTTP_PROXY), a proxy that cannot be reached or refuses the tunnel is named
// as the proxy, never reported as the site: real connections through Node's proxy support, no nock.
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { checkConnection } from '../../src/atlassian/check';
import { proxyUnsupported } from '../../src/atlassian/http-exchange';
import { spawnConnector } from '../helpers/run-connector';
import { fastRetry, quietRuntime, serviceAccountConfig } from './harness';

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = Object.fromEntries(PROXY_VARS.map((name) => [name, process.env[name]]));
  for (const name of PROXY_VARS) delete process.env[name];
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/**
 * A local port nothing listens on. Taken below the kernel's ephemeral range (32768 and up by default):
 * test files run in parallel processes, and one of them listening on port 0 could otherwise be given
 * the port this one just closed.
 */
async function closedPort(): Promise<number> {
  for (let port = 20_000 + Math.floor(Math.random() * 10_000); ; port++) {
    const server = net.createServer().listen(port, '127.0.0.1');
    const bound = await Promise.race([
      once(server, 'listening').then(() => true),
      once(server, 'error').then(() => false),
    ]);
    if (!bound) continue;
    server.close();
    await once(server, 'close');
    return port;
  }
}

test('a proxy that refuses connections is named, not the site', async () => {
  const port = await closedPort();
  process.env.HTTP_PROXY = `http://proxy-user:proxy-secret@127.0.0.1:${port}`;
  const result = await checkConnection(
    serviceAccountConfig({ site_url_override: 'http://127.0.0.1:9' }),
    quietRuntime,
    fastRetry,
  );
  expect(result.status).toBe('FAILED');
  expect(result.message).toBe(
    `Could not reach acme.atlassian.net: GET /_edge/tenant_info failed: ECONNREFUSED at the proxy ` +
      `127.0.0.1:${port} (HTTP_PROXY) after 3 attempts. Try again later.`,
  );
  // The proxy's own credentials never reach a message.
  expect(result.message).not.toMatch(/proxy-user|proxy-secret/);
});

test('a proxy that refuses the tunnel says with which status (407: it wants credentials)', async () => {
  const requests: string[] = [];
  const proxy = net.createServer((socket) => {
    socket.once('data', (chunk) => {
      requests.push(chunk.toString().split('\r\n')[0]!);
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
    });
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const { port } = proxy.address() as net.AddressInfo;
  process.env.https_proxy = `http://127.0.0.1:${port}`;
  try {
    const result = await checkConnection(serviceAccountConfig(), quietRuntime, fastRetry);
    expect(result.message).toBe(
      `Could not reach acme.atlassian.net: GET /_edge/tenant_info failed: the proxy 127.0.0.1:${port} ` +
        '(https_proxy) refused the tunnel with HTTP 407. Try again later.',
    );
    expect(requests).toEqual(['CONNECT acme.atlassian.net:443 HTTP/1.1']);
  } finally {
    proxy.close();
  }
});

test('without a proxy a refused connection names only its code', async () => {
  const port = await closedPort();
  const result = await checkConnection(
    serviceAccountConfig({ site_url_override: `http://127.0.0.1:${port}` }),
    quietRuntime,
    fastRetry,
  );
  expect(result.message).toBe(
    'Could not reach acme.atlassian.net: GET /_edge/tenant_info failed: ECONNREFUSED after 3 attempts. Try again later.',
  );
});

test('a runtime whose HTTP agents ignore proxies refuses to run when one is set, instead of going around it', () => {
  const env = { HTTPS_PROXY: 'http://proxy.corp:3128' };
  expect(proxyUnsupported('22.20.0', env)).toBe(
    'HTTPS_PROXY is set, but Node.js 22.20.0 cannot send requests through a proxy: run the connector on Node.js 22.21+ or 24.5+',
  );
  expect(proxyUnsupported('24.4.1', { http_proxy: 'http://p:1' })).toMatch(/^http_proxy is set/);
  for (const version of ['22.21.0', '24.5.0', '25.1.0'])
    expect(proxyUnsupported(version, env)).toBeUndefined();
  expect(proxyUnsupported('22.12.0', { NO_PROXY: '*' })).toBeUndefined();
});

test('check on such a runtime fails with that message and makes no request', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'old-node-'));
  const olderNode = join(dir, 'node-22.20.js');
  writeFileSync(olderNode, "Object.defineProperty(process.versions, 'node', { value: '22.20.0' });\n");
  const proxy = net.createServer((socket) => socket.destroy()).listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  let connections = 0;
  proxy.on('connection', () => connections++);
  try {
    const { port } = proxy.address() as net.AddressInfo;
    const run = await spawnConnector(
      ['check'],
      { config: serviceAccountConfig() },
      { env: { HTTPS_PROXY: `http://127.0.0.1:${port}`, NODE_OPTIONS: `--require ${olderNode}` } },
    );
    expect(run.messages.filter((m) => m.type === 'CONNECTION_STATUS')).toEqual([
      {
        type: 'CONNECTION_STATUS',
        connectionStatus: {
          status: 'FAILED',
          message:
            'HTTPS_PROXY is set, but Node.js 22.20.0 cannot send requests through a proxy: run the connector on Node.js 22.21+ or 24.5+',
        },
      },
    ]);
    expect(connections).toBe(0);
  } finally {
    proxy.close();
  }
});
