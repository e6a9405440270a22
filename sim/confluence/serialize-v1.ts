// v1 JSON shapes (confluence-v1.openapi.json: User, Group, Content with expands, ContentRestriction).
import { isoTime } from '../core/ids';
import type { SimGroup, SimUser } from '../core/types';
import { attachmentSize, contentWebui } from './serialize';
import { storageOf, type ConfluenceContext } from './context';
import type { Attachment, Comment, Content, Restriction, Space } from './model';

export function v1User(u: SimUser | undefined, accountId: string): Record<string, unknown> {
  if (!u)
    return {
      type: 'unknown',
      accountId,
      accountType: '',
      displayName: 'Unknown user',
      publicName: 'Unknown user',
    };
  return {
    type: 'known',
    accountId: u.accountId,
    accountType: u.accountType === 'customer' ? '' : u.accountType,
    email: u.emailVisible ? u.email : '',
    publicName: u.displayName,
    profilePicture: { path: `/wiki/aa-avatar/${u.accountId}`, width: 48, height: 48, isDefault: true },
    displayName: u.displayName,
    isExternalCollaborator: false,
    isGuest: false,
    _expandable: { operations: '', personalSpace: '' },
    _links: { self: `/wiki/rest/api/user?accountId=${encodeURIComponent(u.accountId)}` },
  };
}

export function v1Group(g: SimGroup, managedBy: string): Record<string, unknown> {
  return {
    type: 'group',
    name: g.name,
    id: g.id,
    usageType: 'USERBASE_GROUP',
    managedBy: managedBy === 'external' ? 'EXTERNAL' : 'ADMINS',
    _links: { self: `/wiki/rest/api/group/by-id?id=${g.id}` },
  };
}

export function v1Space(space: Space): Record<string, unknown> {
  return {
    id: Number(space.id),
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
    _expandable: {
      settings: '',
      metadata: '',
      operations: '',
      lookAndFeel: '',
      permissions: '',
      icon: '',
      description: '',
      theme: '',
      history: '',
      homepage: '',
    },
    _links: { webui: `/spaces/${space.key}`, self: `/wiki/rest/api/space/${space.key}` },
  };
}

/** `{ user: {results,start,limit,size}, group: {...} }`, each list paged by the same start/limit. */
export function restrictionLists(
  ctx: ConfluenceContext,
  r: Restriction,
  page: { start: number; limit: number },
): Record<string, unknown> {
  const users = r.users.slice(page.start, page.start + page.limit);
  const groups = r.groups.slice(page.start, page.start + page.limit);
  return {
    user: {
      results: users.map((id) => v1User(ctx.dir.userById(id), id)),
      start: page.start,
      limit: page.limit,
      size: users.length,
      totalSize: r.users.length,
    },
    group: {
      results: groups.flatMap((id) => {
        const g = ctx.dir.groupById(id);
        return g ? [v1Group(g, ctx.dir.groupFacts.get(id)?.managedBy ?? 'admins')] : [];
      }),
      start: page.start,
      limit: page.limit,
      size: groups.length,
    },
  };
}

export function v1Restriction(
  ctx: ConfluenceContext,
  contentId: string,
  operation: 'read' | 'update',
  r: Restriction,
  page: { start: number; limit: number },
): Record<string, unknown> {
  return {
    operation,
    restrictions: restrictionLists(ctx, r, page),
    _expandable: { content: `/rest/api/content/${contentId}` },
    _links: { self: `/wiki/rest/api/content/${contentId}/restriction/byOperation/${operation}` },
  };
}

export type V1Item =
  | { type: 'page' | 'blogpost'; content: Content }
  | { type: 'comment'; comment: Comment }
  | { type: 'attachment'; attachment: Attachment };

export function v1ItemId(item: V1Item): string {
  return item.type === 'comment'
    ? item.comment.id
    : item.type === 'attachment'
      ? item.attachment.id
      : item.content.id;
}

/** Answers per expand set: a search page asks the same few questions for every item. */
const expandAnswers = new WeakMap<Set<string>, Map<string, boolean>>();

function expands(expand: Set<string>, prefix: string): boolean {
  let answers = expandAnswers.get(expand);
  if (!answers) expandAnswers.set(expand, (answers = new Map()));
  let answer = answers.get(prefix);
  if (answer === undefined) {
    answer = [...expand].some((e) => e === prefix || e.startsWith(`${prefix}.`));
    answers.set(prefix, answer);
  }
  return answer;
}

/** Content as v1 search returns it, with the requested expands. */
export function v1Content(
  ctx: ConfluenceContext,
  item: V1Item,
  expand: Set<string>,
): Record<string, unknown> {
  const has = (prefix: string): boolean => expands(expand, prefix);
  const container =
    item.type === 'comment'
      ? ctx.model.contents.get(item.comment.containerId)
      : item.type === 'attachment'
        ? ctx.model.contents.get(item.attachment.containerId)
        : item.content;
  const own =
    item.type === 'comment' ? item.comment : item.type === 'attachment' ? item.attachment : item.content;
  const space = container ? ctx.model.spaces.get(container.spaceId) : undefined;
  const title =
    item.type === 'page' || item.type === 'blogpost'
      ? item.content.title
      : item.type === 'attachment'
        ? item.attachment.title
        : `Re: ${container?.title ?? ''}`;
  const id = v1ItemId(item);
  const out: Record<string, unknown> = { id, type: item.type, status: own.status, title };
  if (space && has('space')) out.space = v1Space(space);
  if (has('history')) {
    out.history = {
      latest: true,
      createdBy: v1User(ctx.dir.userById(own.authorId), own.authorId),
      createdDate: isoTime(own.createdAt),
      _expandable: { lastUpdated: '', previousVersion: '', contributors: '', nextVersion: '' },
    };
    if (expand.has('history.ownedBy')) {
      // Pages and blog posts have an owner of their own; for comments and files it is the author.
      const ownerId = item.type === 'page' || item.type === 'blogpost' ? item.content.ownerId : own.authorId;
      (out.history as Record<string, unknown>).ownedBy = v1User(ctx.dir.userById(ownerId), ownerId);
    }
  }
  if (has('version')) {
    out.version = {
      by: v1User(ctx.dir.userById(own.version.authorId), own.version.authorId),
      when: isoTime(own.version.createdAt),
      friendlyWhen: isoTime(own.version.createdAt),
      message: own.version.message,
      number: own.version.number,
      minorEdit: own.version.minorEdit,
      contentTypeModified: false,
      _expandable: { collaborators: '', content: `/rest/api/content/${id}` },
      _links: { self: `/wiki/rest/api/content/${id}/version/${own.version.number}` },
    };
  }
  if (has('ancestors') && container) {
    const chain =
      item.type === 'page'
        ? ctx.model.ancestors(item.content)
        : item.type === 'blogpost'
          ? []
          : [...(container.kind === 'page' ? ctx.model.ancestors(container) : []), container];
    out.ancestors = chain.map((a) => ({
      id: a.id,
      type: a.kind,
      status: a.status,
      title: a.title,
      _links: { webui: contentWebui(ctx, a) },
    }));
  }
  if (has('container') && container)
    out.container = {
      id: container.id,
      type: container.kind,
      status: container.status,
      title: container.title,
    };
  if (has('restrictions') && (item.type === 'page' || item.type === 'blogpost')) {
    const page = { start: 0, limit: 100 };
    out.restrictions = {
      read: v1Restriction(ctx, id, 'read', item.content.readRestriction, page),
      update: v1Restriction(ctx, id, 'update', item.content.updateRestriction, page),
    };
  }
  if (has('body') && (item.type === 'page' || item.type === 'blogpost' || item.type === 'comment')) {
    out.body = {
      storage: {
        value: storageOf(ctx, item.type === 'comment' ? item.comment : item.content),
        representation: 'storage',
      },
    };
  }
  if (has('metadata') && (item.type === 'page' || item.type === 'blogpost')) {
    const labels = item.content.labels;
    out.metadata = {
      labels: {
        results: labels.map((l) => ({ prefix: l.prefix, name: l.name, id: l.id, label: l.name })),
        start: 0,
        limit: 200,
        size: labels.length,
      },
    };
  }
  if (item.type === 'comment') {
    out.extensions = {
      location: item.comment.kind,
      ...(item.comment.kind === 'inline'
        ? {
            inlineProperties: {
              markerRef: item.comment.inlineMarkerRef,
              originalSelection: item.comment.inlineOriginalSelection,
            },
            resolution: { status: item.comment.resolutionStatus ?? 'open' },
          }
        : {}),
    };
  }
  if (item.type === 'attachment') {
    out.extensions = {
      mediaType: item.attachment.mediaType,
      fileSize: attachmentSize(item.attachment),
      comment: item.attachment.comment,
      fileId: item.attachment.fileId,
    };
  }
  const webui =
    item.type === 'page' || item.type === 'blogpost'
      ? contentWebui(ctx, item.content)
      : container
        ? `${contentWebui(ctx, container)}?focusedCommentId=${id}`
        : '';
  out._expandable = {};
  out._links = { webui, self: `/wiki/rest/api/content/${id}`, tinyui: `/x/${id}` };
  return out;
}
