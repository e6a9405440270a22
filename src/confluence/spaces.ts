// confluence_spaces, and the space list every content stream partitions by (config filters applied once here).
import type { Logger, Stream } from '../cdk/stream';
import type { AtlassianSite, StreamDeps } from '../atlassian/site';
import { confluenceCursorPages } from '../atlassian/pagination';
import type { SourceConfig } from '../generated/config';
import type { ConfluenceSpacesRecord } from '../generated/records/confluence_spaces';
import { loadSchema } from '../schemas';

/** The v2 `Space` fields we read (ENDPOINTS.md §1.1). */
export interface SpaceV2 {
  id: string;
  key: string;
  name?: string;
  type?: string;
  status?: string;
  authorId?: string;
  spaceOwnerId?: string;
  homepageId?: string;
  createdAt?: string;
  description?: { plain?: { value?: string } } | null;
  _links?: { webui?: string };
}

export interface SpaceFilter {
  include: Set<string>;
  exclude: Set<string>;
  includeArchived: boolean;
  includePersonal: boolean;
  /** Account ids (and emails, which only match when the API gives one) of excluded users. */
  excludedUsers: Set<string>;
}

export function spaceFilter(config: SourceConfig): SpaceFilter {
  const c = config.confluence ?? {};
  return {
    include: new Set(c.spaces?.include ?? []),
    exclude: new Set(c.spaces?.exclude ?? []),
    includeArchived: c.include_archived_spaces ?? false,
    includePersonal: c.include_personal_spaces ?? true,
    excludedUsers: new Set((config.users?.exclude ?? []).map((u) => u.trim().toLowerCase())),
  };
}

/** Why a space is skipped, or undefined when it is read. Pure, so the filter rules are unit-tested. */
export function skipReason(space: SpaceV2, filter: SpaceFilter, ownerEmail?: string): string | undefined {
  if (filter.include.size > 0 && !filter.include.has(space.key)) return 'not in confluence.spaces.include';
  if (filter.exclude.has(space.key)) return 'in confluence.spaces.exclude';
  if (space.status === 'archived' && !filter.includeArchived) return 'archived';
  if (space.type === 'personal') {
    if (!filter.includePersonal) return 'personal';
    // A personal space's owner is its creator (`authorId`) or, on newer sites, `spaceOwnerId`.
    const owners = [space.spaceOwnerId, space.authorId, ownerEmail].filter((x): x is string => !!x);
    if (owners.some((o) => filter.excludedUsers.has(o.toLowerCase()))) return 'owner is in users.exclude';
  }
  return undefined;
}

/**
 * Every space the account can see that passes the config filters, in id order. Include keys that never
 * showed up are reported with a WARN once the listing is done.
 */
export async function* selectedSpaces(options: {
  site: AtlassianSite;
  config: SourceConfig;
  logger: Logger;
  signal?: AbortSignal;
}): AsyncGenerator<SpaceV2> {
  const filter = spaceFilter(options.config);
  const seen = new Set<string>();
  // users.exclude may name people by email; a personal space only has its owner's account id.
  const byEmail = filter.includePersonal && [...filter.excludedUsers].some((u) => u.includes('@'));
  const statuses = filter.includeArchived ? ['current', 'archived'] : ['current'];
  for (const status of statuses) {
    const params: Record<string, string | number> = { status, limit: 250, 'description-format': 'plain' };
    // Ask for the included keys only: fewer pages on a large site (the API takes up to 250 keys).
    if (filter.include.size > 0 && filter.include.size <= 250) params.keys = [...filter.include].join(',');
    for await (const page of confluenceCursorPages<SpaceV2>(options.site.confluence, '/wiki/api/v2/spaces', {
      params,
      signal: options.signal,
    })) {
      const owners = byEmail ? page.filter((s) => s.type === 'personal').map(ownerOf) : [];
      const emails = await ownerEmails(options.site, owners, options.signal);
      for (const space of page) {
        seen.add(space.key);
        const owner = ownerOf(space);
        const reason = skipReason(space, filter, owner ? emails.get(owner) : undefined);
        if (reason) options.logger.debug(`Confluence space ${space.key} skipped: ${reason}`);
        else yield space;
      }
    }
  }
  const missing = [...filter.include].filter((key) => !seen.has(key));
  if (missing.length > 0) {
    options.logger.warn(
      `Confluence spaces in confluence.spaces.include that do not exist or that the account cannot see` +
        `${filter.includeArchived ? '' : ' (or that are archived)'}: ${missing.join(', ')}`,
    );
  }
}

const ownerOf = (space: SpaceV2): string | undefined => space.spaceOwnerId ?? space.authorId;

/** users-bulk takes at most 250 account ids (ENDPOINTS.md §1.8). */
const BULK = 250;
/** Per run (one site object per run): every stream listing spaces looks each owner up once. */
const emailsPerRun = new WeakMap<AtlassianSite, Map<string, Promise<string | undefined>>>();

/** The emails of these accounts, when visible: one users-bulk request per 250 not looked up yet. */
async function ownerEmails(
  site: AtlassianSite,
  owners: (string | undefined)[],
  signal?: AbortSignal,
): Promise<Map<string, string | undefined>> {
  const ids = [...new Set(owners.filter((o): o is string => !!o))];
  if (ids.length === 0) return new Map();
  let known = emailsPerRun.get(site);
  if (!known) emailsPerRun.set(site, (known = new Map()));
  const missing = ids.filter((id) => !known.has(id));
  for (let i = 0; i < missing.length; i += BULK) {
    const batch = missing.slice(i, i + BULK);
    const found = site.confluence
      .search<{ results?: { accountId?: string; email?: string }[] }>(
        '/wiki/api/v2/users-bulk',
        { accountIds: batch },
        { signal },
      )
      .then((r) => new Map((r.results ?? []).map((u) => [u.accountId, u.email ?? undefined])));
    for (const id of batch)
      known.set(
        id,
        found.then((m) => m.get(id)),
      );
  }
  return new Map(await Promise.all(ids.map(async (id) => [id, await known.get(id)] as const)));
}

/** v2 `_links.webui` is relative to `/wiki`. */
export function webUrl(siteUrl: string, webui: string | undefined): string | null {
  if (!webui) return null;
  if (/^https?:\/\//.test(webui)) return webui;
  return `${siteUrl}${webui.startsWith('/wiki/') ? '' : '/wiki'}${webui.startsWith('/') ? '' : '/'}${webui}`;
}

export function toSpaceRecord(
  space: SpaceV2,
  site: { siteUrl: string; cloudId: string },
): ConfluenceSpacesRecord {
  return {
    id: String(space.id),
    key: space.key ?? null,
    name: space.name ?? null,
    type: space.type ?? null,
    status: space.status ?? null,
    author_account_id: space.authorId ?? null,
    owner_account_id: space.spaceOwnerId ?? (space.type === 'personal' ? (space.authorId ?? null) : null),
    homepage_id: space.homepageId ?? null,
    description: space.description?.plain?.value || null,
    url: webUrl(site.siteUrl, space._links?.webui),
    cloud_id: site.cloudId,
    created_at: space.createdAt ?? null,
    updated_at: space.createdAt ?? null,
  };
}

export function spacesStream(deps: StreamDeps): Stream {
  return {
    name: 'confluence_spaces',
    jsonSchema: loadSchema('confluence_spaces'),
    primaryKey: [['id']],
    async *read(context) {
      const site = await deps.site();
      for await (const space of selectedSpaces({
        site,
        config: deps.config,
        logger: context.logger,
        signal: context.signal,
      })) {
        yield { type: 'record', data: { ...toSpaceRecord(space, site) } };
      }
    },
  };
}
