/**
 * PDF object syntax (ISO 32000-1 §7.2–7.3): a lexer and an object reader over raw bytes, used for
 * both the file's objects and page content streams (where bare keywords are operators).
 *
 * Arrays and dictionaries are read with an explicit container stack, so hostile nesting
 * (`[[[[…`) cannot overflow the call stack.
 */

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A bare keyword: `true`/`false`/`null` are turned into values; others are operators. */
export class PdfKeyword {
  constructor(readonly word: string) {}
}

export type PdfDict = Map<string, PdfValue>;
export type PdfValue =
  number | boolean | null | Uint8Array | PdfName | PdfRef | PdfKeyword | PdfValue[] | PdfDict;

type Token =
  | { t: 'value'; v: PdfValue }
  | { t: 'open'; kind: 'array' | 'dict' }
  | { t: 'close'; kind: 'array' | 'dict' }
  | { t: 'eof' };

const enum Ch {
  Tab = 0x09,
  LF = 0x0a,
  FF = 0x0c,
  CR = 0x0d,
  Space = 0x20,
  Percent = 0x25,
  ParenOpen = 0x28,
  ParenClose = 0x29,
  Slash = 0x2f,
  Less = 0x3c,
  Greater = 0x3e,
  BracketOpen = 0x5b,
  BracketClose = 0x5d,
  BraceOpen = 0x7b,
  BraceClose = 0x7d,
  Backslash = 0x5c,
}

export function isWhite(c: number): boolean {
  return c === Ch.Space || c === Ch.LF || c === Ch.CR || c === Ch.Tab || c === Ch.FF || c === 0;
}

function isDelimiter(c: number): boolean {
  return (
    c === Ch.ParenOpen ||
    c === Ch.ParenClose ||
    c === Ch.Less ||
    c === Ch.Greater ||
    c === Ch.BracketOpen ||
    c === Ch.BracketClose ||
    c === Ch.BraceOpen ||
    c === Ch.BraceClose ||
    c === Ch.Slash ||
    c === Ch.Percent
  );
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Longest literal string kept; longer ones are cut (content text is bounded anyway). */
const MAX_STRING_BYTES = 16 * 1024 * 1024;

export class PdfLexer {
  pos: number;

  constructor(
    readonly data: Uint8Array,
    start = 0,
    readonly end = data.length,
  ) {
    this.pos = start;
  }

  skipWhite(): void {
    const d = this.data;
    while (this.pos < this.end) {
      const c = d[this.pos]!;
      if (isWhite(c)) this.pos++;
      else if (c === Ch.Percent) {
        while (this.pos < this.end && d[this.pos] !== Ch.LF && d[this.pos] !== Ch.CR) this.pos++;
      } else break;
    }
  }

  private token(): Token {
    const d = this.data;
    let c: number;
    for (;;) {
      this.skipWhite();
      if (this.pos >= this.end) return { t: 'eof' };
      c = d[this.pos]!;
      // PostScript procedures (Type 4 functions) or stray delimiters: not text, skip.
      if (c !== Ch.BraceOpen && c !== Ch.BraceClose && c !== Ch.ParenClose) break;
      this.pos++;
    }
    switch (c) {
      case Ch.BracketOpen:
        this.pos++;
        return { t: 'open', kind: 'array' };
      case Ch.BracketClose:
        this.pos++;
        return { t: 'close', kind: 'array' };
      case Ch.Less:
        if (d[this.pos + 1] === Ch.Less) {
          this.pos += 2;
          return { t: 'open', kind: 'dict' };
        }
        return { t: 'value', v: this.hexString() };
      case Ch.Greater:
        this.pos += d[this.pos + 1] === Ch.Greater ? 2 : 1;
        return { t: 'close', kind: 'dict' };
      case Ch.ParenOpen:
        return { t: 'value', v: this.literalString() };
      case Ch.Slash:
        return { t: 'value', v: this.name() };
    }
    const start = this.pos;
    while (this.pos < this.end && !isWhite(d[this.pos]!) && !isDelimiter(d[this.pos]!)) this.pos++;
    const word = latin1(d, start, this.pos);
    const num = Number(word);
    if (word.length > 0 && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(word) && Number.isFinite(num))
      return { t: 'value', v: num };
    if (word === 'true') return { t: 'value', v: true };
    if (word === 'false') return { t: 'value', v: false };
    if (word === 'null') return { t: 'value', v: null };
    return { t: 'value', v: new PdfKeyword(word) };
  }

  /**
   * One complete object (number, string, array, dictionary …) or keyword; `undefined` at the
   * end of input. `N G R` becomes a PdfRef.
   */
  read(): PdfValue | undefined {
    const stack: Array<{ kind: 'array' | 'dict'; items: PdfValue[] }> = [];
    for (;;) {
      const tok = this.token();
      let value: PdfValue;
      if (tok.t === 'eof') {
        // Unterminated containers at the end of a truncated file: close what is open.
        if (stack.length === 0) return undefined;
        const top = stack.pop()!;
        value = finish(top);
      } else if (tok.t === 'open') {
        stack.push({ kind: tok.kind, items: [] });
        continue;
      } else if (tok.t === 'close') {
        const top = stack.pop();
        if (!top) continue; // stray `]` or `>>`
        value = finish(top);
      } else {
        value = tok.v;
        if (typeof value === 'number' && Number.isInteger(value) && value >= 0) value = this.maybeRef(value);
      }
      if (stack.length === 0) return value;
      stack[stack.length - 1]!.items.push(value);
    }
  }

  private maybeRef(num: number): PdfValue {
    const save = this.pos;
    const gen = this.token();
    if (gen.t === 'value' && typeof gen.v === 'number' && Number.isInteger(gen.v)) {
      const r = this.token();
      if (r.t === 'value' && r.v instanceof PdfKeyword && r.v.word === 'R') return new PdfRef(num, gen.v);
    }
    this.pos = save;
    return num;
  }

  private name(): PdfName {
    const d = this.data;
    this.pos++;
    const bytes: number[] = [];
    while (this.pos < this.end && !isWhite(d[this.pos]!) && !isDelimiter(d[this.pos]!)) {
      const c = d[this.pos]!;
      if (c === 0x23 && hexValue(d[this.pos + 1] ?? 0) >= 0 && hexValue(d[this.pos + 2] ?? 0) >= 0) {
        bytes.push(hexValue(d[this.pos + 1]!) * 16 + hexValue(d[this.pos + 2]!));
        this.pos += 3;
      } else {
        bytes.push(c);
        this.pos++;
      }
    }
    return new PdfName(Buffer.from(bytes).toString('latin1'));
  }

  private hexString(): Uint8Array {
    const d = this.data;
    this.pos++;
    const out: number[] = [];
    let high = -1;
    while (this.pos < this.end && d[this.pos] !== Ch.Greater) {
      const v = hexValue(d[this.pos++]!);
      if (v < 0) continue;
      if (high < 0) high = v;
      else {
        out.push(high * 16 + v);
        high = -1;
      }
    }
    if (high >= 0) out.push(high * 16);
    this.pos++;
    return Uint8Array.from(out);
  }

  private literalString(): Uint8Array {
    const d = this.data;
    this.pos++;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < this.end) {
      const c = d[this.pos++]!;
      if (c === Ch.ParenOpen) depth++;
      else if (c === Ch.ParenClose && --depth === 0) break;
      if (c !== Ch.Backslash) {
        if (out.length < MAX_STRING_BYTES) out.push(c);
        continue;
      }
      const e = d[this.pos++];
      if (e === undefined) break;
      switch (e) {
        case 0x6e:
          out.push(0x0a);
          break;
        case 0x72:
          out.push(0x0d);
          break;
        case 0x74:
          out.push(0x09);
          break;
        case 0x62:
          out.push(0x08);
          break;
        case 0x66:
          out.push(0x0c);
          break;
        case Ch.CR:
          if (d[this.pos] === Ch.LF) this.pos++;
          break; // line continuation
        case Ch.LF:
          break;
        default:
          if (e >= 0x30 && e <= 0x37) {
            let v = e - 0x30;
            for (let i = 0; i < 2 && (d[this.pos] ?? 0) >= 0x30 && (d[this.pos] ?? 0) <= 0x37; i++) {
              v = v * 8 + (d[this.pos++]! - 0x30);
            }
            out.push(v & 0xff);
          } else out.push(e); // \( \) \\ and unknown escapes
      }
    }
    return Uint8Array.from(out);
  }

  /**
   * Inline image data (`BI … ID <bytes> EI`) is binary and must not be tokenised; skip to the
   * `EI` that stands alone between whitespace.
   */
  skipInlineImage(): void {
    const d = this.data;
    this.pos++; // the single whitespace after ID
    while (this.pos < this.end - 1) {
      if (
        d[this.pos] === 0x45 &&
        d[this.pos + 1] === 0x49 &&
        isWhite(d[this.pos - 1] ?? 0x20) &&
        (this.pos + 2 >= this.end || isWhite(d[this.pos + 2]!))
      ) {
        this.pos += 2;
        return;
      }
      this.pos++;
    }
    this.pos = this.end;
  }
}

function finish(container: { kind: 'array' | 'dict'; items: PdfValue[] }): PdfValue {
  if (container.kind === 'array') return container.items;
  const dict: PdfDict = new Map();
  for (let i = 0; i + 1 < container.items.length; i += 2) {
    const key = container.items[i];
    if (key instanceof PdfName) dict.set(key.name, container.items[i + 1]!);
  }
  return dict;
}

export function latin1(d: Uint8Array, start: number, end: number): string {
  return Buffer.from(d.buffer, d.byteOffset + start, end - start).toString('latin1');
}
