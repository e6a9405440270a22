/**
 * PDF fonts, as far as text needs them (ISO 32000-1 §9): character codes to Unicode through
 * `/ToUnicode` CMaps (bfchar, bfrange) or simple-font encodings (WinAnsi, MacRoman,
 * `/Differences` with common glyph names), and glyph widths (`/Widths`, CID `/W`) so the
 * content reader can tell word gaps from kerning.
 */
import { PdfKeyword, PdfLexer, PdfName, type PdfDict, type PdfValue } from './pdf-lexer';
import { nameOf, num, type PdfDocument } from './pdf-document';

export interface Font {
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

export function fontOf(
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
