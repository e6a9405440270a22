// jira_attachments: attachment metadata comes with the issue (`fields=attachment`), so the pass of
// project-reader.ts needs no request per issue. Text is extracted (when enabled and the media type is
// listed) from GET /rest/api/3/attachment/content/{id}?redirect=false, after checking the size from the
// metadata; any failure ends up in `extraction_error`, never as a failed sync.
import type { StreamDeps } from '../atlassian/site';
import type { Stream } from '../cdk/stream';
import type { JiraAttachmentsRecord } from '../generated/records/jira_attachments';
import { extractAttachmentText, matchesMediaType } from '../text';
import type { IssueBean, JiraAttachmentBean } from './issue-fields';
import { jiraTimeToIso, jiraTimeToMillis } from './jira-time';
import { issueStream } from './project-reader';
import type { ReaderContext, SiteInfo } from './reader-context';
import { statusOf } from './util';

const DOWNLOAD_TIMEOUT_MS = 60_000;

export function toAttachmentRecord(
  a: JiraAttachmentBean,
  issue: IssueBean,
  site: SiteInfo,
  text: { text?: string | null; error?: string | null; truncated?: boolean } = {},
): JiraAttachmentsRecord {
  const created = jiraTimeToIso(a.created);
  return {
    id: a.id,
    issue_id: issue.id,
    issue_key: issue.key ?? null,
    project_id: issue.fields?.project?.id ?? null,
    project_key: issue.fields?.project?.key ?? null,
    filename: a.filename ?? null,
    media_type: a.mimeType ?? null,
    size: typeof a.size === 'number' ? a.size : null,
    author_account_id: a.author?.accountId ?? null,
    download_path: `/rest/api/3/attachment/content/${a.id}`,
    text: text.text ?? null,
    text_truncated: text.text ? (text.truncated ?? false) : null,
    extraction_error: text.error ?? null,
    created_at: created,
    updated_at: created,
    url: `${site.siteUrl}/secure/attachment/${a.id}/${encodeURIComponent(a.filename ?? a.id)}`,
    cloud_id: site.cloudId,
  };
}

/** The attachment's text per config.attachments, or why there is none; `{}` when extraction is off. */
export async function attachmentText(
  a: JiraAttachmentBean,
  ctx: Pick<ReaderContext, 'client' | 'config' | 'signal'>,
): Promise<{ text?: string | null; error?: string | null; truncated?: boolean }> {
  const settings = ctx.config.attachments ?? {};
  if (settings.extract_text === false) return {};
  const mediaType = a.mimeType ?? 'application/octet-stream';
  if (!matchesMediaType(mediaType, settings.media_types ?? [], a.filename)) return {};
  const maxBytes = Math.floor((settings.max_size_mb ?? 20) * 1024 * 1024);
  if (typeof a.size === 'number' && a.size > maxBytes) {
    return { error: `too large: ${a.size} bytes, limit ${maxBytes} (config attachments.max_size_mb)` };
  }
  try {
    const bytes = await ctx.client.download(`/rest/api/3/attachment/content/${a.id}?redirect=false`, {
      maxBytes,
      timeoutMs: DOWNLOAD_TIMEOUT_MS,
      signal: ctx.signal,
    });
    if (bytes === null)
      return { error: `too large: over ${maxBytes} bytes (config attachments.max_size_mb)` };
    const result = await extractAttachmentText(bytes, { mediaType, fileName: a.filename ?? a.id });
    return { text: result.text ?? null, error: result.error ?? null, truncated: result.truncated ?? false };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const status = statusOf(error);
    return {
      error: `download failed${status ? ` (HTTP ${status})` : ''}: ${(error as Error).message}`.slice(0, 500),
    };
  }
}

export function attachmentsStream(deps: StreamDeps): Stream {
  return issueStream<JiraAttachmentBean>(deps, {
    name: 'jira_attachments',
    kind: 'children',
    fields: ['attachment', 'updated', 'project'],
    children: async (issue) => issue.fields?.attachment ?? [],
    timeOf: (a) => jiraTimeToMillis(a.created),
    createdOf: (a) => jiraTimeToMillis(a.created),
    toRecord: async (a, issue, ctx) => toAttachmentRecord(a, issue, ctx.site, await attachmentText(a, ctx)),
  });
}
