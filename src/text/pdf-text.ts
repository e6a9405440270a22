/**
 * Text of a PDF, for search: a small extractor for the common case, written here because the
 * maintained PDF libraries (pdfjs-dist and its wrappers pdf-parse / unpdf) load pdf.js as an
 * ES module through dynamic `import()`, which jest's CommonJS runtime cannot execute, and weigh
 * tens of MB plus a native canvas module we would never use.
 *
 * What it reads (ISO 32000-1):
 * - the file's objects, streams and page tree (pdf-document.ts), decrypting files that open
 *   without a password (pdf-crypt.ts);
 * - pages in document order with inherited `/Resources`, their content streams and form XObjects;
 * - text operators Tj, TJ, ', " with positioning (Td, TD, Tm, T*, cm) to place line breaks and
 *   word spaces; literal and hex strings;
 * - fonts (pdf-fonts.ts): ToUnicode CMaps, simple-font encodings, widths for spacing.
 *
 * Encrypted files that need a password are reported as encrypted.
 *
 * Limits: RunLength streams, PNG predictors on content streams, Type 3 glyph procedures
 * and CID fonts without a ToUnicode map yield no text; no layout analysis beyond line and word
 * breaks (multi-column text comes out in content order, which is usually reading order).
 */
import type { Deadline } from './deadline';
import { CorruptFileError, EncryptedFileError } from './extraction-errors';
import { PdfDocument, nameOf, num } from './pdf-document';
import { fontOf, type Font } from './pdf-fonts';
import { PdfKeyword, PdfLexer, latin1, type PdfDict, type PdfValue } from './pdf-lexer';

/** A horizontal gap wider than this fraction of the font size reads as a word space. */
const WORD_GAP = 0.15;
/** Nesting of form XObjects followed (forms drawing forms). */
const MAX_FORM_DEPTH = 8;

type Matrix = [number, number, number, number, number, number];

export async function extractPdfText(
  bytes: Uint8Array,
  maxChars: number,
  deadline: Deadline,
): Promise<string> {
  const head = latin1(bytes, 0, Math.min(bytes.length, 1024));
  if (!head.includes('%PDF-')) throw new CorruptFileError('not a PDF (no %PDF- header)');
  const doc = new PdfDocument(bytes, deadline);
  if (doc.encrypted) throw new EncryptedFileError();
  const pages = doc.pages();
  if (pages.length === 0) throw new CorruptFileError('no pages found');
  const out = new PageText(maxChars);
  // Fonts (and their ToUnicode CMaps) are shared by many pages: parse each once.
  const fonts = new Map<PdfDict, Font>();
  for (const page of pages) {
    await deadline.breathe();
    new ContentReader(doc, out, fonts, deadline).page(page);
    out.endPage();
    if (out.full) break;
  }
  return out.toString();
}

/** Collects shown strings into lines; decides line breaks and word spaces from positions. */
class PageText {
  private readonly lines: string[] = [];
  private line = '';
  private size = 0;
  private last: { x: number; y: number; endX: number; fontSize: number } | undefined;
  full = false;

  constructor(private readonly maxChars: number) {}

  show(text: string, x: number, y: number, endX: number, fontSize: number): void {
    if (this.full || text.length === 0) return;
    const size = Math.max(Math.abs(fontSize), 1);
    const prev = this.last;
    if (prev) {
      // A small step back is normal (trailing character spacing, kerning); a large one is a jump
      // to another column or a repositioned word, and separates like a gap does.
      const gap = x - prev.endX;
      if (Math.abs(y - prev.y) > Math.min(size, prev.fontSize) * 0.5) this.newLine();
      else if ((gap > size * WORD_GAP || gap < -size) && !this.line.endsWith(' ') && !text.startsWith(' ')) {
        this.line += ' ';
      }
    }
    this.line += text;
    this.last = { x, y, endX, fontSize: size };
    if (this.size + this.line.length > this.maxChars) this.full = true;
  }

  endPage(): void {
    this.newLine();
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
    this.last = undefined;
  }

  private newLine(): void {
    // Control characters come from glyphs without a text meaning (symbol fonts, bad CMaps).
    const clean = this.line
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\x00-\x08\x0e-\x1f\x7f]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (clean) {
      this.lines.push(clean);
      this.size += clean.length + 1;
    }
    this.line = '';
  }

  toString(): string {
    this.newLine();
    return this.lines.join('\n').trim().slice(0, this.maxChars);
  }
}

class ContentReader {
  private ops = 0;

  constructor(
    private readonly doc: PdfDocument,
    private readonly out: PageText,
    private readonly fonts: Map<PdfDict, Font>,
    private readonly deadline: Deadline,
  ) {}

  page(page: PdfDict): void {
    const contents = this.doc.resolve(page.get('Contents'));
    const parts = Array.isArray(contents) ? contents : [page.get('Contents')];
    const chunks: Uint8Array[] = [];
    for (const part of parts) {
      const s = this.doc.streamOf(part);
      if (s) chunks.push(s.data, Uint8Array.of(0x0a));
    }
    // Operators may span the streams of one page (§7.8.2): read them as one.
    this.run(Buffer.concat(chunks), this.doc.resourcesOf(page), [1, 0, 0, 1, 0, 0], 0, new Set());
  }

  private run(
    data: Uint8Array,
    resources: PdfDict | undefined,
    ctm0: Matrix,
    depth: number,
    forms: Set<PdfDict>,
  ): void {
    const fontDict = this.doc.dict(resources?.get('Font'));
    const xobjects = this.doc.dict(resources?.get('XObject'));
    const lexer = new PdfLexer(data);
    const operands: PdfValue[] = [];
    const gstack: Matrix[] = [];
    let ctm: Matrix = ctm0;
    let tm: Matrix = [1, 0, 0, 1, 0, 0];
    let tlm: Matrix = tm;
    let font: Font | undefined;
    let fontSize = 0;
    let leading = 0;
    let charSpacing = 0;
    let wordSpacing = 0;
    let hScale = 1;

    const show = (bytes: Uint8Array): void => {
      if (!font) return;
      const m = multiply(tm, ctm);
      const scale = Math.hypot(m[2], m[3]) || 1;
      let text = '';
      let advance = 0;
      const step = font.codeBytes;
      // Character spacing wide enough to be a word gap separates every glyph: Ghostscript writes
      // "A groff" as `2.5 Tc (Ag) Tj` at 10 pt.
      const spaced = charSpacing > Math.abs(fontSize) * WORD_GAP;
      for (let i = 0; i + step <= bytes.length; i += step) {
        const code = step === 2 ? (bytes[i]! << 8) | bytes[i + 1]! : bytes[i]!;
        const glyph = font.toUnicode?.get(code) ?? (font.encoding ? font.encoding(code) : '');
        if (spaced && text && !text.endsWith(' ') && !glyph.startsWith(' ')) text += ' ';
        text += glyph;
        advance +=
          (font.width(code) / 1000) * fontSize + charSpacing + (step === 1 && code === 32 ? wordSpacing : 0);
      }
      tm = multiply([1, 0, 0, 1, advance * hScale, 0], tm);
      const end = multiply(tm, ctm);
      this.out.show(text, m[4], m[5], end[4], fontSize * scale);
    };
    const moveText = (tx: number, ty: number): void => {
      tlm = multiply([1, 0, 0, 1, tx, ty], tlm);
      tm = tlm;
    };

    for (let v = lexer.read(); v !== undefined && !this.out.full; v = lexer.read()) {
      if (!(v instanceof PdfKeyword)) {
        if (operands.length < 64) operands.push(v);
        continue;
      }
      if (++this.ops % 5000 === 0) this.deadline.check();
      const n = (i: number): number => num(operands[i]) ?? 0;
      switch (v.word) {
        case 'BT':
          tm = tlm = [1, 0, 0, 1, 0, 0];
          break;
        case 'Tf':
          font = fontOf(this.doc, fontDict?.get(nameOf(operands[0]) ?? ''), this.fonts);
          fontSize = n(1);
          break;
        case 'Td':
          moveText(n(0), n(1));
          break;
        case 'TD':
          leading = -n(1);
          moveText(n(0), n(1));
          break;
        case 'Tm':
          tm = tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
          break;
        case 'T*':
          moveText(0, -leading);
          break;
        case 'TL':
          leading = n(0);
          break;
        case 'Tc':
          charSpacing = n(0);
          break;
        case 'Tw':
          wordSpacing = n(0);
          break;
        case 'Tz':
          hScale = n(0) / 100;
          break;
        case 'Tj':
          if (operands[0] instanceof Uint8Array) show(operands[0]);
          break;
        case "'":
          moveText(0, -leading);
          if (operands[0] instanceof Uint8Array) show(operands[0]);
          break;
        case '"':
          wordSpacing = n(0);
          charSpacing = n(1);
          moveText(0, -leading);
          if (operands[2] instanceof Uint8Array) show(operands[2]);
          break;
        case 'TJ': {
          const items = operands[0];
          if (!Array.isArray(items)) break;
          for (const item of items) {
            if (item instanceof Uint8Array) show(item);
            else if (typeof item === 'number')
              tm = multiply([1, 0, 0, 1, (-item / 1000) * fontSize * hScale, 0], tm);
          }
          break;
        }
        case 'q':
          if (gstack.length < 256) gstack.push(ctm);
          break;
        case 'Q':
          ctm = gstack.pop() ?? ctm;
          break;
        case 'cm':
          ctm = multiply([n(0), n(1), n(2), n(3), n(4), n(5)], ctm);
          break;
        case 'Do':
          this.form(xobjects?.get(nameOf(operands[0]) ?? ''), resources, ctm, depth, forms);
          break;
        case 'ID':
          lexer.skipInlineImage();
          break;
      }
      operands.length = 0;
    }
  }

  /** Form XObjects carry their own content (and often all of a page's text, e.g. in stamps). */
  private form(
    ref: PdfValue | undefined,
    parentResources: PdfDict | undefined,
    ctm: Matrix,
    depth: number,
    forms: Set<PdfDict>,
  ): void {
    if (depth >= MAX_FORM_DEPTH) return;
    const s = this.doc.streamOf(ref);
    if (!s || nameOf(s.dict.get('Subtype')) !== 'Form' || forms.has(s.dict)) return;
    const matrix = this.doc.resolve(s.dict.get('Matrix'));
    const m: Matrix =
      Array.isArray(matrix) && matrix.length === 6
        ? (matrix.map((x) => num(x) ?? 0) as Matrix)
        : [1, 0, 0, 1, 0, 0];
    forms.add(s.dict);
    this.run(
      s.data,
      this.doc.dict(s.dict.get('Resources')) ?? parentResources,
      multiply(m, ctm),
      depth + 1,
      forms,
    );
    forms.delete(s.dict);
  }
}

function multiply(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[1] * b[2],
    a[0] * b[1] + a[1] * b[3],
    a[2] * b[0] + a[3] * b[2],
    a[2] * b[1] + a[3] * b[3],
    a[4] * b[0] + a[5] * b[2] + b[4],
    a[4] * b[1] + a[5] * b[3] + b[5],
  ];
}
