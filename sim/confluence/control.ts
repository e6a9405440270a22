// Test-side mutations of Confluence content. Content edits bump the version and stamp it with the sim
// clock; permission changes (restrictions, space permissions) do not, as in Confluence.
import { uuid } from '../core/ids';
import type { Rng } from '../core/types';
import { MEDIA_TYPES } from './attachment-bytes';
import type { ConfluenceContext } from './context';
import {
  isDocument,
  type Attachment,
  type AttachmentKind,
  type Comment,
  type Content,
  type ContentKind,
  type DocumentContent,
  type SpacePermission,
} from './model';

export interface PrincipalRef {
  type: 'user' | 'group' | 'role';
  id: string;
}

export interface ConfluenceControl {
  createPage(input: {
    spaceId?: string;
    spaceKey?: string;
    title: string;
    parentId?: string;
    body?: string;
    authorId?: string;
  }): Content;
  createBlogPost(input: {
    spaceId?: string;
    spaceKey?: string;
    title: string;
    body?: string;
    authorId?: string;
  }): Content;
  /** A folder in the page tree (under the homepage unless `parentId` names a page or folder). */
  createFolder(input: { spaceId?: string; spaceKey?: string; title: string; parentId?: string }): Content;
  /** New version with a new body and/or title. Works for pages and blog posts. */
  updatePage(
    id: string,
    input: { title?: string; body?: string; authorId?: string; message?: string },
  ): Content;
  updateBlogPost(id: string, input: { title?: string; body?: string; authorId?: string }): Content;
  /** New parent and/or space; descendants follow into the new space. */
  movePage(id: string, input: { parentId?: string | null; spaceId?: string }): Content;
  trashPage(id: string): Content;
  trashBlogPost(id: string): Content;
  /** Purge: the page (with its comments and attachments) is gone, GETs answer 404. Children move up to its parent. */
  deletePage(id: string): void;
  deleteBlogPost(id: string): void;
  archivePage(id: string): Content;
  restorePage(id: string): Content;
  restrictPage(
    id: string,
    restriction: { users?: string[]; groups?: string[] },
    operation?: 'read' | 'update',
  ): Content;
  unrestrictPage(id: string, operation?: 'read' | 'update'): Content;
  restrictBlogPost(id: string, restriction: { users?: string[]; groups?: string[] }): Content;
  restrictFolder(id: string, restriction: { users?: string[]; groups?: string[] }): Content;
  unrestrictBlogPost(id: string): Content;
  addComment(input: {
    containerId: string;
    body?: string;
    parentCommentId?: string;
    kind?: 'footer' | 'inline';
    authorId?: string;
  }): Comment;
  updateComment(id: string, input: { body: string }): Comment;
  deleteComment(id: string): void;
  addAttachment(input: {
    containerId: string;
    title: string;
    kind?: AttachmentKind;
    mediaType?: string;
    bytes?: Buffer | string;
    authorId?: string;
  }): Attachment;
  deleteAttachment(id: string): void;
  setSpacePermission(
    spaceId: string,
    input: { principal: PrincipalRef; operation?: { key: string; targetType: string }; granted: boolean },
  ): void;
  archiveSpace(spaceId: string): void;
}

export function createConfluenceControl(ctx: ConfluenceContext, rng: Rng): ConfluenceControl {
  const { model, dir, clock } = ctx;
  const changed = (): void => ctx.access.invalidate();
  const get = (id: string, kind?: ContentKind): Content => {
    const c = model.contents.get(id);
    if (!c || (kind && c.kind !== kind)) throw new Error(`no ${kind ?? 'content'} ${id}`);
    return c;
  };
  /** The page or blog post a comment or attachment goes on: folders hold neither. */
  const containerOf = (id: string): DocumentContent => {
    const c = get(id);
    if (!isDocument(c)) throw new Error(`${c.kind} ${id} cannot hold comments or attachments`);
    return c;
  };
  const spaceOf = (input: { spaceId?: string; spaceKey?: string }): string => {
    const space = input.spaceId
      ? model.spaces.get(input.spaceId)
      : [...model.spaces.values()].find((s) => s.key === input.spaceKey);
    if (!space) throw new Error(`no space ${input.spaceId ?? input.spaceKey}`);
    return space.id;
  };
  const bump = (c: { version: Content['version'] }, authorId: string, message = ''): void => {
    c.version = {
      number: c.version.number + 1,
      createdAt: clock.tick(),
      authorId,
      message,
      minorEdit: false,
    };
  };
  const create = (
    kind: ContentKind,
    input: {
      spaceId?: string;
      spaceKey?: string;
      title: string;
      parentId?: string;
      body?: string;
      authorId?: string;
    },
  ): Content => {
    const spaceId = spaceOf(input);
    const space = model.spaces.get(spaceId)!;
    const parentId = kind !== 'blogpost' ? (input.parentId ?? space.homepageId) || undefined : undefined;
    const parent = parentId ? get(parentId) : undefined;
    if (parent && parent.spaceId !== spaceId) throw new Error('parent is in another space');
    if (parent?.kind === 'blogpost') throw new Error('a blog post has no children');
    const now = clock.tick();
    const author = input.authorId ?? dir.apiTokenUser.accountId;
    const content: Content = {
      kind,
      id: model.newContentId(),
      spaceId,
      title: input.title,
      status: 'current',
      parentId,
      position: parentId ? (model.children.get(parentId)?.length ?? 0) : 0,
      authorId: author,
      ownerId: author,
      createdAt: now,
      version: { number: 1, createdAt: now, authorId: author, message: '', minorEdit: false },
      labels: [],
      readRestriction: { users: [], groups: [] },
      updateRestriction: { users: [], groups: [] },
      bodyOverride: input.body,
    };
    model.addContent(content);
    changed();
    return content;
  };
  const update = (
    id: string,
    kind: 'page' | 'blogpost' | undefined,
    input: { title?: string; body?: string; authorId?: string; message?: string },
  ): Content => {
    const c = get(id, kind);
    if (input.title !== undefined) c.title = input.title;
    if (input.body !== undefined) c.bodyOverride = input.body;
    bump(c, input.authorId ?? dir.apiTokenUser.accountId, input.message);
    changed();
    return c;
  };
  const setStatus = (
    id: string,
    kind: 'page' | 'blogpost' | undefined,
    status: Content['status'],
  ): Content => {
    const c = get(id, kind);
    c.status = status;
    bump(c, dir.apiTokenUser.accountId);
    changed();
    return c;
  };
  const purge = (id: string, kind: 'page' | 'blogpost'): void => {
    const c = get(id, kind);
    for (const childId of [...(model.children.get(id) ?? [])]) model.setParent(get(childId), c.parentId);
    model.remove(id);
    changed();
  };
  const restrict = (
    id: string,
    kind: ContentKind | undefined,
    r: { users?: string[]; groups?: string[] },
    operation: 'read' | 'update',
  ): Content => {
    const c = get(id, kind);
    const value = { users: [...(r.users ?? [])], groups: [...(r.groups ?? [])] };
    if (operation === 'read') c.readRestriction = value;
    else c.updateRestriction = value;
    changed();
    return c;
  };

  return {
    createPage: (input) => create('page', input),
    createBlogPost: (input) => create('blogpost', input),
    createFolder: (input) => create('folder', input),
    updatePage: (id, input) => update(id, undefined, input),
    updateBlogPost: (id, input) => update(id, 'blogpost', input),
    movePage(id, input) {
      const page = get(id, 'page');
      const spaceId = input.spaceId ?? (input.parentId ? get(input.parentId).spaceId : page.spaceId);
      if (input.parentId && get(input.parentId).spaceId !== spaceId)
        throw new Error('parent is in another space');
      if (
        input.parentId &&
        (input.parentId === id || model.descendants(id).some((d) => d.id === input.parentId))
      ) {
        throw new Error('cannot move a page under itself');
      }
      const parentId =
        input.parentId === undefined
          ? spaceId === page.spaceId
            ? page.parentId
            : model.spaces.get(spaceId)?.homepageId
          : (input.parentId ?? undefined);
      model.setParent(page, parentId);
      if (spaceId !== page.spaceId) {
        for (const d of [page, ...model.descendants(id)]) d.spaceId = spaceId;
      }
      bump(page, dir.apiTokenUser.accountId, 'Moved');
      changed();
      return page;
    },
    trashPage: (id) => setStatus(id, 'page', 'trashed'),
    trashBlogPost: (id) => setStatus(id, 'blogpost', 'trashed'),
    deletePage: (id) => purge(id, 'page'),
    deleteBlogPost: (id) => purge(id, 'blogpost'),
    archivePage: (id) => setStatus(id, 'page', 'archived'),
    restorePage: (id) => setStatus(id, undefined, 'current'),
    restrictPage: (id, r, operation = 'read') => restrict(id, undefined, r, operation),
    unrestrictPage: (id, operation = 'read') => restrict(id, undefined, {}, operation),
    restrictBlogPost: (id, r) => restrict(id, 'blogpost', r, 'read'),
    unrestrictBlogPost: (id) => restrict(id, 'blogpost', {}, 'read'),
    restrictFolder: (id, r) => restrict(id, 'folder', r, 'read'),
    addComment(input) {
      const container = containerOf(input.containerId);
      const parent = input.parentCommentId ? model.comments.get(input.parentCommentId) : undefined;
      if (input.parentCommentId && !parent) throw new Error(`no comment ${input.parentCommentId}`);
      const kind = parent?.kind ?? input.kind ?? 'footer';
      const now = clock.tick();
      const author = input.authorId ?? dir.apiTokenUser.accountId;
      const comment: Comment = {
        kind,
        id: model.newContentId(),
        containerId: container.id,
        containerType: container.kind,
        parentCommentId: parent?.id,
        status: 'current',
        authorId: author,
        createdAt: now,
        version: { number: 1, createdAt: now, authorId: author, message: '', minorEdit: false },
        bodyOverride: input.body ?? '<p>New comment</p>',
        ...(kind === 'inline'
          ? {
              resolutionStatus: parent ? undefined : 'open',
              inlineMarkerRef: uuid(rng),
              inlineOriginalSelection: 'selected text',
            }
          : {}),
      };
      model.comments.set(comment.id, comment);
      changed();
      return comment;
    },
    updateComment(id, input) {
      const comment = model.comments.get(id);
      if (!comment) throw new Error(`no comment ${id}`);
      comment.bodyOverride = input.body;
      bump(comment, comment.authorId);
      changed();
      return comment;
    },
    deleteComment(id) {
      if (!model.comments.delete(id)) throw new Error(`no comment ${id}`);
      for (const reply of [...model.comments.values()])
        if (reply.parentCommentId === id) model.comments.delete(reply.id);
      changed();
    },
    addAttachment(input) {
      const container = containerOf(input.containerId);
      const kind: AttachmentKind = input.kind ?? 'text';
      const now = clock.tick();
      const author = input.authorId ?? dir.apiTokenUser.accountId;
      const id = `att${model.newContentId()}`;
      const attachment: Attachment = {
        id,
        containerId: container.id,
        containerType: container.kind,
        title: input.title,
        kind,
        mediaType: input.mediaType ?? MEDIA_TYPES[kind].mediaType,
        fileId: uuid(rng),
        status: 'current',
        authorId: author,
        createdAt: now,
        version: { number: 1, createdAt: now, authorId: author, message: '', minorEdit: false },
        comment: '',
        bytesOverride:
          input.bytes === undefined
            ? undefined
            : typeof input.bytes === 'string'
              ? Buffer.from(input.bytes, 'base64')
              : input.bytes,
      };
      model.attachments.set(id, attachment);
      changed();
      return attachment;
    },
    deleteAttachment(id) {
      if (!model.attachments.delete(id)) throw new Error(`no attachment ${id}`);
      changed();
    },
    setSpacePermission(spaceId, input) {
      const space = model.spaces.get(spaceId);
      if (!space) throw new Error(`no space ${spaceId}`);
      const operation = input.operation ?? { key: 'read', targetType: 'space' };
      const same = (p: SpacePermission): boolean =>
        p.principal.type === input.principal.type &&
        p.principal.id === input.principal.id &&
        p.operation.key === operation.key &&
        p.operation.targetType === operation.targetType;
      space.permissions = space.permissions.filter((p) => !same(p));
      if (input.granted) {
        const nextId = Math.max(0, ...space.permissions.map((p) => Number(p.id))) + 1;
        space.permissions.push({ id: String(nextId), principal: { ...input.principal }, operation });
      }
      changed();
    },
    archiveSpace(spaceId) {
      const space = model.spaces.get(spaceId);
      if (!space) throw new Error(`no space ${spaceId}`);
      space.status = 'archived';
      changed();
    },
  };
}
