// For `check`: can the account read what the ACL needs? Returns human problems, one per missing grant;
// an empty list means every permission input is readable. Probes up to PROBE_LIMIT spaces and projects the
// config selects (two or three requests each): project-level roles differ from project to project.
import type { AtlassianSite } from '../atlassian/site';
import type { SourceConfig } from '../generated/config';
import type { Logger } from '../cdk/stream';
import { listSpaces, spaceReadPermissions } from './confluence';
import { listProjects, ProjectAccess } from './jira';

const PROBE_LIMIT = 50;
const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const status = (e: unknown): string => String((e as { status?: number }).status ?? 'error');

export async function checkPermissionAccess(
  site: AtlassianSite,
  config: SourceConfig,
  signal?: AbortSignal,
): Promise<string[]> {
  const problems: string[] = [];
  try {
    let n = 0;
    for await (const space of listSpaces(site, config, quiet, signal)) {
      if (++n > PROBE_LIMIT) break;
      const perms = await spaceReadPermissions(site, space, signal);
      if (!Array.isArray(perms)) {
        problems.push(
          `cannot read space permissions of space ${space.key} (${perms.status}): grant the account the read:space:confluence scope and space admin (or "view space permissions") so document ACLs can be computed`,
        );
      }
      try {
        await site.confluence.get('/wiki/rest/api/content/search', {
          params: {
            cql: `space = "${space.key}" and type = page`,
            limit: 1,
            expand: 'restrictions.read.restrictions.user,restrictions.read.restrictions.group',
          },
          signal,
        });
      } catch (error) {
        problems.push(
          `cannot read page restrictions in space ${space.key} (${status(error)}): grant the search:confluence / read:content-details:confluence scope`,
        );
      }
    }
  } catch (error) {
    // users.exclude naming emails: the owners of personal spaces are looked up by account id.
    const ownerLookup = String((error as { path?: string }).path ?? '').endsWith('/users-bulk');
    problems.push(
      ownerLookup
        ? `cannot look up the owners of personal spaces, which users.exclude names by email (${status(error)}): grant read:user:confluence`
        : `cannot list Confluence spaces (${status(error)}): grant read:space:confluence`,
    );
  }
  try {
    let n = 0;
    for await (const project of listProjects(site, config, signal)) {
      if (++n > PROBE_LIMIT) break;
      const access = new ProjectAccess(site, project, quiet, signal);
      const grants = await access.browseGrants();
      if ('status' in grants) {
        problems.push(
          `cannot read the permission scheme of project ${project.key} (${grants.status}): give the account Administer Projects on it (or Administer Jira) so who may browse issues is known`,
        );
      }
      const security = await access.securityLevels();
      if (security && 'status' in security) {
        problems.push(
          `cannot read the issue security levels of project ${project.key} (${security.status}): give the account Administer Jira and the manage:jira-configuration scope; issues with a security level will be closed to everyone until then`,
        );
      }
    }
  } catch (error) {
    problems.push(`cannot list Jira projects (${status(error)}): grant read:jira-work`);
  }
  if (!site.admin) {
    try {
      await site.jira.get('/rest/api/3/users/search', { params: { maxResults: 1 }, signal });
    } catch (error) {
      problems.push(
        `cannot list users (${status(error)}): give the account the "Browse users and groups" global permission, or configure the org Admin API`,
      );
    }
  }
  return problems;
}
