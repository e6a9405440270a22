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

/** Seeded pseudo-random source. Pure: the same seed gives the same sequence. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** An independent stream derived from this one's seed and a label (stable whatever was drawn before). */
  fork(label: string): Rng;
}

/**
 * The simulator's clock. Seeded data is dated before `epoch`; every mutation gets `tick()`, which is
 * strictly later than any earlier tick and than `epoch` (wall-clock time when that is later).
 */
export interface Clock {
  readonly epoch: number;
  /** Current time in epoch millis, without advancing. */
  now(): number;
  /** Advance and return a new, strictly later, epoch-millis timestamp. */
  tick(): number;
}

/** How much data a scale generates. Products read only their own counts. */
export interface ScaleCounts {
  users: number;
  groups: number;
  spaces: number;
  pages: number;
  blogposts: number;
  /** Confluence comments (footer + inline, with replies). */
  comments: number;
  /** Confluence attachments. */
  attachments: number;
  projects: number;
  issues: number;
  jiraComments: number;
  jiraAttachments: number;
}

/** Context handed to a product module's factory. */
export interface ProductContext {
  rng: Rng;
  clock: Clock;
  directory: Directory;
  counts: ScaleCounts;
  /** The site URL (e.g. http://127.0.0.1:PORT), known once the server listens. */
  siteUrl(): string;
}

/**
 * A product (Confluence, Jira) plugged into the core. `visibleIds`/`canSee` answer `undefined` for streams
 * and kinds the product does not own.
 */
export interface ProductModule {
  register(routes: RouteTable): void;
  visibleIds(stream: string): Set<string> | undefined;
  canSee(accountId: string, kind: string, id: string): boolean | undefined;
  /** Control API (mutations for tests), exposed as `sim.control.<product>` and over HTTP at `/__control/<product>/<method>`. */
  control: object;
  /** Stable digest of the generated dataset (for the determinism test). */
  digest(): string;
}

/** Signature of `createJiraModule` exported by sim/jira/index.ts. */
export type ProductModuleFactory = (ctx: ProductContext) => ProductModule;
