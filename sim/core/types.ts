// The seam between the simulator's core (server, auth, knobs, directory, control API) and its product
// modules (Confluence, Jira, org Admin API). Product modules never touch HTTP directly.

export interface SimUser {
  accountId: string;
  displayName: string;
  /** Always known to the simulator; exposed by product APIs only when `emailVisible`. */
  email: string;
  emailVisible: boolean;
  accountType: 'atlassian' | 'app' | 'customer';
  active: boolean;
  timeZone: string;
}

export interface SimGroup {
  /** uuid, as product APIs show it (the Admin API shows `ari:cloud:identity::group/<uuid>`). */
  id: string;
  name: string;
}

export interface Directory {
  users: SimUser[];
  groups: SimGroup[];
  /** group id -> member account ids */
  members: Map<string, Set<string>>;
  /** The account the connector authenticates as (a service account, `…@serviceaccount.atlassian.com`). */
  serviceAccount: SimUser;
  userById(accountId: string): SimUser | undefined;
  groupsOf(accountId: string): Set<string>;
}

/** Which host/prefix a request came through. */
export type Surface = 'site' | 'gateway' | 'admin';

export interface SimRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Path with the gateway prefix `/ex/{product}/{cloudId}` removed, e.g. `/wiki/api/v2/pages`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  surface: Surface;
  /** Path parameters captured by the route pattern (`/wiki/api/v2/pages/:id` -> { id }). */
  params: Record<string, string>;
  /** The authenticated caller's account id (the service account or the api-token user). */
  caller: string;
  /** Absolute base the client used for this product, for building `_links` and `self` URLs. */
  baseUrl: string;
  /** The site URL (https://{domain} equivalent), for `_links.base`, `self` and web links. */
  siteUrl: string;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes (attachment downloads). */
  raw?: Buffer;
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>;

export interface RouteTable {
  get(pattern: string, handler: Handler): void;
  post(pattern: string, handler: Handler): void;
}
