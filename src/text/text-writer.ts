/**
 * Line-oriented plain-text builder shared by the storage-format and ADF converters.
 *
 * The converters walk their input once (events or an explicit stack) and tell the writer
 * what they see: inline text, block boundaries, list items, table cells, verbatim code.
 * The writer owns the layout rules so both products render the same way:
 * - inline whitespace collapses to one space (`&nbsp;` included), never at line ends;
 * - blocks are separated by a line break or at most one blank line;
 * - list items start with `- ` (bullets) or `N. ` (ordered), nested items indent two spaces
 *   per level (capped, so 10k-deep nesting cannot make output quadratic);
 * - a table row is one line, its cells joined by ` | `; block breaks inside a cell become spaces;
 * - code is kept verbatim, line by line (blank lines inside code are kept too).
 */

/** Deeper list levels render at this indentation: the text stays readable and output linear. */
const MAX_INDENT_LEVELS = 10;

/** Default bound on converted text: a search index gains nothing from more, memory stays bounded. */
export const DEFAULT_MAX_CHARS = 1_000_000;

/** Text ending like this takes no space before an atom; text starting like this none after. */
const OPENING = /[\s([{"'\u201c\u2018]$/u;
const CLOSING = /^[,.;:!?)\]}"'\u201d\u2019]/u;

export type BreakKind = 'line' | 'paragraph';

export class TextWriter {
  private readonly lines: string[] = [];
  private cur = '';
  /** Whether `cur` holds text beyond its indentation prefix. */
  private curHasText = false;
  private lineStarted = false;
  /** 0: none, 1: new line, 2: blank line before the next text. */
  private pendingBreak = 0;
  private pendingSpace = false;
  /** After an atom: a space before the next text, unless that text starts with punctuation. */
  private softSpace = false;
  private pendingMarker: string | undefined;
  private listDepth = 0;
  private cellDepth = 0;
  private size = 0;
  private full = false;
  /** Incremented on every non-empty emission; lets callers ask "did anything come out since…". */
  emitted = 0;

  constructor(private readonly maxChars: number = DEFAULT_MAX_CHARS) {}

  get truncated(): boolean {
    return this.full;
  }

  get inList(): boolean {
    return this.listDepth > 0;
  }

  /** Request a block boundary before the next text. Inside a table cell it is only a space. */
  break(kind: BreakKind): void {
    if (this.cellDepth > 0) {
      this.pendingSpace = true;
      return;
    }
    const level = kind === 'paragraph' ? 2 : 1;
    if (level > this.pendingBreak) this.pendingBreak = level;
  }

  /** Inline text: whitespace runs collapse to one space. */
  text(s: string): void {
    if (this.full || s.length === 0) return;
    // Zero-width spaces are line-break hints the editors sprinkle into words, control characters
    // are noise from pasted text: drop both.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    const collapsed = s.replace(/[\u200b\x00-\x08\x0e-\x1f\x7f]/g, '').replace(/\s+/g, ' ');
    if (collapsed === '') return;
    if (this.softSpace && !CLOSING.test(collapsed)) this.pendingSpace = true;
    this.softSpace = false;
    if (collapsed === ' ') {
      this.pendingSpace = true;
      return;
    }
    const leading = collapsed.startsWith(' ');
    const trailing = collapsed.endsWith(' ');
    const body = collapsed.slice(leading ? 1 : 0, trailing ? -1 : undefined);
    if (leading) this.pendingSpace = true;
    this.startLine();
    if (this.pendingSpace && this.curHasText && !this.cur.endsWith(' ')) this.append(' ');
    this.pendingSpace = false;
    this.append(body);
    this.curHasText = true;
    this.emitted++;
    if (trailing) this.pendingSpace = true;
  }

  /**
   * An atomic inline piece (mention, status lozenge, emoji, issue key): the source often glues
   * it to its neighbours, so it is spaced like a word, yet punctuation still hugs it
   * ("Status: DONE next", "thanks @Jane, see (OPS-1).").
   */
  atom(s: string): void {
    if (this.curHasText && this.pendingBreak === 0 && !OPENING.test(this.cur)) this.pendingSpace = true;
    this.text(s);
    this.softSpace = true;
  }

  /** Separate what comes next from what came before, as whitespace in the source would. */
  space(): void {
    this.pendingSpace = true;
  }

  /** Code: each source line becomes an output line, untouched apart from trailing whitespace. */
  verbatim(s: string): void {
    if (this.full) return;
    if (this.cellDepth > 0) {
      // A table row stays one line; code inside a cell is folded like prose.
      this.text(s);
      return;
    }
    const rows = s.replace(/\r\n?/g, '\n').split('\n');
    let first = 0;
    let last = rows.length - 1;
    while (first <= last && rows[first]!.trim() === '') first++;
    while (last >= first && rows[last]!.trim() === '') last--;
    if (first > last) return;
    this.break('line');
    for (let i = first; i <= last && !this.full; i++) {
      this.startLine();
      this.append(rows[i]!.trimEnd());
      this.curHasText = true;
      this.emitted++;
      // Force the row out even when empty: blank lines inside code are content.
      this.flushLine(true);
      this.pendingBreak = 1;
    }
  }

  /** A list item: the next text starts a new line with this marker at the current list depth. */
  item(marker: string): void {
    if (this.cellDepth > 0) {
      this.pendingSpace = true;
      return;
    }
    this.break('line');
    this.pendingMarker = marker;
  }

  enterList(): void {
    this.break(this.listDepth === 0 ? 'paragraph' : 'line');
    this.listDepth++;
  }

  exitList(): void {
    if (this.listDepth > 0) this.listDepth--;
    this.pendingMarker = undefined;
    this.break(this.listDepth === 0 ? 'paragraph' : 'line');
  }

  /** Start of a table cell; `index` is its position in the row (0 for the first). */
  enterCell(index: number): void {
    if (index > 0 && this.cellDepth === 0) {
      this.startLine();
      // An empty first cell still gets its separator, so columns can be counted.
      this.append(this.curHasText && !this.cur.endsWith(' ') ? ' | ' : '| ');
      this.curHasText = true;
      this.pendingSpace = false;
      this.softSpace = false;
    } else if (index > 0) {
      this.pendingSpace = true;
    }
    this.cellDepth++;
  }

  exitCell(): void {
    if (this.cellDepth > 0) this.cellDepth--;
    if (this.cellDepth === 0) {
      this.pendingSpace = false;
      this.softSpace = false;
    }
  }

  toString(): string {
    this.flushLine(false);
    while (this.lines.length > 0 && this.lines[this.lines.length - 1] === '') this.lines.pop();
    return this.lines.join('\n');
  }

  private startLine(): void {
    if (this.pendingBreak > 0) {
      this.flushLine(false);
      if (this.pendingBreak === 2 && this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') {
        this.lines.push('');
        this.size += 1;
      }
      this.pendingBreak = 0;
    }
    if (!this.lineStarted) {
      const depth = Math.min(this.listDepth, MAX_INDENT_LEVELS);
      if (this.pendingMarker !== undefined) {
        this.cur = '  '.repeat(Math.max(depth - 1, 0)) + this.pendingMarker;
        this.pendingMarker = undefined;
      } else {
        this.cur = '  '.repeat(depth);
      }
      this.lineStarted = true;
      this.curHasText = false;
      this.pendingSpace = false;
      this.softSpace = false;
    }
  }

  private flushLine(keepEmpty: boolean): void {
    if (this.lineStarted && (this.curHasText || keepEmpty)) {
      const line = this.cur.trimEnd();
      this.lines.push(line);
      this.size += line.length + 1;
    }
    this.cur = '';
    this.lineStarted = false;
    this.curHasText = false;
  }

  private append(s: string): void {
    const room = this.maxChars - this.size - this.cur.length;
    if (s.length > room) {
      this.cur += s.slice(0, Math.max(room, 0));
      this.full = true;
      return;
    }
    this.cur += s;
  }
}
