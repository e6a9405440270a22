/**
 * Text of a PDF, for search: a small extractor for the common case, written here because the
 * maintained PDF libraries (pdfjs-dist and its wrappers pdf-parse / unpdf) load pdf.js as an
 * ES module through dynamic `import()`, which jest's CommonJS runtime cannot execute, and weigh
 * tens of MB plus a native canvas module we would never use.
 *
 * What it reads (ISO 32000-1):
 * - objects found by scanning for `N G obj` (tolerates broken xref tables and incremental
 *   updates: the last definition wins) plus objects packed in object streams (`/ObjStm`);
 * - pages in document order from the catalog's page tree, inherited `/Resources`;
 * - content streams and form XObjects, filters FlateDecode (also truncated), ASCIIHexDecode,
 *   ASCII85Decode;
 * - text operators Tj, TJ, ', " with positioning (Td, TD, Tm, T*, cm) to place line breaks and
 *   word spaces; literal and hex strings;
 * - fonts: `/ToUnicode` CMaps (bfchar, bfrange), simple-font encodings (WinAnsi, MacRoman,
 *   `/Differences` with common glyph names), `/Widths` and CID `/W` widths for spacing.
 *
 * Encrypted files that open without a password (owner-password-only restrictions) are decrypted
 * (pdf-crypt.ts); those that need a password are reported as encrypted.
 *
 * Limits: LZW/RunLength streams, PNG predictors on
 * content streams, Type 3 glyph procedures and CID fonts without a ToUnicode map yield no text;
 * no layout analysis beyond line/word breaks (multi-column text comes out in content order).
 */
import { inflateSync, constants as zlibConstants } from 'node:zlib';
import type { Deadline } from './deadline';
import { emptyPasswordDecryptor, type StreamDecryptor } from './pdf-crypt';
import { PdfKeyword, PdfLexer, PdfName, PdfRef, latin1, type PdfDict, type PdfValue } from './pdf-lexer';
import { CorruptFileError, EncryptedFileError } from './extraction-errors';

/** Largest decoded stream; a Flate bomb fails this stream only. */
const MAX_STREAM_BYTES = 64 * 1024 * 1024;
/** A horizontal gap wider than this fraction of the font size reads as a word space. */
const WORD_GAP = 0.15;
/** Nesting of form XObjects followed (forms drawing forms). */
const MAX_FORM_DEPTH = 8;

interface PdfObject {
  value: PdfValue;
  /** Byte range of the raw stream data, when the object is a stream. */
  stream?: { start: number; end: number };
  /** Object number and generation: encrypted files derive each stream's key from them. */
  num: number;
  gen: number;
}

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

class PdfDocument {
  private readonly objects = new Map<number, PdfObject>();
  private root: PdfRef | undefined;
  private crypt: StreamDecryptor | undefined;
  /** Encrypted, and not openable without a password (or with an unsupported handler). */
  readonly encrypted: boolean;

  constructor(
    readonly data: Uint8Array,
    private readonly deadline: Deadline,
  ) {
    const text = latin1(data, 0, data.length);
    const objStms = this.scanObjects(text);
    this.encrypted = !this.setUpDecryption(text);
    if (!this.encrypted) this.expandObjectStreams(objStms);
    const roots = [...text.matchAll(/\/Root\s+(\d+)\s+(\d+)\s+R/g)];
    const last = roots[roots.length - 1];
    if (last) this.root = new PdfRef(Number(last[1]), Number(last[2]));
  }

  /**
   * The trailer (or the cross-reference stream's dictionary, which is never encrypted) names the
   * encryption dictionary. Returns false when the file is encrypted and cannot be opened without
   * a password.
   */
  private setUpDecryption(text: string): boolean {
    const encrypt = lastMatch(text, /\/Encrypt\s*(<<|\d+\s+\d+\s+R)/g);
    if (!encrypt) return true;
    const value = new PdfLexer(this.data, encrypt.index + '/Encrypt'.length).read();
    const dict = this.dict(value);
    const idMatch = lastMatch(text, /\/ID\s*\[/g);
    const ids = idMatch ? new PdfLexer(this.data, idMatch.index + 3).read() : undefined;
    const id0 = Array.isArray(ids) && ids[0] instanceof Uint8Array ? ids[0] : new Uint8Array(0);
    this.crypt = dict ? emptyPasswordDecryptor(dict, id0, (v) => this.resolve(v)) : undefined;
    return this.crypt !== undefined;
  }

  /** Plain `N G obj` objects; returns the object streams, expanded once decryption is known. */
  private scanObjects(text: string): PdfObject[] {
    const re = /(\d+)\s+(\d+)\s+obj\b/g;
    const objStms: PdfObject[] = [];
    let count = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (++count % 1000 === 0) this.deadline.check();
      // Parse no further than this object's `endobj`: a broken object must not swallow the file.
      const start = m.index + m[0].length;
      const endobj = text.indexOf('endobj', start);
      const lexer = new PdfLexer(this.data, start, endobj >= 0 ? endobj : this.data.length);
      const value = lexer.read();
      if (value === undefined) continue;
      const obj: PdfObject = { value, num: Number(m[1]), gen: Number(m[2]) };
      lexer.skipWhite();
      if (value instanceof Map && text.startsWith('stream', lexer.pos)) {
        obj.stream = this.streamRange(text, value, lexer.pos + 'stream'.length);
        re.lastIndex = obj.stream.end;
        if (nameOf(value.get('Type')) === 'ObjStm') objStms.push(obj);
      }
      this.objects.set(Number(m[1]), obj);
    }
    return objStms;
  }

  /** Objects in object streams (PDF 1.5) fill in numbers not defined as plain objects. */
  private expandObjectStreams(objStms: PdfObject[]): void {
    for (const stm of objStms) {
      this.deadline.check();
      const dict = stm.value as PdfDict;
      const data = this.streamData(stm);
      if (!data) continue;
      const n = num(dict.get('N')) ?? 0;
      const first = num(dict.get('First')) ?? 0;
      const header = new PdfLexer(data);
      const entries: Array<[number, number]> = [];
      for (let i = 0; i < n; i++) {
        const objNum = header.read();
        const offset = header.read();
        if (typeof objNum !== 'number' || typeof offset !== 'number') break;
        entries.push([objNum, offset]);
      }
      for (const [objNum, offset] of entries) {
        if (this.objects.has(objNum)) continue;
        const value = new PdfLexer(data, first + offset).read();
        // Streams cannot live in object streams (§7.5.7), so these are plain values.
        if (value !== undefined) this.objects.set(objNum, { value, num: objNum, gen: 0 });
      }
    }
  }

  private streamRange(text: string, dict: PdfDict, afterKeyword: number): { start: number; end: number } {
    let start = afterKeyword;
    if (text[start] === '\r') start++;
    if (text[start] === '\n') start++;
    const length = this.resolve(dict.get('Length'));
    if (typeof length === 'number' && length >= 0 && start + length <= text.length) {
      const after = text.slice(start + length, start + length + 32);
      if (/^\s*endstream/.test(after)) return { start, end: start + length };
    }
    // Missing or wrong /Length (common in hand-made and damaged files): find the keyword.
    let end = text.indexOf('endstream', start);
    if (end < 0) end = text.length;
    let dataEnd = end;
    if (text[dataEnd - 1] === '\n') dataEnd--;
    if (text[dataEnd - 1] === '\r') dataEnd--;
    return { start, end: Math.max(dataEnd, start) };
  }

  resolve(value: PdfValue | undefined): PdfValue | undefined {
    let v = value;
    for (let hops = 0; v instanceof PdfRef && hops < 32; hops++) v = this.objects.get(v.num)?.value;
    return v instanceof PdfRef ? undefined : v;
  }

  dict(value: PdfValue | undefined): PdfDict | undefined {
    const v = this.resolve(value);
    return v instanceof Map ? v : undefined;
  }

  /** Decoded bytes of a stream given by reference (or undefined if absent / unsupported). */
  streamOf(value: PdfValue | undefined): { dict: PdfDict; data: Uint8Array } | undefined {
    let v = value;
    for (let hops = 0; v instanceof PdfRef && hops < 32; hops++) {
      const obj = this.objects.get(v.num);
      if (obj?.stream) {
        const data = this.streamData(obj);
        return data ? { dict: obj.value as PdfDict, data } : undefined;
      }
      v = obj?.value;
    }
    return undefined;
  }

  private streamData(obj: PdfObject): Uint8Array | undefined {
    if (!obj.stream || !(obj.value instanceof Map)) return undefined;
    let data: Uint8Array = this.data.subarray(obj.stream.start, obj.stream.end);
    // Cross-reference streams are never encrypted (§7.6.2).
    if (this.crypt && nameOf(obj.value.get('Type')) !== 'XRef') {
      try {
        data = this.crypt.stream(data, obj.num, obj.gen);
      } catch {
        return undefined; // a damaged encrypted stream: skip it, keep the rest of the file
      }
    }
    const filter = this.resolve(obj.value.get('Filter'));
    const filters = Array.isArray(filter) ? filter.map((f) => nameOf(this.resolve(f))) : [nameOf(filter)];
    for (const f of filters) {
      if (f === undefined) continue;
      const decoded = decodeFilter(f, data);
      if (!decoded) return undefined;
      data = decoded;
    }
    return data;
  }

  /** Page dictionaries in document order: the catalog's page tree, else every `/Type /Page`. */
  pages(): PdfDict[] {
    const pages: PdfDict[] = [];
    const catalog = this.dict(this.root);
    const seen = new Set<PdfDict>();
    const stack: PdfValue[] = [];
    const top = catalog?.get('Pages');
    if (top !== undefined) stack.push(top);
    while (stack.length > 0) {
      const node = this.dict(stack.pop());
      if (!node || seen.has(node)) continue;
      seen.add(node);
      const kids = this.resolve(node.get('Kids'));
      if (Array.isArray(kids)) {
        for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
      } else if (nameOf(node.get('Type')) === 'Page' || node.has('Contents')) {
        pages.push(node);
      }
    }
    if (pages.length > 0) return pages;
    return [...this.objects.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([, o]) => o.value)
      .filter((v): v is PdfDict => v instanceof Map && nameOf(v.get('Type')) === 'Page');
  }

  /** A page's resources, inherited from the nearest ancestor that has them (§7.7.3.4). */
  resourcesOf(page: PdfDict): PdfDict | undefined {
    let node: PdfDict | undefined = page;
    for (let hops = 0; node && hops < 64; hops++) {
      const res = this.dict(node.get('Resources'));
      if (res) return res;
      node = this.dict(node.get('Parent'));
    }
    return undefined;
  }
}

function lastMatch(text: string, re: RegExp): RegExpExecArray | undefined {
  let last: RegExpExecArray | undefined;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m;
  return last;
}

function decodeFilter(filter: string, data: Uint8Array): Uint8Array | undefined {
  switch (filter) {
    case 'FlateDecode':
    case 'Fl':
      try {
        // Z_SYNC_FLUSH returns what inflated before a truncation instead of failing.
        return inflateSync(data, {
          finishFlush: zlibConstants.Z_SYNC_FLUSH,
          maxOutputLength: MAX_STREAM_BYTES,
        });
      } catch {
        return undefined;
      }
    case 'ASCIIHexDecode':
    case 'AHx':
      return asciiHex(data);
    case 'ASCII85Decode':
    case 'A85':
      return ascii85(data);
    default:
      return undefined;
  }
}

function asciiHex(data: Uint8Array): Uint8Array {
  const hex = latin1(data, 0, data.length)
    .replace(/>.*$/s, '')
    .replace(/[^0-9a-fA-F]/g, '');
  return Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex');
}

function ascii85(data: Uint8Array): Uint8Array {
  const text = latin1(data, 0, data.length).replace(/^<~/, '').replace(/~>.*$/s, '').replace(/\s/g, '');
  const out: number[] = [];
  let group: number[] = [];
  const flush = (len: number): void => {
    while (group.length < 5) group.push(84);
    let v = 0;
    for (const g of group) v = v * 85 + g;
    const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    out.push(...bytes.slice(0, len));
    group = [];
  };
  for (const ch of text) {
    if (ch === 'z' && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    const c = ch.charCodeAt(0) - 33;
    if (c < 0 || c > 84) continue;
    group.push(c);
    if (group.length === 5) flush(4);
  }
  if (group.length > 1) flush(group.length - 1);
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// Fonts

interface Font {
  /** Bytes per character code: 2 for composite (Type0) fonts with Identity-like CMaps. */
  codeBytes: 1 | 2;
  toUnicode?: Map<number, string>;
  /** Simple fonts: code -> text from the encoding (and its /Differences). */
  encoding?: (code: number) => string;
  width: (code: number) => number;
}

/** Code -> text tables of the two base encodings simple fonts use; control codes map to ''. */
function codeTable(encoding: string): readonly string[] {
  const decoder = new TextDecoder(encoding);
  return Array.from({ length: 256 }, (_, code) =>
    code < 32 || code === 127 ? '' : decoder.decode(Uint8Array.of(code)),
  );
}
const WIN_ANSI = codeTable('windows-1252');
const MAC_ROMAN = codeTable('macintosh');

function fontOf(
  doc: PdfDocument,
  fontRef: PdfValue | undefined,
  cache: Map<PdfDict, Font>,
): Font | undefined {
  const dict = doc.dict(fontRef);
  if (!dict) return undefined;
  const cached = cache.get(dict);
  if (cached) return cached;
  const composite = nameOf(dict.get('Subtype')) === 'Type0';
  const font: Font = { codeBytes: composite ? 2 : 1, width: () => 500 };
  const cmap = doc.streamOf(dict.get('ToUnicode'));
  if (cmap) {
    const parsed = parseToUnicode(cmap.data);
    font.toUnicode = parsed.map;
    if (parsed.codeBytes) font.codeBytes = parsed.codeBytes;
  }
  if (composite) {
    const descendants = doc.resolve(dict.get('DescendantFonts'));
    const cid = doc.dict(Array.isArray(descendants) ? descendants[0] : undefined);
    if (cid) font.width = cidWidths(doc, cid);
  } else {
    font.encoding = simpleEncoding(doc, dict.get('Encoding'));
    const first = num(doc.resolve(dict.get('FirstChar'))) ?? 0;
    const widths = doc.resolve(dict.get('Widths'));
    if (Array.isArray(widths)) {
      const w = widths.map((x) => num(doc.resolve(x)) ?? 0);
      font.width = (code) => w[code - first] ?? 500;
    }
  }
  cache.set(dict, font);
  return font;
}

function simpleEncoding(doc: PdfDocument, value: PdfValue | undefined): (code: number) => string {
  const enc = doc.resolve(value);
  const baseName = enc instanceof Map ? nameOf(doc.resolve(enc.get('BaseEncoding'))) : nameOf(enc);
  const table = baseName === 'MacRomanEncoding' ? MAC_ROMAN : WIN_ANSI;
  const base = (code: number): string => table[code] ?? '';
  const differences = new Map<number, string>();
  if (enc instanceof Map) {
    const diffs = doc.resolve(enc.get('Differences'));
    let code = 0;
    if (Array.isArray(diffs)) {
      for (const d of diffs) {
        if (typeof d === 'number') code = d;
        else if (d instanceof PdfName) {
          const text = glyphText(d.name);
          if (text !== undefined) differences.set(code, text);
          code++;
        }
      }
    }
  }
  return (code) => differences.get(code) ?? base(code);
}

/** CID font widths: `/DW` default and `/W` as `c [w1 w2 …]` or `cFirst cLast w` runs (§9.7.4.3). */
function cidWidths(doc: PdfDocument, cid: PdfDict): (code: number) => number {
  const dw = num(doc.resolve(cid.get('DW'))) ?? 1000;
  const map = new Map<number, number>();
  const w = doc.resolve(cid.get('W'));
  if (Array.isArray(w)) {
    for (let i = 0; i < w.length;) {
      const first = num(doc.resolve(w[i]));
      const next = doc.resolve(w[i + 1]);
      if (first === undefined) break;
      if (Array.isArray(next)) {
        next.forEach((x, k) => map.set(first + k, num(doc.resolve(x)) ?? dw));
        i += 2;
      } else {
        const last = num(next);
        const width = num(doc.resolve(w[i + 2]));
        if (last === undefined || width === undefined) break;
        for (let c = first; c <= last && c - first < 65536; c++) map.set(c, width);
        i += 3;
      }
    }
  }
  return (code) => map.get(code) ?? dw;
}

/** ToUnicode CMap (§9.10.3): `bfchar` pairs and `bfrange` runs mapping codes to UTF-16BE text. */
function parseToUnicode(data: Uint8Array): { map: Map<number, string>; codeBytes?: 1 | 2 } {
  const map = new Map<number, string>();
  let codeBytes: 1 | 2 | undefined;
  const lexer = new PdfLexer(data);
  const operands: PdfValue[] = [];
  for (let v = lexer.read(); v !== undefined; v = lexer.read()) {
    if (!(v instanceof PdfKeyword)) {
      operands.push(v);
      continue;
    }
    if (v.word === 'endcodespacerange') {
      const lo = operands[0];
      if (lo instanceof Uint8Array) codeBytes = lo.length >= 2 ? 2 : 1;
    } else if (v.word === 'endbfchar') {
      for (let i = 0; i + 1 < operands.length; i += 2) {
        const src = operands[i];
        const dst = operands[i + 1];
        if (src instanceof Uint8Array && dst instanceof Uint8Array) map.set(bytesToInt(src), utf16be(dst));
      }
    } else if (v.word === 'endbfrange') {
      for (let i = 0; i + 2 < operands.length; i += 3) {
        const lo = operands[i];
        const hi = operands[i + 1];
        const dst = operands[i + 2];
        if (!(lo instanceof Uint8Array) || !(hi instanceof Uint8Array)) continue;
        const from = bytesToInt(lo);
        const to = Math.min(bytesToInt(hi), from + 65535);
        for (let c = from; c <= to; c++) {
          if (Array.isArray(dst)) {
            const d = dst[c - from];
            if (d instanceof Uint8Array) map.set(c, utf16be(d));
          } else if (dst instanceof Uint8Array && dst.length >= 2) {
            // The destination's last code unit is incremented along the range.
            const copy = Uint8Array.from(dst);
            const unit = ((copy[copy.length - 2]! << 8) | copy[copy.length - 1]!) + (c - from);
            copy[copy.length - 2] = (unit >> 8) & 0xff;
            copy[copy.length - 1] = unit & 0xff;
            map.set(c, utf16be(copy));
          }
        }
      }
    }
    operands.length = 0;
  }
  return { map, codeBytes };
}

function utf16be(bytes: Uint8Array): string {
  if (bytes.length === 1) return String.fromCharCode(bytes[0]!);
  const units: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) units.push((bytes[i]! << 8) | bytes[i + 1]!);
  return String.fromCharCode(...units);
}

function bytesToInt(bytes: Uint8Array): number {
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

/** Glyph names of the Adobe Glyph List that matter for text; accented letters are composed. */
// prettier-ignore
const GLYPHS: Readonly<Record<string, string>> = {
  space: ' ', exclam: '!', quotedbl: '"', numbersign: '#', dollar: '$', percent: '%', ampersand: '&',
  quotesingle: "'", parenleft: '(', parenright: ')', asterisk: '*', plus: '+', comma: ',', hyphen: '-',
  period: '.', slash: '/', zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6',
  seven: '7', eight: '8', nine: '9', colon: ':', semicolon: ';', less: '<', equal: '=', greater: '>',
  question: '?', at: '@', bracketleft: '[', backslash: '\\', bracketright: ']', asciicircum: '^',
  underscore: '_', grave: '`', braceleft: '{', bar: '|', braceright: '}', asciitilde: '~',
  bullet: '•', endash: '–', emdash: '—', quoteleft: '‘', quoteright: '’', quotedblleft: '“',
  quotedblright: '”', quotesinglbase: '‚', quotedblbase: '„', ellipsis: '…', fi: 'fi', fl: 'fl',
  ff: 'ff', ffi: 'ffi', ffl: 'ffl', trademark: '™', copyright: '©', registered: '®', degree: '°',
  dagger: '†', daggerdbl: '‡', section: '§', paragraph: '¶', periodcentered: '·', Euro: '€',
  sterling: '£', yen: '¥', cent: '¢', germandbls: 'ß', minus: '−', multiply: '×', divide: '÷',
  guillemotleft: '«', guillemotright: '»', exclamdown: '¡', questiondown: '¿', nbspace: ' ',
  AE: 'Æ', ae: 'æ', OE: 'Œ', oe: 'œ', Oslash: 'Ø', oslash: 'ø', dotlessi: 'ı', Lslash: 'Ł', lslash: 'ł',
};

// prettier-ignore
const ACCENTS: Readonly<Record<string, string>> = {
  acute: '\u0301', grave: '\u0300', circumflex: '\u0302', dieresis: '\u0308', tilde: '\u0303',
  ring: '\u030a', cedilla: '\u0327', caron: '\u030c',
};

function glyphText(name: string): string | undefined {
  if (GLYPHS[name] !== undefined) return GLYPHS[name];
  if (/^[A-Za-z]$/.test(name)) return name;
  const uni = /^uni([0-9A-F]{4})$/.exec(name) ?? /^u([0-9A-F]{4,6})$/.exec(name);
  if (uni) {
    const cp = parseInt(uni[1]!, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
  }
  const accented = /^([A-Za-z])(acute|grave|circumflex|dieresis|tilde|ring|cedilla|caron)$/.exec(name);
  if (accented) return (accented[1]! + ACCENTS[accented[2]!]!).normalize('NFC');
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Content streams

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

function nameOf(v: PdfValue | undefined): string | undefined {
  return v instanceof PdfName ? v.name : undefined;
}

function num(v: PdfValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
