/**
 * Confluence storage format -> plain text.
 *
 * Storage format is XHTML plus `ac:` (macros, links, images, tasks) and `ri:` (resource identifier)
 * elements: https://confluence.atlassian.com/doc/confluence-storage-format-790796544.html
 *
 * htmlparser2 delivers SAX-style events and keeps no tree; our own state is an explicit frame
 * stack, so input nested 10k levels deep costs memory, not call stack, and time stays linear.
 * Entities are decoded here rather than by the parser: in XML mode htmlparser2 only knows the five
 * XML entities, while Confluence bodies routinely carry HTML ones (`&nbsp;`, `&mdash;`, `&rsquo;`).
 */
import { decodeHTML, decodeHTMLAttribute } from 'entities';
import { Parser } from 'htmlparser2';
import { emojiFromId, legacyEmoticon } from './emoji';
import { DEFAULT_MAX_CHARS, TextWriter } from './text-writer';

export interface StorageToTextOptions {
  /** Display name for a mentioned account id; undefined falls back to `@accountId`. */
  mentionName?: (accountId: string) => string | undefined;
  /** Longest text returned (default 1,000,000 characters); the rest is cut. */
  maxChars?: number;
}

type Attrs = Record<string, string>;

/** How far up `li` looks for its list and a cell for its row (real markup: one or two levels). */
const MAX_ANCESTOR_SCAN = 32;

interface Frame {
  name: string;
  onClose?: () => void;
  /** Text below this element is dropped (macro parameters, placeholders, scripts). */
  suppress?: boolean;
  /** Text below this element is collected here instead of written (code bodies, parameters). */
  capture?: string[];
  /** Parent of `<li>`: ordered lists number their items. */
  list?: { ordered: boolean; next: number };
  /** `<tr>`: cells seen so far, for the ` | ` separator. */
  cells?: number;
  /** `ac:structured-macro` / `ac:macro`. */
  macro?: string;
  /** `ac:link` / `ac:image`: what the linked resource is called, shown when there is no body. */
  resource?: { label?: string; emittedBefore?: number; alt?: string };
  /** `ac:task`: its status, read from `ac:task-status`. */
  taskStatus?: string;
  /** `ac:adf-extension`: whether its ADF node rendered, which makes the fallback redundant. */
  adfRendered?: boolean;
}

/** Elements that start and end a paragraph-level block. */
const PARAGRAPH_BLOCKS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'table',
  'hr',
  'figure',
  'ac:rich-text-body',
  'ac:layout',
  'ac:layout-section',
  'ac:layout-cell',
  'ac:adf-node',
]);

/** Elements that only need their own line. */
const LINE_BLOCKS = new Set([
  'div',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'aside',
  'main',
  'dl',
  'dt',
  'dd',
  'caption',
  'figcaption',
  'address',
  'details',
  'summary',
  'ac:caption',
]);

/** Macros that embed an attachment and show it under its file name. */
const FILE_MACROS = new Set([
  'view-file',
  'viewpdf',
  'viewdoc',
  'viewxls',
  'viewppt',
  'multimedia',
  'gadget',
]);

/** Elements whose content is never visible text on the page. */
const SUPPRESSED = new Set([
  'script',
  'style',
  'head',
  'title',
  'ac:placeholder',
  'ac:task-id',
  'ac:task-uuid',
  'ac:default-parameter',
  'ac:adf-attribute',
]);

export function storageToText(xhtml: string, options: StorageToTextOptions = {}): string {
  if (typeof xhtml !== 'string' || xhtml.length === 0) return '';
  const converter = new StorageConverter(options);
  try {
    const parser = new Parser(
      {
        onopentag: (name, attrs) => converter.open(name, attrs),
        onclosetag: (name) => converter.close(name),
        ontext: (text) => converter.textEvent(text),
        oncdatastart: () => converter.cdata(true),
        oncdataend: () => converter.cdata(false),
      },
      { xmlMode: true, decodeEntities: false, recognizeSelfClosing: true },
    );
    parser.end(xhtml);
  } catch {
    // htmlparser2 is forgiving and does not throw on bad markup; this guards the contract
    // "never throw" against surprises (and callback errors), keeping what was converted.
  }
  return converter.result();
}

class StorageConverter {
  private readonly writer: TextWriter;
  private readonly stack: Frame[] = [];
  private suppressDepth = 0;
  private captureFrame: Frame | undefined;
  private pendingText = '';
  private inCdata = false;

  constructor(private readonly options: StorageToTextOptions) {
    this.writer = new TextWriter(options.maxChars ?? DEFAULT_MAX_CHARS);
  }

  result(): string {
    this.flushText();
    return this.writer.toString();
  }

  textEvent(raw: string): void {
    if (this.inCdata) this.emit(raw);
    else this.pendingText += raw;
  }

  cdata(start: boolean): void {
    this.flushText();
    this.inCdata = start;
  }

  open(rawName: string, rawAttrs: Attrs): void {
    this.flushText();
    const name = rawName.toLowerCase();
    // HTML attachments may omit `</head>`; without this the whole body would stay suppressed.
    if (name === 'body' && this.isOpen('head')) this.close('head');
    const attrs: Attrs = {};
    for (const key of Object.keys(rawAttrs))
      attrs[key.toLowerCase()] = decodeHTMLAttribute(rawAttrs[key] ?? '');
    const parent = this.stack[this.stack.length - 1];
    const frame: Frame = { name };
    this.stack.push(frame);
    this.configure(frame, name, attrs, parent);
    if (frame.suppress) this.suppressDepth++;
  }

  close(rawName: string): void {
    this.flushText();
    const name = rawName.toLowerCase();
    // htmlparser2 closes implied elements itself, so the top normally matches; a stray end tag
    // for an element that is not open is ignored rather than unwinding the stack.
    if (!this.isOpen(name)) return;
    for (;;) {
      const frame = this.stack.pop();
      if (!frame) return;
      if (frame.suppress) this.suppressDepth--;
      frame.onClose?.();
      if (frame.name === name) return;
    }
  }

  private flushText(): void {
    if (this.pendingText.length === 0) return;
    const text = decodeHTML(this.pendingText);
    this.pendingText = '';
    this.emit(text);
  }

  /** All visible text goes through here, so captures and suppression apply to everything. */
  private emit(text: string): void {
    if (text.length === 0) return;
    if (this.captureFrame) this.captureFrame.capture!.push(text);
    else if (this.suppressDepth === 0) this.writer.text(text);
  }

  private breakBlock(kind: 'line' | 'paragraph'): void {
    if (this.captureFrame) {
      if (kind === 'line') this.captureFrame.capture!.push('\n');
      return;
    }
    if (this.suppressDepth === 0) this.writer.break(kind);
  }

  private startCapture(frame: Frame, onCaptured: (text: string) => void): void {
    const previous = this.captureFrame;
    frame.capture = [];
    this.captureFrame = frame;
    frame.onClose = () => {
      this.captureFrame = previous;
      onCaptured(frame.capture!.join(''));
    };
  }

  private verbatimBlock(text: string): void {
    if (this.suppressDepth > 0) return;
    if (this.captureFrame) {
      this.captureFrame.capture!.push(text);
      return;
    }
    this.writer.break('paragraph');
    this.writer.verbatim(text);
    this.writer.break('paragraph');
  }

  private isOpen(name: string): boolean {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i]!.name === name) return true;
    return false;
  }

  private nearest(name: string): Frame | undefined {
    // Callers look for a close ancestor (the list of an `li`, the row of a cell). The scan is
    // bounded so that malformed input (10k nested cells without a row) stays linear.
    const stop = Math.max(this.stack.length - 2 - MAX_ANCESTOR_SCAN, 0);
    for (let i = this.stack.length - 2; i >= stop; i--) {
      const f = this.stack[i]!;
      if (f.name === name || (name === 'list' && f.list)) return f;
    }
    return undefined;
  }

  private configure(frame: Frame, name: string, attrs: Attrs, parent: Frame | undefined): void {
    const w = this.writer;
    if (SUPPRESSED.has(name)) {
      frame.suppress = true;
      return;
    }
    if (PARAGRAPH_BLOCKS.has(name)) {
      // Inside a list item, a paragraph is a continuation line, not a new block.
      const kind = w.inList && (name === 'p' || name === 'ac:rich-text-body') ? 'line' : 'paragraph';
      this.breakBlock(kind);
      frame.onClose = () => this.breakBlock(kind);
      if (name === 'ac:adf-node') this.markAdfRendered();
      return;
    }
    if (LINE_BLOCKS.has(name)) {
      this.breakBlock('line');
      frame.onClose = () => this.breakBlock('line');
      return;
    }
    switch (name) {
      case 'br':
        // Handled on open: HTML-style `<br>` without a closing slash would otherwise swallow text.
        this.breakBlock('line');
        return;
      case 'ul':
      case 'ol':
      case 'ac:task-list': {
        const start = parseInt(attrs['start'] ?? '1', 10);
        frame.list = { ordered: name === 'ol', next: Number.isFinite(start) ? start : 1 };
        if (this.visible()) w.enterList();
        frame.onClose = () => {
          if (this.visible()) w.exitList();
        };
        return;
      }
      case 'li': {
        const list = this.nearest('list')?.list;
        const marker = list?.ordered ? `${list.next++}. ` : '- ';
        if (this.visible()) w.item(marker);
        frame.onClose = () => this.breakBlock('line');
        return;
      }
      case 'ac:task':
        frame.taskStatus = 'incomplete';
        frame.onClose = () => this.breakBlock('line');
        return;
      case 'ac:task-status': {
        const task = parent?.name === 'ac:task' ? parent : undefined;
        this.startCapture(frame, (status) => {
          if (task) task.taskStatus = status.trim();
        });
        return;
      }
      case 'ac:task-body': {
        const task = parent?.name === 'ac:task' ? parent : undefined;
        if (this.visible()) w.item(task?.taskStatus === 'complete' ? '[x] ' : '[ ] ');
        return;
      }
      case 'tr':
        frame.cells = 0;
        this.breakBlock('line');
        frame.onClose = () => this.breakBlock('line');
        return;
      case 'td':
      case 'th': {
        const row = this.nearest('tr');
        const index = row ? row.cells!++ : 0;
        if (this.visible()) {
          w.enterCell(index);
          frame.onClose = () => w.exitCell();
        }
        return;
      }
      case 'pre':
        // `<pre>` keeps its line breaks; its inline children (`<code>`, spans) are collected.
        this.startCapture(frame, (text) => this.verbatimBlock(text));
        return;
      case 'ac:structured-macro':
      case 'ac:macro':
        frame.macro = (attrs['ac:name'] ?? '').toLowerCase();
        return;
      case 'ac:parameter':
        this.configureParameter(frame, attrs, parent);
        return;
      case 'ac:plain-text-body':
        if (parent?.macro === 'html') {
          // Raw HTML macro: its body is markup, not text a reader sees as such.
          frame.suppress = true;
          return;
        }
        this.startCapture(frame, (text) => this.verbatimBlock(text));
        return;
      case 'ac:link':
        frame.resource = { emittedBefore: this.writer.emitted };
        frame.onClose = () => {
          const r = frame.resource!;
          // A link body (`ac:link-body` / `ac:plain-text-link-body`) is what the reader sees;
          // the resource name only stands in when the body is absent or empty.
          if (r.label && this.writer.emitted === r.emittedBefore) this.inline(r.label);
        };
        return;
      case 'ac:image':
        frame.resource = { alt: attrs['ac:alt'] || attrs['ac:title'] };
        frame.onClose = () => {
          const label = frame.resource!.alt || frame.resource!.label;
          if (label) this.word(label);
        };
        return;
      case 'img': {
        const src = attrs['src'] ?? '';
        const label = attrs['alt'] || attrs['title'] || fileNameOf(src);
        if (label) this.word(label);
        return;
      }
      case 'ac:emoticon': {
        const fallback = attrs['ac:emoji-fallback'];
        const emoji =
          (fallback && !/^:[\w+-]+:$/.test(fallback) ? fallback : undefined) ??
          emojiFromId(attrs['ac:emoji-id']) ??
          // New emoji (incl. custom ones) are stored with the placeholder name `blue-star`.
          attrs['ac:emoji-shortname'] ??
          legacyEmoticon(attrs['ac:name']) ??
          fallback;
        if (emoji) this.inline(emoji);
        return;
      }
      case 'time': {
        const datetime = attrs['datetime'];
        if (datetime) this.inline(datetime);
        return;
      }
      case 'ac:adf-fallback': {
        // Newer storage wraps ADF-only nodes as `ac:adf-extension` = `ac:adf-node` + an HTML
        // fallback; render the fallback only when the node itself produced nothing.
        const ext = parent?.name === 'ac:adf-extension' ? parent : undefined;
        if (ext?.adfRendered) frame.suppress = true;
        return;
      }
      default:
        if (name.startsWith('ri:')) this.configureResource(name, attrs, parent);
    }
  }

  /**
   * `ac:parameter`s configure a macro and are not page text, with three exceptions that carry
   * what a reader sees: a status lozenge's `title`, a Jira issue macro's `key`, and the
   * `title` of container macros (expand, panel, info, note, warning, tip, code …).
   */
  private configureParameter(frame: Frame, attrs: Attrs, parent: Frame | undefined): void {
    const macro = parent?.macro;
    const param = (attrs['ac:name'] ?? '').toLowerCase();
    if (macro === undefined) {
      frame.suppress = true;
      return;
    }
    if (macro === 'status' && param === 'title') {
      this.startCapture(frame, (text) => this.inline(text));
    } else if (macro === 'jira' && param === 'key') {
      this.startCapture(frame, (text) => this.inline(text));
    } else if (param === 'name' && FILE_MACROS.has(macro)) {
      // Embedded files (`view-file`, `viewpdf` …) name their attachment in the `name` parameter;
      // the file name is what the reader sees on the page.
      frame.suppress = true;
      frame.resource = {};
      frame.onClose = () => {
        if (frame.resource!.label) this.word(frame.resource!.label);
      };
    } else if (param === 'title' && macro !== 'status') {
      this.startCapture(frame, (text) => {
        if (text.trim() === '') return;
        this.breakBlock('paragraph');
        this.inline(text);
        this.breakBlock('line');
      });
    } else {
      frame.suppress = true;
    }
  }

  /** `ri:` elements name the target of the enclosing `ac:link`, `ac:image` or file parameter. */
  private configureResource(name: string, attrs: Attrs, parent: Frame | undefined): void {
    if (!parent?.resource) return;
    let label: string | undefined;
    switch (name) {
      case 'ri:page':
      case 'ri:blog-post':
        label = attrs['ri:content-title'];
        break;
      case 'ri:attachment':
        label = attrs['ri:filename'];
        break;
      case 'ri:user':
        label = this.mention(attrs['ri:account-id'] ?? attrs['ri:userkey'] ?? attrs['ri:username']);
        break;
      case 'ri:space':
        label = attrs['ri:space-key'];
        break;
      case 'ri:url':
        label = parent.name === 'ac:link' ? attrs['ri:value'] : fileNameOf(attrs['ri:value'] ?? '');
        break;
      case 'ri:shortcut':
        label = [attrs['ri:key'], attrs['ri:parameter']].filter(Boolean).join(':');
        break;
    }
    if (label) parent.resource.label = label;
  }

  private mention(accountId: string | undefined): string | undefined {
    if (!accountId) return undefined;
    let name: string | undefined;
    try {
      name = this.options.mentionName?.(accountId);
    } catch {
      name = undefined;
    }
    if (!name) return `@${accountId}`;
    return name.startsWith('@') ? name : `@${name}`;
  }

  /** An atomic inline piece (mention, emoji, status): spaced from its neighbours like a word. */
  private inline(text: string): void {
    if (this.visible()) this.writer.atom(text);
    else this.emit(text);
  }

  /** Images sit between words or on their own; keep their names from gluing to neighbours. */
  private word(text: string): void {
    if (this.visible()) this.writer.space();
    this.emit(text);
    if (this.visible()) this.writer.space();
  }

  private visible(): boolean {
    return this.suppressDepth === 0 && this.captureFrame === undefined;
  }

  private markAdfRendered(): void {
    const stop = Math.max(this.stack.length - 2 - MAX_ANCESTOR_SCAN, 0);
    for (let i = this.stack.length - 2; i >= stop; i--) {
      const f = this.stack[i]!;
      if (f.name === 'ac:adf-extension') {
        f.adfRendered = true;
        return;
      }
    }
  }
}

function fileNameOf(url: string): string {
  const path = url.split(/[?#]/)[0] ?? '';
  const last = path.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
