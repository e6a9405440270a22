// JSON shapes of Jira entities, as the v3 API writes them (schemas named in the comments). Links point at the
// site host even when the request came through the gateway, as on a real site; timestamps use the caller's
// time zone.
import { adfBody, adfToHtml, type AdfDoc, type Mentionable } from './adf';
import {
  FIELDS,
  ISSUE_TYPES,
  PRIORITIES,
  RESOLUTION_DONE,
  REVIEWER_FIELD,
  STATUS_CATEGORIES,
  STATUSES,
  STORY_POINTS_FIELD,
  SUBTASK_TYPE_ID,
} from './catalog';
import type { JiraAttachment, JiraComment, JiraIssue, JiraProject, JiraStore, SecurityLevel } from './model';
import type { Directory, SimUser } from './seam';
import { formatJiraTime } from '../core/time-zone';

export interface RenderContext {
  store: JiraStore;
  directory: Directory;
  siteUrl: string;
  timeZone: string;
  /** Mentionable people for derived ADF bodies. */
  people: readonly Mentionable[];
  /** Overrides for bodies written through the control API. */
  bodies: Map<string, AdfDoc | null>;
}

function avatarUrls(accountId: string): Record<string, string> {
  const base = `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/${accountId}/avatar.png`;
  return { '48x48': base, '24x24': base, '16x16': base, '32x32': base };
}

/** Schema `User` (myself, users/search, user/bulk). `emailAddress` only when the profile shows it. */
export function userJson(user: SimUser, siteUrl: string): Record<string, unknown> {
  return { ...userDetailsJson(user, siteUrl), locale: 'en_US' };
}

/** Schema `UserDetails` (people inside issues, comments, attachments; group members). No locale. */
export function userDetailsJson(user: SimUser, siteUrl: string): Record<string, unknown> {
  // Built directly (issues and comments render several people each); userJson adds `locale`.
  return {
    self: `${siteUrl}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    accountType: user.accountType,
    ...(user.emailVisible ? { emailAddress: user.email } : {}),
    avatarUrls: avatarUrls(user.accountId),
    displayName: user.displayName,
    active: user.active,
    timeZone: user.timeZone,
  };
}

export function personOrNull(
  ctx: RenderContext,
  accountId: string | undefined,
): Record<string, unknown> | null {
  if (accountId === undefined) return null;
  const user = ctx.directory.userById(accountId);
  if (!user) return { accountId, accountType: 'unknown', active: false, displayName: 'Former user' };
  return userDetailsJson(user, ctx.siteUrl);
}

export function statusJson(statusId: string, siteUrl: string): Record<string, unknown> {
  const s = STATUSES.find((x) => x.id === statusId) ?? STATUSES[0]!;
  const c = STATUS_CATEGORIES.find((x) => x.id === s.categoryId)!;
  return {
    self: `${siteUrl}/rest/api/3/status/${s.id}`,
    description: '',
    iconUrl: `${siteUrl}/`,
    name: s.name,
    id: s.id,
    statusCategory: {
      self: `${siteUrl}/rest/api/3/statuscategory/${c.id}`,
      id: c.id,
      key: c.key,
      colorName: c.colorName,
      name: c.name,
    },
  };
}

export function issueTypeJson(typeId: string, siteUrl: string): Record<string, unknown> {
  const t = ISSUE_TYPES.find((x) => x.id === typeId) ?? ISSUE_TYPES[2]!;
  return {
    self: `${siteUrl}/rest/api/3/issuetype/${t.id}`,
    id: t.id,
    description: t.description,
    iconUrl: `${siteUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/10318?size=medium`,
    name: t.name,
    subtask: t.subtask,
    avatarId: 10318,
    hierarchyLevel: t.hierarchyLevel,
  };
}

function priorityJson(priorityId: string, siteUrl: string): Record<string, unknown> {
  const pr = PRIORITIES.find((x) => x.id === priorityId) ?? PRIORITIES[2]!;
  return {
    self: `${siteUrl}/rest/api/3/priority/${pr.id}`,
    iconUrl: `${siteUrl}/images/icons/priorities/${pr.name.toLowerCase()}.svg`,
    name: pr.name,
    id: pr.id,
  };
}

export function projectRefJson(project: JiraProject, siteUrl: string): Record<string, unknown> {
  return {
    self: `${siteUrl}/rest/api/3/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: project.typeKey,
    simplified: project.style === 'next-gen',
    avatarUrls: projectAvatars(project, siteUrl),
  };
}

export function projectAvatars(project: JiraProject, siteUrl: string): Record<string, string> {
  const u = `${siteUrl}/rest/api/3/universal_avatar/view/type/project/avatar/10400`;
  void project;
  return { '48x48': u, '24x24': `${u}?size=small`, '16x16': `${u}?size=xsmall`, '32x32': `${u}?size=medium` };
}

/** Schema `SecurityLevel`. */
export function securityLevelJson(
  level: SecurityLevel,
  siteUrl: string,
  isDefault?: boolean,
): Record<string, unknown> {
  return {
    self: `${siteUrl}/rest/api/3/securitylevel/${level.id}`,
    id: level.id,
    description: level.description,
    name: level.name,
    ...(isDefault !== undefined ? { isDefault, issueSecuritySchemeId: String(level.schemeId) } : {}),
  };
}

export function issueBody(ctx: RenderContext, issue: JiraIssue): AdfDoc | null {
  const key = `issue:${issue.id}`;
  if (ctx.bodies.has(key)) return ctx.bodies.get(key) ?? null;
  return adfBody(issue.bodySeed, issue.bodySize, ctx.people);
}

export function commentBody(ctx: RenderContext, comment: JiraComment): AdfDoc {
  const key = `comment:${comment.id}`;
  const own = ctx.bodies.get(key);
  if (own) return own;
  return adfBody(comment.bodySeed, comment.bodySize, ctx.people) ?? { version: 1, type: 'doc', content: [] };
}

/** Schema `Comment`. */
export function commentJson(
  ctx: RenderContext,
  comment: JiraComment,
  opts: { renderedBody?: boolean } = {},
): Record<string, unknown> {
  const body = commentBody(ctx, comment);
  return {
    self: `${ctx.siteUrl}/rest/api/3/issue/${comment.issueId}/comment/${comment.id}`,
    id: comment.id,
    author: personOrNull(ctx, comment.author),
    body,
    ...(opts.renderedBody ? { renderedBody: adfToHtml(body) } : {}),
    updateAuthor: personOrNull(ctx, comment.updateAuthor),
    created: formatJiraTime(comment.created, ctx.timeZone),
    updated: formatJiraTime(comment.updated, ctx.timeZone),
    ...(comment.visibility ? { visibility: { ...comment.visibility } } : {}),
    jsdPublic: true,
  };
}

/** Schema `Attachment` (inside `fields.attachment`): string id. */
export function attachmentJson(ctx: RenderContext, att: JiraAttachment): Record<string, unknown> {
  return {
    self: `${ctx.siteUrl}/rest/api/3/attachment/${att.id}`,
    id: att.id,
    filename: att.filename,
    author: personOrNull(ctx, att.author),
    created: formatJiraTime(att.created, ctx.timeZone),
    size: att.size,
    mimeType: att.mimeType,
    content: `${ctx.siteUrl}/rest/api/3/attachment/content/${att.id}`,
    ...(att.kind === 'pdf' ? {} : { thumbnail: `${ctx.siteUrl}/rest/api/3/attachment/thumbnail/${att.id}` }),
  };
}

/** Schema `AttachmentMetadata` (GET attachment/{id}): integer id, author as `User`. */
export function attachmentMetadataJson(ctx: RenderContext, att: JiraAttachment): Record<string, unknown> {
  const author = ctx.directory.userById(att.author);
  return {
    id: Number(att.id),
    self: `${ctx.siteUrl}/rest/api/3/attachment/${att.id}`,
    filename: att.filename,
    ...(author ? { author: userJson(author, ctx.siteUrl) } : {}),
    created: formatJiraTime(att.created, ctx.timeZone),
    size: att.size,
    mimeType: att.mimeType,
    properties: {},
    content: `${ctx.siteUrl}/rest/api/3/attachment/content/${att.id}`,
    ...(att.kind === 'pdf' ? {} : { thumbnail: `${ctx.siteUrl}/rest/api/3/attachment/thumbnail/${att.id}` }),
  };
}

function issueRef(ctx: RenderContext, issue: JiraIssue): Record<string, unknown> {
  return {
    id: issue.id,
    key: issue.key,
    self: `${ctx.siteUrl}/rest/api/3/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      status: statusJson(issue.statusId, ctx.siteUrl),
      priority: priorityJson(issue.priorityId, ctx.siteUrl),
      issuetype: issueTypeJson(issue.issueTypeId, ctx.siteUrl),
    },
  };
}

/** Visible-comment filter, supplied by the caller's access rules. */
export type CommentFilter = (comment: JiraComment) => boolean;

/** The value of one field of an issue, as `fields.<id>` carries it. */
export function fieldValue(
  ctx: RenderContext,
  issue: JiraIssue,
  fieldId: string,
  canSeeComment: CommentFilter,
): unknown {
  const s = ctx.siteUrl;
  const tz = ctx.timeZone;
  switch (fieldId) {
    case 'summary':
      return issue.summary;
    case 'description':
      return issueBody(ctx, issue);
    case 'issuetype':
      return issueTypeJson(issue.issueTypeId, s);
    case 'status':
      return statusJson(issue.statusId, s);
    case 'priority':
      return priorityJson(issue.priorityId, s);
    case 'labels':
      return [...issue.labels];
    case 'components':
      return issue.componentIds.map((id) => {
        const c = ctx.store.components.get(id);
        return {
          self: `${s}/rest/api/3/component/${id}`,
          id,
          name: c?.name ?? id,
          description: c?.description ?? '',
        };
      });
    case 'fixVersions':
      return issue.fixVersionIds.map((id) => {
        const v = ctx.store.versions.get(id);
        return {
          self: `${s}/rest/api/3/version/${id}`,
          id,
          name: v?.name ?? id,
          archived: v?.archived ?? false,
          released: v?.released ?? false,
          ...(v?.releaseDate ? { releaseDate: v.releaseDate } : {}),
        };
      });
    case 'reporter':
      return personOrNull(ctx, issue.reporter);
    case 'assignee':
      return personOrNull(ctx, issue.assignee);
    case 'creator':
      return personOrNull(ctx, issue.creator);
    case 'created':
      return formatJiraTime(issue.created, tz);
    case 'updated':
      return formatJiraTime(issue.updated, tz);
    case 'resolution':
      return issue.resolutionDate !== undefined
        ? { self: `${s}/rest/api/3/resolution/${RESOLUTION_DONE.id}`, ...RESOLUTION_DONE }
        : null;
    case 'resolutiondate':
      return issue.resolutionDate !== undefined ? formatJiraTime(issue.resolutionDate, tz) : null;
    case 'project': {
      const project = ctx.store.projects.get(issue.projectId);
      return project ? projectRefJson(project, s) : null;
    }
    case 'parent': {
      const parent = issue.parentId ? ctx.store.issues.get(issue.parentId) : undefined;
      return parent ? issueRef(ctx, parent) : undefined;
    }
    case 'security': {
      const level = issue.securityLevelId ? ctx.store.securityLevels.get(issue.securityLevelId) : undefined;
      return level ? securityLevelJson(level, s) : null;
    }
    case 'subtasks':
      return ctx.store
        .childrenOf(issue.id)
        .filter((c) => c.issueTypeId === SUBTASK_TYPE_ID)
        .map((c) => issueRef(ctx, c));
    case 'comment': {
      const visible = issue.commentIds
        .map((id) => ctx.store.comments.get(id))
        .filter((c): c is JiraComment => c !== undefined && canSeeComment(c));
      return {
        comments: visible.map((c) => commentJson(ctx, c)),
        self: `${s}/rest/api/3/issue/${issue.id}/comment`,
        maxResults: visible.length,
        total: visible.length,
        startAt: 0,
      };
    }
    case 'attachment':
      return issue.attachmentIds
        .map((id) => ctx.store.attachments.get(id))
        .filter((a): a is JiraAttachment => a !== undefined)
        .map((a) => attachmentJson(ctx, a));
    case STORY_POINTS_FIELD:
      return issue.storyPoints ?? null;
    case REVIEWER_FIELD:
      return personOrNull(ctx, issue.reviewer);
    default:
      return undefined;
  }
}

/** HTML renderings of rich-text fields (`expand=renderedFields`); other fields render as their text. */
export function renderedFieldValue(
  ctx: RenderContext,
  issue: JiraIssue,
  fieldId: string,
  canSeeComment: CommentFilter,
): unknown {
  switch (fieldId) {
    case 'description':
      return adfToHtml(issueBody(ctx, issue));
    case 'comment': {
      const v = fieldValue(ctx, issue, 'comment', canSeeComment) as { comments: Record<string, unknown>[] };
      return {
        ...v,
        comments: v.comments.map((c) => ({ ...c, body: adfToHtml(c.body as AdfDoc) })),
      };
    }
    case 'created':
    case 'updated':
    case 'resolutiondate': {
      const value = fieldValue(ctx, issue, fieldId, canSeeComment);
      return typeof value === 'string' ? value.slice(0, 16).replace('T', ' ') : null;
    }
    default:
      return null;
  }
}

export const FIELD_NAMES: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [f.id, f.name]));
export const FIELD_SCHEMAS: Record<string, unknown> = Object.fromEntries(
  FIELDS.filter((f) => f.schema).map((f) => [f.id, f.schema]),
);
