/**
 * Text layer: pure conversions from Atlassian content to plain text for search.
 *
 * - `storageToText(xhtml, { mentionName })`: Confluence storage format (pages, blog posts, comments).
 * - `adfToText(doc, { mentionName })`: Atlassian Document Format (Jira descriptions and comments).
 * - `matchesMediaType(type, patterns, fileName)`: whether an attachment's type is configured for extraction,
 *   asked before downloading.
 * - `extractAttachmentText(bytes, { mediaType, fileName, maxChars, timeoutMs })`: text of an
 *   attachment (plain text, HTML, PDF, DOCX, PPTX, XLSX); never throws, returns `{ text }` or
 *   `{ error }` (`unsupported media type` | `encrypted` | `timeout` | `corrupt: …`).
 *
 * Both converters render the same way: blocks on their own lines with at most one blank line
 * between them, `- ` bullets and `N. ` numbers indented two spaces per level, table rows on one
 * line with cells joined by ` | `, code verbatim, mentions as `@Display Name` (or `@accountId`).
 */
export { adfToText, type AdfToTextOptions } from './adf-to-text';
export { extractAttachmentText, type AttachmentText, type ExtractAttachmentOptions } from './attachment-text';
export { effectiveMediaType, matchesMediaType, normalizeMediaType } from './media-types';
export { storageToText, type StorageToTextOptions } from './storage-to-text';
