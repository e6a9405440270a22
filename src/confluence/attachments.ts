// confluence_attachments: files attached to pages and blog posts, per space, with text extracted when the
// config asks for it. Size is checked from metadata BEFORE downloading, the download is capped too, and
// any failure lands in `extraction_error` on the record instead of failing the sync.
import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';
import type { ConfluenceAttachmentsRecord } from '../generated/records/confluence_attachments';
import { extractAttachmentText, matchesMediaType } from '../text';
import { contentStream, type ReadEnv, type V1Content } from './content-reader';
import { EXPAND, commonFields } from './content-fields';
import type { SpaceV2 } from './spaces';

interface AttachmentExtensions {
  mediaType?: string;
  fileSize?: number;
}

const DEFAULT_MEDIA_TYPES = ['text/*', 'application/pdf', 'application/vnd.openxmlformats-officedocument.*'];
/** Download plus parse budget per file. */
const TIME_BUDGET_MS = 60_000;

export function toAttachmentRecord(
  item: V1Content,
  space: SpaceV2,
  env: ReadEnv,
): ConfluenceAttachmentsRecord {
  const ext = (item.extensions ?? {}) as AttachmentExtensions;
  const { body_text: _text, body_storage: _storage, ...fields } = commonFields(item, space, env);
  const containerId = item.container?.id !== undefined ? String(item.container.id) : null;
  return {
    ...fields,
    container_id: containerId,
    container_type: item.container?.type ?? null,
    file_name: item.title ?? null,
    media_type: ext.mediaType ?? null,
    size: typeof ext.fileSize === 'number' ? ext.fileSize : null,
    // The documented v1 download route (302 to the bytes), relative to the Confluence API base.
    download_path: containerId
      ? `/wiki/rest/api/content/${containerId}/child/attachment/${item.id}/download`
      : null,
    text: null,
    text_truncated: null,
    extraction_error: null,
  };
}

/** What to do about text for one attachment: extract, or skip with a reason (null = not wanted). */
export function extractionPlan(
  record: ConfluenceAttachmentsRecord,
  options: { enabled: boolean; mediaTypes: string[]; maxBytes: number },
): { extract: true } | { extract: false; error: string | null } {
  if (!options.enabled || !record.download_path) return { extract: false, error: null };
  if (!matchesMediaType(record.media_type, options.mediaTypes, record.file_name))
    return { extract: false, error: null };
  if (record.size !== null && record.size !== undefined && record.size > options.maxBytes) {
    return { extract: false, error: `too large: ${record.size} bytes exceeds attachments.max_size_mb` };
  }
  return { extract: true };
}

async function withText(
  record: ConfluenceAttachmentsRecord,
  env: ReadEnv,
): Promise<ConfluenceAttachmentsRecord> {
  const a = env.deps.config.attachments ?? {};
  const maxBytes = (a.max_size_mb ?? 20) * 1024 * 1024;
  const plan = extractionPlan(record, {
    enabled: a.extract_text ?? true,
    mediaTypes: a.media_types ?? DEFAULT_MEDIA_TYPES,
    maxBytes,
  });
  if (!plan.extract) return { ...record, extraction_error: plan.error };
  const started = Date.now();
  try {
    const bytes = await env.site.confluence.download(record.download_path!, {
      maxBytes,
      timeoutMs: TIME_BUDGET_MS,
      signal: env.signal,
    });
    if (!bytes)
      return { ...record, extraction_error: 'too large: download exceeded attachments.max_size_mb' };
    const result = await extractAttachmentText(bytes, {
      mediaType: record.media_type ?? '',
      fileName: record.file_name ?? '',
      timeoutMs: Math.max(1_000, TIME_BUDGET_MS - (Date.now() - started)),
    });
    return {
      ...record,
      text: result.text ?? null,
      text_truncated: result.text ? (result.truncated ?? false) : null,
      extraction_error: result.error ?? null,
    };
  } catch (error) {
    if (env.signal.aborted) throw error;
    env.logger.warn(
      `Attachment ${record.id} (${record.file_name}): text not extracted: ${(error as Error).message}`,
    );
    return { ...record, extraction_error: `download failed: ${(error as Error).message}` };
  }
}

export function attachmentsStream(deps: StreamDeps): Stream {
  return contentStream(deps, {
    name: 'confluence_attachments',
    type: 'attachment',
    expand: EXPAND.attachment,
    map: async (item, space, env) => ({ ...(await withText(toAttachmentRecord(item, space, env), env)) }),
  });
}
