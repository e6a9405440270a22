/**
 * The object layer of a PDF (ISO 32000-1 §7.5): objects found by scanning for `N G obj`, which
 * tolerates broken cross-reference tables and incremental updates (the last definition wins),
 * objects packed in object streams (`/ObjStm`), stream decoding (FlateDecode, also truncated;
 * LZWDecode; ASCIIHexDecode; ASCII85Decode), decryption of files that open without a password, and the
 * page tree.
 */
import { inflateSync, constants as zlibConstants } from 'node:zlib';
import type { Deadline } from './deadline';
import { emptyPasswordDecryptor, type StreamDecryptor } from './pdf-crypt';
import { PdfLexer, PdfName, PdfRef, latin1, type PdfDict, type PdfValue } from './pdf-lexer';

/** Largest decoded stream; a Flate bomb fails this stream only. */
const MAX_STREAM_BYTES = 64 * 1024 * 1024;

interface PdfObject {
  value: PdfValue;
  /** Byte range of the raw stream data, when the object is a stream. */
  stream?: { start: number; end: number };
  /** Object number and generation: encrypted files derive each stream's key from them. */
  num: number;
  gen: number;
}

export class PdfDocument {
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
    case 'LZWDecode':
    case 'LZW':
      return lzw(data);
    default:
      return undefined;
  }
}

/**
 * LZW (§7.4.4), the compression of PDFs from before Flate (Acrobat 2–3 era): 9–12 bit codes,
 * most significant bit first, 256 = clear table, 257 = end; the code width grows one code early
 * (`/EarlyChange 1`, the default). A broken code ends the stream with what was decoded.
 */
function lzw(data: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  let total = 0;
  let table: Uint8Array[] = [];
  const reset = (): void => {
    table = Array.from({ length: 258 }, (_, i) => Uint8Array.of(i & 0xff));
  };
  reset();
  let width = 9;
  let prev: Uint8Array | undefined;
  let bits = 0;
  let bitCount = 0;
  for (let i = 0; i < data.length; i++) {
    bits = ((bits << 8) | data[i]!) & 0xffffff;
    bitCount += 8;
    while (bitCount >= width) {
      const code = (bits >> (bitCount - width)) & ((1 << width) - 1);
      bitCount -= width;
      if (code === 256) {
        reset();
        width = 9;
        prev = undefined;
        continue;
      }
      if (code === 257) return concatBytes(out, total);
      let entry = table[code];
      if (!entry && code === table.length && prev)
        entry = concatBytes([prev, prev.subarray(0, 1)], prev.length + 1);
      if (!entry) return concatBytes(out, total);
      out.push(entry);
      total += entry.length;
      if (total > MAX_STREAM_BYTES) return concatBytes(out, total);
      if (prev && table.length < 4096) table.push(concatBytes([prev, entry.subarray(0, 1)], prev.length + 1));
      if (table.length + 1 >= 1 << width && width < 12) width++;
      prev = entry;
    }
  }
  return concatBytes(out, total);
}

function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
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

export function nameOf(v: PdfValue | undefined): string | undefined {
  return v instanceof PdfName ? v.name : undefined;
}

export function num(v: PdfValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
