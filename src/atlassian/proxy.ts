// Whether a connection that failed was the proxy's, told from Node's own error. The agents route requests
// through the proxy the environment names (and skip it for NO_PROXY hosts) themselves; the error says which
// host or port could not be reached, so a refused or unresolvable proxy is not reported as the site.

/** The fields Node sets on a failed connection (getaddrinfo, connect) or a refused proxy tunnel. */
interface ConnectionError {
  code?: string;
  hostname?: string;
  address?: string;
  port?: number;
  statusCode?: number;
}

/**
 * `the proxy proxy.corp:3128 (https_proxy)` when `error` is a failure to reach, resolve or tunnel through
 * the proxy set for `url`'s scheme; undefined otherwise. Names host and port only: a proxy URL may carry
 * credentials.
 */
function failedProxy(error: unknown, url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const target = new URL(url);
  const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  // Node reads the lowercase variable first.
  const name = names.find((n) => env[n]);
  if (!name) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(env[name]!);
  } catch {
    return undefined;
  }
  const port = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  const e = (error ?? {}) as ConnectionError;
  const targetPort = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const isProxy =
    e.code === 'ERR_PROXY_TUNNEL' ||
    (e.hostname !== undefined && e.hostname === proxy.hostname) ||
    (e.port !== undefined && e.port === port && (e.address === proxy.hostname || port !== targetPort));
  return isProxy ? `the proxy ${proxy.hostname}:${port} (${name})` : undefined;
}

/**
 * A failed connection for a message — `ECONNREFUSED at the proxy …`, or the code alone — and the proxy when
 * it was the proxy's.
 */
export function connectionFailure(error: unknown, url: string): { description: string; proxy?: string } {
  const e = (error ?? {}) as ConnectionError;
  const code = e.code ?? 'network error';
  const proxy = failedProxy(error, url);
  if (!proxy) return { description: code };
  // A tunnel the proxy refused has its answer's status (407: the proxy wants credentials).
  const description =
    e.code === 'ERR_PROXY_TUNNEL' && e.statusCode
      ? `${proxy} refused the tunnel with HTTP ${e.statusCode}`
      : `${code} at ${proxy}`;
  return { description, proxy };
}
