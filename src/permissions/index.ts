// Permission streams: space permissions, content restrictions, project browse grants,
// security levels and document_permissions, re-read in full every sync (permission changes move no cursor).
import { mergeAsync } from '../cdk/concurrency';
import type { DocumentPermissionsRecord } from '../generated/records/document_permissions';
import { AclSweep } from './acl-sweep';
import type { Stream, StreamEvent } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';
import type { DirectorySnapshot } from '../directory/load';
import { loadSchema } from '../schemas';
import {
  listSpaces,
  principalOf,
  spaceReadPermissions,
  spaceRestrictions,
  type Restriction,
} from './confluence';
import { listProjects, ProjectAccess, type Holder } from './jira';
import { confluenceDocuments, inputsOnce, jiraDocuments, perPartition } from './documents';

export { aclRecord } from './documents';
export { checkPermissionAccess } from './check';

/**
 * true until the refresh interval has passed since the last full computation (0 hours: refresh every sync).
 * A computation dated in the future (a state from another clock, or Airbyte's abnormal-state check) is not
 * due either: like a content cursor ahead of every record, it reads nothing until that time has passed.
 */
export function refreshNotDue(previous: string, hours: number, now: number): boolean {
  const at = Date.parse(previous);
  return Number.isFinite(at) && now < at + hours * 3_600_000;
}

function holderColumns(h: Holder): Record<string, string | null> {
  return {
    holder_type: h.type,
    holder_parameter: h.parameter ?? null,
    holder_value: h.value ?? h.user?.accountId ?? null,
  };
}

/** One row per principal a Jira permission holder resolves to; users the directory leaves out are skipped. */
async function* principalRows(
  access: ProjectAccess,
  holder: Holder,
  directory: DirectorySnapshot,
  row: Record<string, unknown>,
): AsyncGenerator<StreamEvent> {
  for (const p of await access.resolve(holder)) {
    if (p.principal_type === 'user' && !directory.allowed(p.principal_id)) continue;
    yield { type: 'record', data: { ...row, ...holderColumns(holder), ...p } };
  }
}

/**
 * The principal columns of one read restriction: a row per user and group it allows. One that allows
 * nobody we list (only deactivated, excluded or service accounts) or could not be read gets a single
 * marker row instead (`none`, `unreadable`), so that it never reads as "not restricted".
 */
function restrictionPrincipals(
  r: Restriction | 'unreadable',
  allowed: (accountId: string) => boolean,
): { principal_type: string; principal_id: string; principal_name: string | null }[] {
  if (r === 'unreadable')
    return [{ principal_type: 'unreadable', principal_id: 'unreadable', principal_name: null }];
  const rows = [
    ...r.users
      .filter((u) => allowed(u.id))
      .map((u) => ({ principal_type: 'user', principal_id: u.id, principal_name: u.name ?? null })),
    ...r.groups.map((g) => ({ principal_type: 'group', principal_id: g.id, principal_name: g.name ?? null })),
  ];
  return rows.length > 0 ? rows : [{ principal_type: 'none', principal_id: 'none', principal_name: null }];
}

function aclTombstone(
  cloudId: string,
): (documentType: string, documentId: string) => DocumentPermissionsRecord {
  return (documentType, documentId) => {
    const now = new Date().toISOString();
    return {
      document_type: documentType,
      document_id: documentId,
      product: documentType.startsWith('jira_') ? 'jira' : 'confluence',
      cloud_id: cloudId,
      computed_at: now,
      _ab_cdc_deleted_at: now,
    };
  };
}

export function permissionStreams(deps: StreamDeps): Stream[] {
  const inputs = inputsOnce(deps);
  return [
    {
      name: 'confluence_space_permissions',
      jsonSchema: loadSchema('confluence_space_permissions'),
      primaryKey: [['space_id'], ['principal_type'], ['principal_id']],
      async *read(ctx): AsyncIterable<StreamEvent> {
        const { site, directory } = await inputs(ctx);
        const spaces = listSpaces(site, deps.config, ctx.logger, ctx.signal);
        yield* perPartition(deps, ctx, spaces, async function* (space): AsyncGenerator<StreamEvent> {
          const perms = await spaceReadPermissions(site, space, ctx.signal);
          if (!Array.isArray(perms)) {
            ctx.logger.warn(`cannot read space permissions of space ${space.key} (${perms.status})`);
            return;
          }
          for (const p of perms) {
            const principal = principalOf(p);
            if (principal.type === 'user' && !directory.allowed(principal.id)) continue;
            const name =
              principal.type === 'group'
                ? directory.groups.get(principal.id)?.name
                : principal.type === 'user'
                  ? directory.users.get(principal.id)?.display_name
                  : undefined;
            yield {
              type: 'record',
              data: {
                space_id: space.id,
                space_key: space.key,
                principal_type: principal.type,
                principal_id: principal.id,
                principal_name: name ?? null,
                operation: 'read',
                target_type: 'space',
                permission_id: p.id ?? null,
                cloud_id: site.cloudId,
              },
            };
          }
        });
      },
    },
    {
      name: 'confluence_content_restrictions',
      jsonSchema: loadSchema('confluence_content_restrictions'),
      primaryKey: [['content_id'], ['source_content_id'], ['principal_type'], ['principal_id']],
      async *read(ctx): AsyncIterable<StreamEvent> {
        const { site, directory, ancestorRestrictions } = await inputs(ctx);
        const spaces = listSpaces(site, deps.config, ctx.logger, ctx.signal);
        yield* perPartition(deps, ctx, spaces, async function* (space): AsyncGenerator<StreamEvent> {
          const contents = spaceRestrictions(site, space, {
            ancestors: ancestorRestrictions,
            archived: false,
            logger: ctx.logger,
            signal: ctx.signal,
          });
          for await (const item of contents) {
            for (const { sourceId, restriction } of item.restrictions) {
              const base = {
                content_id: item.id,
                content_type: item.type,
                space_id: space.id,
                space_key: space.key,
                source_content_id: sourceId,
                inherited: sourceId !== item.id,
                operation: 'read',
                cloud_id: site.cloudId,
              };
              for (const principal of restrictionPrincipals(restriction, (a) => directory.allowed(a)))
                yield { type: 'record', data: { ...base, ...principal } };
            }
          }
        });
      },
    },
    {
      name: 'jira_project_permissions',
      jsonSchema: loadSchema('jira_project_permissions'),
      primaryKey: [['project_id'], ['grant_id'], ['principal_type'], ['principal_id']],
      async *read(ctx): AsyncIterable<StreamEvent> {
        const { site, directory } = await inputs(ctx);
        const projects = listProjects(site, deps.config, ctx.signal);
        yield* perPartition(deps, ctx, projects, async function* (project): AsyncGenerator<StreamEvent> {
          const access = new ProjectAccess(site, project, ctx.logger, ctx.signal);
          const grants = await access.browseGrants();
          if ('status' in grants) {
            ctx.logger.warn(`cannot read the permission scheme of project ${project.key} (${grants.status})`);
            return;
          }
          for (const g of grants.grants) {
            yield* principalRows(access, g.holder, directory, {
              project_id: project.id,
              project_key: project.key,
              permission_scheme_id: grants.schemeId ?? null,
              permission: 'BROWSE_PROJECTS',
              grant_id: g.id,
              cloud_id: site.cloudId,
            });
          }
        });
      },
    },
    {
      name: 'jira_issue_security_levels',
      jsonSchema: loadSchema('jira_issue_security_levels'),
      primaryKey: [['project_id'], ['level_id'], ['member_id'], ['principal_type'], ['principal_id']],
      async *read(ctx): AsyncIterable<StreamEvent> {
        const { site, directory } = await inputs(ctx);
        const projects = listProjects(site, deps.config, ctx.signal);
        yield* perPartition(deps, ctx, projects, async function* (project): AsyncGenerator<StreamEvent> {
          const access = new ProjectAccess(site, project, ctx.logger, ctx.signal);
          const security = await access.securityLevels();
          if (!security) return;
          if ('status' in security) {
            ctx.logger.warn(
              `cannot read the issue security levels of project ${project.key} (${security.status})`,
            );
            return;
          }
          for (const [levelId, level] of security.levels) {
            for (const m of level.members) {
              yield* principalRows(access, m.holder, directory, {
                project_id: project.id,
                project_key: project.key,
                security_scheme_id: security.schemeId,
                level_id: levelId,
                level_name: level.name ?? null,
                is_default: level.isDefault,
                member_id: m.id,
                cloud_id: site.cloudId,
              });
            }
          }
        });
      },
    },
    {
      name: 'document_permissions',
      // Walks every space and project again: started early, it overlaps the content streams.
      startFirst: 2,
      jsonSchema: loadSchema('document_permissions'),
      primaryKey: [['document_type'], ['document_id']],
      // Incremental (append_dedup) lets `permissions_refresh_hours` skip recomputation between refreshes;
      // every refresh re-reads every ACL in full, because permission changes move no content cursor.
      cursorField: ['computed_at'],
      async *read(ctx): AsyncIterable<StreamEvent> {
        const previous = typeof ctx.state?.computed_at === 'string' ? ctx.state.computed_at : undefined;
        const hours = deps.config.permissions_refresh_hours ?? 0;
        const startedAt = new Date().toISOString();
        if (ctx.syncMode === 'incremental' && previous && refreshNotDue(previous, hours, Date.now())) {
          if (Date.parse(previous) > Date.now()) {
            ctx.logger.warn(
              `document_permissions: the state says the ACLs were computed at ${previous}, in the future; ` +
                'nothing is recomputed until then. Reset the stream to recompute now.',
            );
          } else {
            ctx.logger.info(
              `document_permissions: computed at ${previous}, next refresh after ${hours} h; skipped this sync`,
            );
          }
          yield { type: 'state', state: ctx.state ?? { computed_at: previous } };
          return;
        }
        const run = await inputs(ctx);
        // Incremental: documents gone since the last refresh get tombstones (acl-sweep.ts).
        const sweep =
          ctx.syncMode === 'incremental'
            ? new AclSweep(ctx.state?.digest, aclTombstone(run.site.cloudId), ctx.logger)
            : undefined;
        // Both products at once: their requests share the connector's concurrency limit.
        const documents = mergeAsync([confluenceDocuments(deps, run, ctx), jiraDocuments(deps, run, ctx)], {
          concurrency: 2,
          signal: ctx.signal,
        });
        const record = (data: DocumentPermissionsRecord): StreamEvent => ({
          type: 'record',
          data: data as unknown as Record<string, unknown>,
        });
        for await (const data of documents) {
          sweep?.add(data);
          yield record(data);
        }
        if (sweep) for (const gone of sweep.tombstones()) yield record(gone);
        yield {
          type: 'state',
          state: { computed_at: startedAt, ...(sweep ? { digest: sweep.serialize() } : {}) },
        };
      },
    },
  ];
}
