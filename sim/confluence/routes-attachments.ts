// v2 attachments (site-wide, per page / blog post, single) and the download routes: v1
// `content/{id}/child/attachment/{attId}/download` and the v2 `downloadLink` both answer 302 to a signed
// media URL on the same server, which serves the bytes without Authorization (like api.media.atlassian.com).
import { createHmac } from 'node:crypto';
import { confluenceV1Error, confluenceV2Error } from '../core/errors';
import type { RouteTable, SimRequest, SimResponse } from '../core/types';
import { attachmentBytes } from './attachment-bytes';
import type { ConfluenceContext } from './context';
import type { Attachment } from './model';
import { multi, sortItems, v2Page, type SortedItem } from './pagination';
import { visibleContent } from './routes-pages';
import { attachmentJson } from './serialize';

const SORTS: Record<string, (a: Attachment) => number> = {
  'created-date': (a) => a.createdAt,
  'modified-date': (a) => a.version.createdAt,
};
const MEDIA_SECRET = 'sim-media-signing-key';

export function visibleAttachment(
  ctx: ConfluenceContext,
  req: SimRequest,
  id: string,
): Attachment | undefined {
  const attachment = ctx.model.attachments.get(id);
  if (!attachment) return undefined;
  const container = ctx.model.contents.get(attachment.containerId);
  return container && ctx.access.canRead(req.caller, container) ? attachment : undefined;
}

export function bytesOf(a: Attachment): Buffer {
  return a.bytesOverride ?? attachmentBytes(a.kind, a.id, a.title);
}

function sign(fileId: string): string {
  return createHmac('sha256', MEDIA_SECRET).update(fileId).digest('base64url');
}

function mediaRedirect(req: SimRequest, a: Attachment): SimResponse {
  const location = `${req.siteUrl}/file/${a.fileId}/binary?token=${sign(a.fileId)}&name=${encodeURIComponent(a.title)}&dl=true`;
  return { status: 302, headers: { Location: location } };
}

function list(ctx: ConfluenceContext, req: SimRequest, containerId?: string): SimResponse {
  const sortParam = req.query.get('sort') ?? 'created-date';
  const key = SORTS[sortParam.replace(/^-/, '')];
  if (!key) return confluenceV2Error(400, `Invalid sort: ${sortParam}`);
  const statuses = multi(req, 'status');
  for (const s of statuses)
    if (!['current', 'archived', 'trashed'].includes(s))
      return confluenceV2Error(400, `Invalid status: ${s}`);
  const wanted = statuses.length ? statuses : ['current', 'archived'];
  const mediaType = req.query.get('mediaType');
  const filename = req.query.get('filename');
  const items: Array<SortedItem<Attachment>> = [];
  for (const a of ctx.model.attachments.values()) {
    if (containerId && a.containerId !== containerId) continue;
    if (!wanted.includes(a.status)) continue;
    if (mediaType && a.mediaType !== mediaType) continue;
    if (filename && a.title !== filename) continue;
    const container = ctx.model.contents.get(a.containerId);
    if (!container || !ctx.access.canRead(req.caller, container)) continue;
    items.push({ item: a, key: key(a), id: a.id });
  }
  const desc = sortParam.startsWith('-');
  return v2Page(req, sortItems(items, desc), {
    desc,
    render: (a) => attachmentJson(ctx, a),
    defaultLimit: 50,
  });
}

export function registerAttachmentRoutes(
  routes: RouteTable,
  publicRoutes: RouteTable,
  ctx: ConfluenceContext,
): void {
  routes.get('/wiki/api/v2/attachments', (req) => list(ctx, req));
  for (const containerKind of ['page', 'blogpost'] as const) {
    routes.get(`/wiki/api/v2/${containerKind}s/:id/attachments`, (req) => {
      const container = visibleContent(ctx, req, req.params.id!, containerKind);
      if (!container) return confluenceV2Error(404, `No ${containerKind} found with id ${req.params.id}`);
      return list(ctx, req, container.id);
    });
  }
  routes.get('/wiki/api/v2/attachments/:id', (req) => {
    const a = visibleAttachment(ctx, req, req.params.id!);
    if (!a) return confluenceV2Error(404, `No attachment found with id ${req.params.id}`);
    const body = attachmentJson(ctx, a);
    body._links = { ...(body._links as object), base: `${req.siteUrl}/wiki` };
    return { status: 200, body };
  });

  routes.get('/wiki/rest/api/content/:id/child/attachment/:attachmentId/download', (req) => {
    const a = visibleAttachment(ctx, req, req.params.attachmentId!);
    if (!a || a.containerId !== req.params.id || a.status === 'trashed') {
      return confluenceV1Error(404, `No attachment found with id ${req.params.attachmentId}`);
    }
    return mediaRedirect(req, a);
  });

  routes.get('/wiki/download/attachments/:containerId/:filename', (req) => {
    const a = [...ctx.model.attachments.values()].find(
      (x) => x.containerId === req.params.containerId && x.title === req.params.filename,
    );
    if (!a || !visibleAttachment(ctx, req, a.id)) return { status: 404, body: { message: 'Not Found' } };
    return mediaRedirect(req, a);
  });

  publicRoutes.get('/file/:fileId/binary', (req) => {
    if (req.query.get('token') !== sign(req.params.fileId!))
      return { status: 401, body: { error: 'invalid token' } };
    const a = [...ctx.model.attachments.values()].find((x) => x.fileId === req.params.fileId);
    if (!a) return { status: 404, body: { error: 'file not found' } };
    return {
      status: 200,
      raw: bytesOf(a),
      headers: {
        'Content-Type': a.mediaType,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.title)}`,
      },
    };
  });
}
