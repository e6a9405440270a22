/**
 * Media-type matching for the `attachments.media_types` config: streams ask it before
 * downloading, so files whose text we would not extract are never fetched.
 *
 * Patterns are exact types (`application/pdf`) or prefixes ending in `*` (`text/*`,
 * `application/vnd.openxmlformats-officedocument.*`). Parameters (`; charset=utf-8`), case and
 * surrounding whitespace in the attachment's media type are ignored, as HTTP says they should be.
 */
export function normalizeMediaType(mediaType: string | undefined | null): string {
  if (typeof mediaType !== 'string') return '';
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Types that say nothing about the content (browsers upload unknown files this way). */
const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

/** For files uploaded with a generic type: the type their extension stands for. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  html: 'text/html',
  htm: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * The media type to act on: the reported one, or, when that is generic
 * (`application/octet-stream`), the one the file name's extension implies.
 */
export function effectiveMediaType(mediaType: string | undefined | null, fileName?: string | null): string {
  const type = normalizeMediaType(mediaType);
  if (!GENERIC_TYPES.has(type)) return type;
  const ext = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  return (ext && BY_EXTENSION[ext]) || type;
}

/**
 * Whether an attachment of this type is configured for extraction. Pass the file name too, so a
 * PDF uploaded as `application/octet-stream` still counts as a PDF.
 */
export function matchesMediaType(
  mediaType: string | undefined | null,
  patterns: readonly string[],
  fileName?: string | null,
): boolean {
  const type = effectiveMediaType(mediaType, fileName);
  if (type === '') return false;
  return patterns.some((raw) => {
    const pattern = raw.trim().toLowerCase();
    if (pattern === '*' || pattern === '*/*') return true;
    if (pattern.endsWith('*')) return type.startsWith(pattern.slice(0, -1));
    return type === pattern;
  });
}
