// Reads the directory (users, groups, memberships) once per sync: from the org Admin API when configured
// (emails included), else from the per-site Jira and Confluence APIs (emails only where profiles show them).
// The result is small (thousands of users, hundreds of groups) and feeds both the directory streams and the
// ACL computation, which needs memberships to expand intersections of group grants.
import type { AtlassianSite } from '../atlassian/site';
import type { SourceConfig } from '../generated/config';
import type { Logger } from '../cdk/stream';
import type { UsersRecord } from '../generated/records/users';
import type { GroupsRecord } from '../generated/records/groups';
import { adminCursorPages, offsetPages } from '../atlassian/pagination';
import { userFilter, type UserFilter } from './filter';

export type EmailSource = 'org_admin_api' | 'jira' | 'confluence';

export interface DirectorySnapshot {
  users: Map<string, UsersRecord>;
  groups: Map<string, GroupsRecord>;
  /** group id -> member account ids, excluded accounts and the connector's own account already removed. */
  members: Map<string, Set<string>>;
  /** Accounts kept in ACLs: active, allowed by config, not the connector's own account. */
  allowed(accountId: string): boolean;
  /**
   * The allowed accounts that are licensed users of the products (account type `atlassian`): who an "all
   * licensed users" grant reaches. Service Management portal customers (`customer`) and app (bot) accounts
   * (`app`) are listed by the site but hold no product licence; an unknown type is not counted (fail closed).
   */
  licensedUsers: readonly string[];
  unresolvedEmails: number;
}

const ADMIN_GROUP_ARI = 'ari:cloud:identity::group/';
export const stripGroupAri = (id: string): string =>
  id.startsWith(ADMIN_GROUP_ARI) ? id.slice(ADMIN_GROUP_ARI.length) : id;

interface AdminUser {
  accountId: string;
  accountType?: string;
  status?: string;
  accountStatus?: string;
  name?: string;
  nickname?: string;
  email?: string;
  timeZone?: string;
  groups?: { id: string; name?: string }[];
}
interface JiraUser {
  accountId: string;
  accountType?: string;
  active?: boolean;
  displayName?: string;
  emailAddress?: string;
  timeZone?: string;
}
interface BulkUser {
  accountId: string;
  email?: string;
  accountStatus?: string;
  displayName?: string;
  publicName?: string;
}

export interface LoadDirectoryOptions {
  site: AtlassianSite;
  config: SourceConfig;
  logger: Logger;
  /** The connector's own account id, removed from memberships and ACLs. */
  selfAccountId?: string;
  signal?: AbortSignal;
}

/**
 * The connector's own account id (Jira /myself, else Confluence /user/current). When neither answers, the
 * account cannot be left out of ACLs and memberships: a WARN says so, and the run goes on.
 */
export async function selfAccountId(
  site: AtlassianSite,
  logger: Logger,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const failures: string[] = [];
  const ask = async (client: 'jira' | 'confluence', path: string): Promise<string | undefined> => {
    try {
      const me = await site[client].get<{ accountId?: string }>(path, { signal });
      if (me.accountId) return me.accountId;
      failures.push(`${path}: no accountId`);
    } catch (error) {
      failures.push(`${path}: ${(error as { status?: number }).status ?? 'error'}`);
    }
    return undefined;
  };
  const id =
    (await ask('jira', '/rest/api/3/myself')) ?? (await ask('confluence', '/wiki/rest/api/user/current'));
  if (!id && !signal?.aborted)
    logger.warn(
      `directory: cannot tell which account the connector runs as (${failures.join('; ')}); ` +
        'it is not removed from ACLs and group memberships, so documents may list it among their readers',
    );
  return id;
}

export async function loadDirectory(options: LoadDirectoryOptions): Promise<DirectorySnapshot> {
  const { site, config, logger } = options;
  const filter = userFilter(config);
  const users = new Map<string, UsersRecord>();
  const groups = new Map<string, GroupsRecord>();
  const rawMembers = new Map<string, Set<string>>();
  const add = (group: string, account: string): void => {
    let set = rawMembers.get(group);
    if (!set) rawMembers.set(group, (set = new Set()));
    set.add(account);
  };
  if (site.admin) {
    await fromAdmin(site, users, groups, add, options.signal);
    // The org directory lists people only: app (bot) accounts of the site come from Jira's user list.
    try {
      await siteUsers(site, users, options.signal, (u) => !users.has(u.accountId));
    } catch (error) {
      logger.warn(
        `directory: could not list the site's app accounts via Jira users/search (${(error as { status?: number }).status ?? 'error'})`,
      );
    }
  } else await fromSite(site, users, groups, add, logger, options.signal);

  for (const u of users.values()) u.is_connector_account = u.account_id === options.selfAccountId;
  const excluded = (id: string): boolean => !filter.keeps(id, users.get(id)?.email ?? undefined);
  for (const id of [...users.keys()]) if (excluded(id)) users.delete(id);
  const members = new Map<string, Set<string>>();
  for (const g of groups.keys()) {
    const kept = [...(rawMembers.get(g) ?? [])].filter((a) => users.has(a) && a !== options.selfAccountId);
    members.set(g, new Set(kept));
  }
  let unresolved = 0;
  for (const u of users.values()) if (!u.email) unresolved++;
  const source = site.admin ? 'the org Admin API' : 'Jira and Confluence profiles';
  const message = `directory: ${users.size} users, ${groups.size} groups from ${source}; ${unresolved} users without a resolvable email`;
  if (unresolved > 0 && !site.admin) {
    logger.warn(
      `${message} (hidden by profile visibility; configure organization_id + organization_admin_api_key to resolve them)`,
    );
  } else logger.info(message);
  const allowed = (id: string): boolean => id !== options.selfAccountId && users.get(id)?.active === true;
  const licensedUsers = [...users.values()]
    .filter((u) => u.account_type === 'atlassian' && allowed(u.account_id))
    .map((u) => u.account_id);
  return { users, groups, members, unresolvedEmails: unresolved, allowed, licensedUsers };
}

async function fromAdmin(
  site: AtlassianSite,
  users: Map<string, UsersRecord>,
  groups: Map<string, GroupsRecord>,
  add: (group: string, account: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const { client, orgId } = site.admin!;
  const base = `/v2/orgs/${encodeURIComponent(orgId)}/directories/-`;
  for await (const page of adminCursorPages<{ id: string; name?: string; description?: string }>(
    client,
    `${base}/groups/search`,
    { body: { limit: 100 }, signal },
  )) {
    for (const g of page) {
      const id = stripGroupAri(g.id);
      groups.set(id, {
        group_id: id,
        cloud_id: site.cloudId,
        name: g.name ?? null,
        description: g.description ?? null,
        directory_source: 'org_admin_api',
      });
    }
  }
  // There is no "members of group" listing in the Admin API: page users with their groups and invert.
  for await (const page of adminCursorPages<AdminUser>(client, `${base}/users/search`, {
    body: { limit: 100, expand: ['groups'] },
    signal,
  })) {
    for (const u of page) {
      const active =
        (u.accountStatus ?? 'active') === 'active' &&
        !['deactivated', 'suspended', 'for_deletion'].includes(u.status ?? '');
      users.set(u.accountId, {
        account_id: u.accountId,
        cloud_id: site.cloudId,
        display_name: u.name ?? u.nickname ?? null,
        email: u.email || null,
        email_source: u.email ? 'org_admin_api' : null,
        account_type: u.accountType ?? null,
        active,
        account_status: u.accountStatus ?? u.status ?? null,
        time_zone: u.timeZone ?? null,
        directory_source: 'org_admin_api',
      });
      for (const g of u.groups ?? []) add(stripGroupAri(g.id), u.accountId);
    }
  }
}

async function fromSite(
  site: AtlassianSite,
  users: Map<string, UsersRecord>,
  groups: Map<string, GroupsRecord>,
  add: (group: string, account: string) => void,
  logger: Logger,
  signal?: AbortSignal,
): Promise<void> {
  await siteUsers(site, users, signal, () => true);
  for await (const page of offsetPages<{ groupId: string; name?: string }>(
    site.jira,
    '/rest/api/3/group/bulk',
    { style: 'startAt', pageSize: 50, signal },
  )) {
    for (const g of page)
      groups.set(g.groupId, {
        group_id: g.groupId,
        cloud_id: site.cloudId,
        name: g.name ?? null,
        description: null,
        directory_source: 'jira',
      });
  }
  for (const g of groups.keys()) {
    for await (const page of offsetPages<JiraUser>(site.jira, '/rest/api/3/group/member', {
      style: 'startAt',
      pageSize: 50,
      params: { groupId: g, includeInactiveUsers: true },
      signal,
    })) {
      for (const u of page) add(g, u.accountId);
    }
  }
  await confluenceEmails(site, users, logger, signal);
}

/** Jira lists every account of the site (active, inactive, deleted, apps), 1000 per page, as a bare array. */
async function siteUsers(
  site: AtlassianSite,
  users: Map<string, UsersRecord>,
  signal: AbortSignal | undefined,
  wanted: (u: JiraUser) => boolean,
): Promise<void> {
  for await (const page of offsetPages<JiraUser>(site.jira, '/rest/api/3/users/search', {
    style: 'startAt',
    pageSize: 1000,
    signal,
  })) {
    for (const u of page) {
      if (!wanted(u)) continue;
      users.set(u.accountId, {
        account_id: u.accountId,
        cloud_id: site.cloudId,
        display_name: u.displayName ?? null,
        email: u.emailAddress || null,
        email_source: u.emailAddress ? 'jira' : null,
        account_type: u.accountType ?? null,
        active: u.active ?? false,
        account_status: u.active === false ? 'inactive' : 'active',
        time_zone: u.timeZone ?? null,
        directory_source: 'jira',
      });
    }
  }
}

async function confluenceEmails(
  site: AtlassianSite,
  users: Map<string, UsersRecord>,
  logger: Logger,
  signal?: AbortSignal,
): Promise<void> {
  // Confluence's bulk user lookup shows the email where the profile allows it; try it for the rest.
  const missing = [...users.values()]
    .filter((u) => !u.email && u.account_type !== 'app')
    .map((u) => u.account_id);
  for (let i = 0; i < missing.length; i += 250) {
    const batch = missing.slice(i, i + 250);
    try {
      const body = await site.confluence.search<{ results?: BulkUser[] }>(
        '/wiki/api/v2/users-bulk',
        { accountIds: batch },
        { signal },
      );
      for (const r of body.results ?? []) {
        const u = users.get(r.accountId);
        if (u && r.email) Object.assign(u, { email: r.email, email_source: 'confluence' });
      }
    } catch (error) {
      logger.warn(
        `directory: Confluence users-bulk failed (${(error as { status?: number }).status ?? 'error'}); emails of ${batch.length} users stay unresolved`,
      );
      break;
    }
  }
}

export type { UserFilter };
