// Real, small files for attachments, derived from the attachment id: text, Markdown, a valid PDF with a text
// object, a valid DOCX (a zip written here with node:zlib) and a valid PNG. Extraction code must read them.
import { crc32, deflateSync } from 'node:zlib';
import { docxDocument, pdfDocument } from '../core/documents';
import type { AttachmentKind } from './model';

export const MEDIA_TYPES: Record<
  AttachmentKind,
  { mediaType: string; extension: string; description: string }
> = {
  text: { mediaType: 'text/plain', extension: 'txt', description: 'Text File' },
  markdown: { mediaType: 'text/markdown', extension: 'md', description: 'Markdown File' },
  pdf: { mediaType: 'application/pdf', extension: 'pdf', description: 'PDF Document' },
  docx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
    description: 'Microsoft Word Document',
  },
  png: { mediaType: 'image/png', extension: 'png', description: 'Image' },
};

/** The text each document carries, so tests can check what extraction should find. */
export function attachmentText(id: string, title: string): string {
  return `Attachment ${id} (${title}): quarterly report — revenue grew 12% in Zürich & Köln.`;
}

export function attachmentBytes(kind: AttachmentKind, id: string, title: string): Buffer {
  const text = attachmentText(id, title);
  switch (kind) {
    case 'text':
      return Buffer.from(`${text}\nSecond line of the plain-text file.\n`, 'utf8');
    case 'markdown':
      return Buffer.from(`# ${title}\n\n${text}\n\n- item one\n- item two\n`, 'utf8');
    case 'pdf':
      return pdfDocument([text]);
    case 'docx':
      return docxDocument([text, 'Second paragraph of the document.']);
    case 'png':
      return png(id);
  }
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function png(id: string): Buffer {
  const size = 8;
  const seed = [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) & 0xffffff, 7);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour RGB
  const raw = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    for (let x = 0; x < size; x++) {
      raw[row + 1 + x * 3] = (seed >> 16) & 0xff;
      raw[row + 2 + x * 3] = ((seed >> 8) + x * 16) & 0xff;
      raw[row + 3 + x * 3] = (seed + y * 16) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
