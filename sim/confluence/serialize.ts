// v2 JSON shapes (confluence-v2.openapi.json: SpaceBulk, PageBulk, BlogPostBulk, comment models, AttachmentBulk).
import { isoTime } from '../core/ids';
import type { SimUser } from '../core/types';
import { attachmentBytes, MEDIA_TYPES } from './attachment-bytes';
import { bodyOf, slug, type ConfluenceContext } from './context';
import type { Attachment, Comment, Content, Space, Version } from './model';

export function versionJson(v: Version): Record<string, unknown> {
  return {
    createdAt: isoTime(v.createdAt),
    message: v.message,
    number: v.number,
    minorEdit: v.minorEdit,
    authorId: v.authorId,
  };
}

export function spaceJson(
  space: Space,
  options: { descriptionFormat?: string | null } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: space.id,
    key: space.key,
    name: space.name,
    type: space.type,
    status: space.status,
    authorId: space.authorId,
    spaceOwnerId: space.authorId,
    currentActiveAlias: space.key,
    createdAt: isoTime(space.createdAt),
    homepageId: space.homepageId,
    _links: { webui: `/spaces/${space.key}` },
  };
  if (options.descriptionFormat === 'plain' || options.descriptionFormat === 'view') {
    out.description = {
      [options.descriptionFormat]: { representation: options.descriptionFormat, value: space.description },
    };
  }
  return out;
}

export function contentWebui(ctx: ConfluenceContext, c: Content): string {
  const key = ctx.model.spaces.get(c.spaceId)?.key ?? '';
  if (c.kind === 'page') return `/spaces/${key}/pages/${c.id}/${slug(c.title)}`;
  if (c.kind === 'folder') return `/spaces/${key}/folder/${c.id}`;
  const d = new Date(c.createdAt);
  const ymd = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  return `/spaces/${key}/blog/${ymd}/${c.id}/${slug(c.title)}`;
}

function tinyui(id: string): string {
  return `/x/${Buffer.from(Number(id).toString(16), 'hex').toString('base64url') || 'AA'}`;
}

export function contentJson(
  ctx: ConfluenceContext,
  c: Content,
  bodyFormat: string | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: c.id,
    status: c.status,
    title: c.title,
    spaceId: c.spaceId,
  };
  if (c.kind === 'page') {
    Object.assign(out, {
      // The spec types parentId/parentType as non-nullable strings: root pages leave them out.
      ...(c.parentId
        ? { parentId: c.parentId, parentType: ctx.model.contents.get(c.parentId)?.kind ?? 'page' }
        : {}),
      position: c.position,
      authorId: c.authorId,
      ownerId: c.ownerId,
      lastOwnerId: null,
      subtype: null,
    });
  } else {
    out.authorId = c.authorId;
  }
  out.createdAt = isoTime(c.createdAt);
  out.version = versionJson(c.version);
  out.body = bodyOf(ctx, c, bodyFormat) ?? {};
  out._links = {
    webui: contentWebui(ctx, c),
    editui: `/pages/resumedraft.action?draftId=${c.id}`,
    tinyui: tinyui(c.id),
  };
  return out;
}

export function commentWebui(ctx: ConfluenceContext, comment: Comment): string {
  const container = ctx.model.contents.get(comment.containerId);
  return `${container ? contentWebui(ctx, container) : ''}?focusedCommentId=${comment.id}`;
}

/**
 * Comment shapes differ per endpoint: site-wide lists carry `pageId|blogPostId` and `parentCommentId`,
 * per-container lists carry only the container id (root comments), children lists only `parentCommentId`.
 */
export function commentJson(
  ctx: ConfluenceContext,
  c: Comment,
  options: { bodyFormat: string | null; container: boolean; parent: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: c.id,
    status: c.status,
    title: `Re: ${ctx.model.contents.get(c.containerId)?.title ?? ''}`,
  };
  if (options.container) out[c.containerType === 'page' ? 'pageId' : 'blogPostId'] = c.containerId;
  if (options.parent && c.parentCommentId) out.parentCommentId = c.parentCommentId;
  out.version = versionJson(c.version);
  out.body = bodyOf(ctx, c, options.bodyFormat) ?? {};
  if (c.kind === 'inline') {
    out.resolutionStatus = c.resolutionStatus ?? 'open';
    if (options.container || options.parent) {
      if (c.resolutionLastModifierId) out.resolutionLastModifierId = c.resolutionLastModifierId;
      if (c.resolutionLastModifiedAt) out.resolutionLastModifiedAt = isoTime(c.resolutionLastModifiedAt);
    }
    out.properties = {
      inlineMarkerRef: c.inlineMarkerRef ?? '',
      inlineOriginalSelection: c.inlineOriginalSelection ?? '',
    };
  }
  out._links = { webui: commentWebui(ctx, c) };
  return out;
}

export function attachmentSize(a: Attachment): number {
  if (a.bytesOverride) return a.bytesOverride.length;
  // Derived bytes are rebuilt on download; the size is remembered on the attachment once computed.
  a.size ??= attachmentBytes(a.kind, a.id, a.title).length;
  return a.size;
}

export function attachmentDownloadPath(a: Attachment): string {
  return `/download/attachments/${a.containerId}/${encodeURIComponent(a.title)}?version=${a.version.number}&modificationDate=${a.version.createdAt}&cacheVersion=1&api=v2`;
}

export function attachmentJson(ctx: ConfluenceContext, a: Attachment): Record<string, unknown> {
  const container = ctx.model.contents.get(a.containerId);
  const download = attachmentDownloadPath(a);
  const webui = `/pages/viewpageattachments.action?pageId=${a.containerId}&preview=${encodeURIComponent(`/${a.containerId}/${a.id.slice(3)}/${a.title}`)}`;
  return {
    id: a.id,
    status: a.status,
    title: a.title,
    createdAt: isoTime(a.createdAt),
    [a.containerType === 'page' ? 'pageId' : 'blogPostId']: a.containerId,
    mediaType: a.mediaType,
    mediaTypeDescription: MEDIA_TYPES[a.kind].description,
    comment: a.comment,
    fileId: a.fileId,
    fileSize: attachmentSize(a),
    webuiLink: container ? webui : '',
    downloadLink: download,
    version: versionJson(a.version),
    _links: { webui, download },
  };
}

export function userJson(u: SimUser, personalSpaceId: string | undefined): Record<string, unknown> {
  return {
    accountId: u.accountId,
    accountType: u.accountType,
    accountStatus: u.active ? 'active' : 'inactive',
    displayName: u.displayName,
    publicName: u.displayName,
    // Privacy-limited: an empty string when the profile hides the email (§1.8).
    email: u.emailVisible ? u.email : '',
    timeZone: u.timeZone,
    ...(personalSpaceId ? { personalSpaceId } : {}),
    isExternalCollaborator: false,
    profilePicture: { path: `/wiki/aa-avatar/${u.accountId}`, isDefault: true, width: 48, height: 48 },
  };
}
