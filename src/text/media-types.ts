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

export function matchesMediaType(mediaType: string | undefined | null, patterns: readonly string[]): boolean {
  const type = normalizeMediaType(mediaType);
  if (type === '') return false;
  return patterns.some((raw) => {
    const pattern = raw.trim().toLowerCase();
    if (pattern === '*' || pattern === '*/*') return true;
    if (pattern.endsWith('*')) return type.startsWith(pattern.slice(0, -1));
    return type === pattern;
  });
}
