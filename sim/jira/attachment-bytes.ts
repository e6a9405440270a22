// Real, small attachment files (plain text, PDF, DOCX), derived from a seed so nothing is stored: text
// extraction in the connector must work on them exactly as on files from a real site.
import type { AttachmentKind } from './model';
import { createRng } from '../core/rng';
import { docxDocument, pdfDocument } from '../core/documents';

const LINES = [
  'Steps to reproduce: open the dashboard and apply the filter.',
  'Expected: the report lists every invoice for the quarter.',
  'Observed: the export stops after the first page.',
  'Log excerpt: retrying request after 429 Too Many Requests.',
  'Unicode check: Zürich, 東京, naïve café, “quotes”.',
];

/** The document text every format carries (what a text extractor should find). */
export function attachmentText(seed: number): string {
  const r = createRng(seed);
  const n = r.int(2, 5);
  const out: string[] = [`Attachment ${seed.toString(16)}`];
  for (let i = 0; i < n; i++) out.push(r.pick(LINES));
  return out.join('\n');
}

export function attachmentBytes(kind: AttachmentKind, seed: number): Buffer {
  const body = attachmentText(seed);
  if (kind === 'pdf') return pdfDocument(body.split('\n'));
  if (kind === 'docx') return docxDocument(body.split('\n'));
  return Buffer.from(body + '\n', 'utf8');
}

export const MIME_TYPES: Record<AttachmentKind, string> = {
  text: 'text/plain',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export const EXTENSIONS: Record<AttachmentKind, string> = { text: 'txt', pdf: 'pdf', docx: 'docx' };
