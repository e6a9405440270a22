// What the connector may send: GET anywhere on its bases, POST only to read-only search endpoints.
// Anything else is refused before it leaves the process.
import { isLoopbackHost } from './endpoints';
import { UpstreamError, pathOnly } from './errors';

// Matched against the path relative to the product base (site, gateway product base, or `/admin`).
const READ_ONLY_POSTS: RegExp[] = [
  /^\/rest\/api\/3\/search\/jql$/,
  /^\/rest\/api\/3\/search\/approximate-count$/,
  /^\/rest\/api\/3\/issue\/bulkfetch$/,
  /^\/rest\/api\/3\/comment\/list$/,
  /^\/rest\/api\/3\/changelog\/bulkfetch$/,
  /^\/wiki\/api\/v2\/users-bulk$/,
  /^\/v2\/orgs\/[^/]+\/directories\/[^/]+\/(users|groups)\/search$/,
  /^\/v2\/orgs\/[^/]+\/workspaces$/,
];

export function assertAllowedRequest(method: string, relativePath: string): void {
  if (method === 'GET') return;
  const path = pathOnly(relativePath);
  if (method === 'POST' && READ_ONLY_POSTS.some((allowed) => allowed.test(path))) return;
  throw new UpstreamError(
    `Refusing ${method} ${path}: the connector only reads (GET and read-only search POSTs)`,
    {
      method,
      path,
      failureType: 'system_error',
    },
  );
}

/**
 * Resolves `path` against `baseUrl`: a relative path is appended; an absolute URL must lie under baseUrl
 * (a response's link must not take credentials elsewhere). Returns the absolute URL and the relative path.
 */
export function resolveUnderBase(baseUrl: string, path: string): { url: string; relative: string } {
  if (path.startsWith('/')) return { url: `${baseUrl}${path}`, relative: path };
  if (/^https?:\/\//i.test(path)) {
    if (path.startsWith(`${baseUrl}/`)) return { url: path, relative: path.slice(baseUrl.length) };
    throw new UpstreamError(`Refusing to call ${pathOnly(path)}: it is outside ${baseUrl}`, {
      path: pathOnly(path),
      failureType: 'system_error',
    });
  }
  return { url: `${baseUrl}/${path}`, relative: `/${path}` };
}

/** Download hops: same host as the base keeps Authorization; other hosts get none and must be https. */
export function downloadHop(baseUrl: string, target: URL): { withAuth: boolean } {
  const base = new URL(baseUrl);
  if (target.host === base.host && target.protocol === base.protocol) return { withAuth: true };
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && isLoopbackHost(target.hostname))) {
    throw new UpstreamError(`Refusing to download from ${target.protocol}//${target.host}: not https`, {
      path: target.pathname,
      failureType: 'system_error',
    });
  }
  return { withAuth: false };
}
