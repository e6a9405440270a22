// Small HTTP helpers for simulator tests: call a surface with a given credential form.
import type { Simulator } from '../../sim';

export type AuthForm = 'sa-basic' | 'sa-bearer' | 'user-basic' | 'org-key' | 'none' | { header: string };

export interface CallResult {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export function authHeader(sim: Simulator, form: AuthForm): string | undefined {
  const c = sim.credentials;
  const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  if (typeof form === 'object') return form.header;
  switch (form) {
    case 'sa-basic':
      return basic(c.serviceAccountEmail, c.serviceAccountToken);
    case 'sa-bearer':
      return `Bearer ${c.serviceAccountToken}`;
    case 'user-basic':
      return basic(c.userEmail, c.userApiToken);
    case 'org-key':
      return `Bearer ${c.orgAdminApiKey}`;
    case 'none':
      return undefined;
  }
}

/** `path` is a product path (`/wiki/api/v2/pages`); `via` picks the gateway (default), the site or raw. */
export async function call(
  sim: Simulator,
  path: string,
  options: {
    via?: 'gateway' | 'site' | 'raw';
    auth?: AuthForm;
    method?: string;
    body?: unknown;
    redirect?: 'manual' | 'follow';
  } = {},
): Promise<CallResult> {
  const via = options.via ?? 'gateway';
  const product = path.startsWith('/wiki') ? 'confluence' : 'jira';
  const url = via === 'gateway' ? `${sim.url}/ex/${product}/${sim.cloudId}${path}` : `${sim.url}${path}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  const auth = authHeader(
    sim,
    options.auth ?? (via === 'site' ? 'user-basic' : path.startsWith('/admin') ? 'org-key' : 'sa-basic'),
  );
  if (auth) headers.authorization = auth;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: options.redirect ?? 'manual',
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** Follows v2 `_links.next` (relative, with `/wiki`) through the gateway; returns every item. */
export async function walkV2<T = Record<string, unknown>>(
  sim: Simulator,
  path: string,
  auth: AuthForm = 'sa-basic',
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next) {
    const r = await call(sim, next, { auth });
    if (r.status !== 200) throw new Error(`${next} -> ${r.status} ${r.text}`);
    const body = r.body as { results: T[]; _links: { next?: string } };
    items.push(...body.results);
    pages++;
    next = body._links.next;
    if (pages > 10_000) throw new Error('runaway pagination');
  }
  return { items, pages };
}
