// Comments and attachments: per-issue comments (legacy envelope), comments by id (PageBean), attachment
// metadata and content (303 to the download by default, bytes with `redirect=false`, byte ranges).
import { attachmentBytes } from './attachment-bytes';
import { badRequest, forbidden, issueNotFound, jiraError, json, notFound } from './errors';
import type { JiraAttachment, JiraComment } from './model';
import { isResponse, pageBean, readOffset } from './paging';
import { attachmentMetadataJson, commentJson } from './render';
import type { RouteTable, SimRequest, SimResponse } from './seam';
import { renderContext, type JiraState } from './state';

const COMMENT_PAGE_DEFAULT = 100;
/** Jira accepts large comment pages; the simulator clamps at this size. */
const COMMENT_PAGE_MAX = 5000;
const COMMENT_LIST_MAX = 1000;

function issueComments(state: JiraState, req: SimRequest): SimResponse {
  const issue = state.store.findIssue(req.params.issueIdOrKey ?? '');
  if (!issue || !state.access.canOpenIssue(req.caller, issue)) return issueNotFound();
  const offset = readOffset(req, { maxResults: COMMENT_PAGE_DEFAULT, max: COMMENT_PAGE_MAX });
  if (isResponse(offset)) return offset;
  const orderBy = req.query.get('orderBy') ?? 'created';
  if (!/^[-+]?created$/.test(orderBy)) return badRequest(`The orderBy value '${orderBy}' is not supported.`);
  const visible = issue.commentIds
    .map((id) => state.store.comments.get(id))
    .filter(
      (c): c is JiraComment => c !== undefined && state.access.commentVisibilityAllows(req.caller, c, issue),
    )
    .sort((a, b) => a.created - b.created || Number(a.id) - Number(b.id));
  if (orderBy.startsWith('-')) visible.reverse();
  const rendered = (req.query.get('expand') ?? '').split(',').includes('renderedBody');
  const rc = renderContext(state, req);
  return json({
    startAt: offset.startAt,
    maxResults: offset.maxResults,
    total: visible.length,
    comments: visible
      .slice(offset.startAt, offset.startAt + offset.maxResults)
      .map((c) => commentJson(rc, c, { renderedBody: rendered })),
  });
}

function commentsById(state: JiraState, req: SimRequest): SimResponse {
  const b = req.body as Record<string, unknown> | null;
  if (typeof b !== 'object' || b === null || !Array.isArray(b.ids)) {
    return badRequest('Invalid request payload. Refer to the REST API documentation and try again.');
  }
  const ids = (b.ids as unknown[]).map(String);
  if (ids.length > COMMENT_LIST_MAX)
    return badRequest(`The number of comment IDs must not exceed ${COMMENT_LIST_MAX}.`);
  const expand = new Set((req.query.get('expand') ?? '').split(','));
  const rc = renderContext(state, req);
  // Comments that do not exist or that the caller may not see are left out, without an error.
  const visible = [...new Set(ids)]
    .map((id) => state.store.comments.get(id))
    .filter((c): c is JiraComment => c !== undefined && state.access.canSeeComment(req.caller, c))
    .sort((x, y) => Number(x.id) - Number(y.id))
    .map((c) => ({
      ...commentJson(rc, c, { renderedBody: expand.has('renderedBody') }),
      ...(expand.has('properties') ? { properties: [] } : {}),
    }));
  return json(pageBean(req, visible, { startAt: 0, maxResults: COMMENT_LIST_MAX }));
}

/** The attachment if it exists (404 otherwise) and the caller may see its issue (403 otherwise). */
function readableAttachment(state: JiraState, req: SimRequest): JiraAttachment | SimResponse {
  const att = state.store.attachments.get(req.params.id ?? '');
  if (!att) return notFound(`The attachment with id '${req.params.id}' does not exist.`);
  const issue = state.store.issues.get(att.issueId);
  if (!issue || !state.access.canOpenIssue(req.caller, issue)) {
    return forbidden('You do not have permission to view this attachment.');
  }
  return att;
}

function attachmentContent(state: JiraState, req: SimRequest): SimResponse {
  const att = readableAttachment(state, req);
  if (isResponse(att)) return att;
  if (req.query.get('redirect') !== 'false') {
    // Real sites redirect to the media service with a short-lived token in the URL; the simulator redirects
    // to the same operation with redirect=false on the host the client used, so no extra route is needed.
    const location = `${req.baseUrl}/rest/api/3/attachment/content/${att.id}?redirect=false`;
    return { status: 303, headers: { location } };
  }
  const bytes = attachmentBytes(att.kind, att.bytesSeed);
  const headers: Record<string, string> = {
    'content-type': att.mimeType,
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(att.filename)}`,
    'accept-ranges': 'bytes',
  };
  const range = headerValue(req, 'range');
  if (range !== undefined) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (!m || (m[1] === '' && m[2] === '')) return jiraError(400, ['The Range header is not valid.']);
    let start: number;
    let end: number;
    if (m[1] === '') {
      start = Math.max(0, bytes.length - Number(m[2]));
      end = bytes.length - 1;
    } else {
      start = Number(m[1]);
      end = m[2] === '' ? bytes.length - 1 : Math.min(Number(m[2]), bytes.length - 1);
    }
    if (start >= bytes.length || start > end) {
      return { status: 416, headers: { 'content-range': `bytes */${bytes.length}` } };
    }
    return {
      status: 206,
      headers: { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}` },
      raw: bytes.subarray(start, end + 1),
    };
  }
  return { status: 200, headers, raw: bytes };
}

function headerValue(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function registerCommentRoutes(routes: RouteTable, state: JiraState): void {
  routes.get('/rest/api/3/issue/:issueIdOrKey/comment', (req) => issueComments(state, req));
  routes.post('/rest/api/3/comment/list', (req) => commentsById(state, req));
  routes.get('/rest/api/3/issue/:issueIdOrKey/comment/:id', (req) => {
    const issue = state.store.findIssue(req.params.issueIdOrKey ?? '');
    const comment = state.store.comments.get(req.params.id ?? '');
    // Missing, on another issue, or not visible: all look the same to the caller.
    if (
      !issue ||
      !comment ||
      comment.issueId !== issue.id ||
      !state.access.canSeeComment(req.caller, comment)
    ) {
      return notFound('Can not find a comment for the id: ' + (req.params.id ?? '') + '.');
    }
    const rendered = (req.query.get('expand') ?? '').split(',').includes('renderedBody');
    return json(commentJson(renderContext(state, req), comment, { renderedBody: rendered }));
  });
  routes.get('/rest/api/3/attachment/:id', (req) => {
    const att = readableAttachment(state, req);
    return isResponse(att) ? att : json(attachmentMetadataJson(renderContext(state, req), att));
  });
  routes.get('/rest/api/3/attachment/content/:id', (req) => attachmentContent(state, req));
}
