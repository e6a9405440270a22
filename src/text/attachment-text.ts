/**
 * Attachment bytes -> searchable text, for Confluence and Jira attachments.
 *
 * Never throws: a file that cannot be read yields `{ error }` so the stream still emits the
 * attachment record (with its extraction error) and the sync goes on. Errors are stable strings:
 * `unsupported media type`, `encrypted`, `timeout`, `corrupt: <reason>`.
 *
 * The parsers are synchronous; `timeoutMs` is enforced cooperatively between units of work and
 * the event loop gets a turn every few tens of milliseconds (see Deadline).
 */
import { Deadline, ExtractionTimeout } from './deadline';
import { CorruptFileError, EncryptedFileError } from './extraction-errors';
import { effectiveMediaType } from './media-types';
import { extractOoxmlText } from './ooxml-text';
import { extractPdfText } from './pdf-text';
import { storageToText } from './storage-to-text';
import { decodeText } from './text-decode';
import { DEFAULT_MAX_CHARS } from './text-writer';

export interface ExtractAttachmentOptions {
  /** The media type Atlassian reports for the attachment. */
  mediaType: string;
  /** Used when the media type is generic (`application/octet-stream`). */
  fileName: string;
  /** Longest text returned (default 1,000,000 characters); `truncated` says when it was cut. */
  maxChars?: number;
  /** Time budget for parsing (default 30 s). */
  timeoutMs?: number;
}

export interface AttachmentText {
  text?: string;
  error?: string;
  truncated?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;

type Kind = 'text' | 'html' | 'pdf' | 'docx' | 'pptx' | 'xlsx';

const BY_MEDIA_TYPE: Readonly<Record<string, Kind>> = {
  'application/pdf': 'pdf',
  'application/x-pdf': 'pdf',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/json': 'text',
  'application/xml': 'text',
  'application/x-yaml': 'text',
  'application/yaml': 'text',
  'application/javascript': 'text',
  'application/x-sh': 'text',
  'application/sql': 'text',
  'application/csv': 'text',
  'application/x-ndjson': 'text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-word.document.macroenabled.12': 'docx',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.template': 'docx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.ms-powerpoint.presentation.macroenabled.12': 'pptx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-excel.sheet.macroenabled.12': 'xlsx',
};

function kindOf(mediaType: string | undefined, fileName: string | undefined): Kind | undefined {
  const type = effectiveMediaType(mediaType, fileName);
  const known = BY_MEDIA_TYPE[type];
  if (known) return known;
  // Structured-syntax suffixes (RFC 6839): application/ld+json, application/atom+xml.
  if (type.startsWith('text/') || /^application\/[\w.+-]+\+(json|xml)$/.test(type)) return 'text';
  return undefined;
}

export async function extractAttachmentText(
  bytes: Buffer,
  options: ExtractAttachmentOptions,
): Promise<AttachmentText> {
  try {
    const kind = kindOf(options?.mediaType, options?.fileName);
    if (!kind) return { error: 'unsupported media type' };
    const maxChars = Math.max(options.maxChars ?? DEFAULT_MAX_CHARS, 0);
    const deadline = new Deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let text: string;
    switch (kind) {
      case 'text':
        // Kept as is (no whitespace folding): CSV, JSON and code depend on their layout.
        text = decodeText(data);
        if (looksBinary(text)) throw new CorruptFileError('binary content in a text file');
        break;
      case 'html':
        text = storageToText(decodeText(data), { maxChars: maxChars + 1 });
        break;
      case 'pdf':
        text = await extractPdfText(data, maxChars + 1, deadline);
        break;
      default:
        text = await extractOoxmlText(data, kind, maxChars + 1, deadline);
    }
    // NUL is never text, and warehouses refuse it (PostgreSQL text and jsonb reject \u0000).
    text = text.replaceAll('\u0000', '');
    // Limits are asked for one character more than allowed, so a cut is detectable here.
    if (text.length > maxChars) return { text: cutAtCodePoint(text, maxChars), truncated: true };
    return { text };
  } catch (err) {
    return { error: errorCode(err) };
  }
}

function errorCode(err: unknown): string {
  if (err instanceof EncryptedFileError) return 'encrypted';
  if (err instanceof ExtractionTimeout) return 'timeout';
  if (err instanceof CorruptFileError) return `corrupt: ${err.message}`;
  // Anything else is a file our parsers could not make sense of (a bug shows up here too,
  // but failing one file is better than failing the sync).
  return `corrupt: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
}

/** A file labelled as text whose start is mostly control characters (an executable, an image). */
function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  // eslint-disable-next-line no-control-regex -- counting control characters is the point
  const controls = head.match(/[\x00-\x08\x0e-\x1f]/g)?.length ?? 0;
  return head.length > 0 && controls / head.length > 0.1;
}

/** Cut without splitting a surrogate pair (an emoji must not become a lone half). */
function cutAtCodePoint(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
