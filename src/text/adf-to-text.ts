/**
 * Atlassian Document Format (Jira descriptions and comments) -> plain text.
 *
 * Node reference: https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 *
 * The document is walked with an explicit stack (no recursion), so a deeply nested or huge
 * document cannot overflow the call stack; output goes through the same TextWriter as storage
 * format, so Jira and Confluence text look alike (`- ` bullets, `N. ` numbers, ` | ` cells).
 * Marks (bold, colour, link …) are ignored: a link keeps its text and drops its href, because
 * the index wants what a reader sees, and URLs typed as text are kept anyway.
 */
import { emojiFromId } from './emoji';
import { DEFAULT_MAX_CHARS, TextWriter } from './text-writer';

export interface AdfToTextOptions {
  /** Display name for a mentioned account id; preferred over the name frozen in the document. */
  mentionName?: (accountId: string) => string | undefined;
  /** Longest text returned (default 1,000,000 characters); the rest is cut. */
  maxChars?: number;
}

interface AdfNode {
  type?: unknown;
  text?: unknown;
  attrs?: Record<string, unknown>;
  content?: unknown;
}

/** What a child needs to know about its parent: the list it is an item of, the row it is a cell of. */
interface ListState {
  ordered: boolean;
  next: number;
}
interface RowState {
  cells: number;
}

type Work = { node: unknown; list?: ListState; row?: RowState } | { exit: () => void };

const PARAGRAPH_BLOCKS = new Set([
  'paragraph',
  'heading',
  'blockquote',
  'panel',
  'table',
  'rule',
  'layoutSection',
  'layoutColumn',
  'bodiedExtension',
  'mediaSingle',
  'mediaGroup',
  'blockCard',
  'embedCard',
]);

/** Editor-only nodes: a placeholder is the hint shown in an empty template field. */
const SKIPPED = new Set(['placeholder']);

export function adfToText(doc: unknown, options: AdfToTextOptions = {}): string {
  if (!isNode(doc)) return '';
  const writer = new TextWriter(options.maxChars ?? DEFAULT_MAX_CHARS);
  const stack: Work[] = [{ node: doc }];
  while (stack.length > 0 && !writer.truncated) {
    const work = stack.pop()!;
    if ('exit' in work) {
      work.exit();
      continue;
    }
    if (!isNode(work.node)) continue;
    visit(work.node, work, writer, stack, options);
  }
  return writer.toString();
}

function visit(
  node: AdfNode,
  from: { list?: ListState; row?: RowState },
  writer: TextWriter,
  stack: Work[],
  options: AdfToTextOptions,
): void {
  const type = typeof node.type === 'string' ? node.type : '';
  const attrs = node.attrs ?? {};
  const children = Array.isArray(node.content) ? (node.content as unknown[]) : [];
  // Children are pushed in reverse so they pop in document order; `exit` runs after them.
  const descend = (extra: { list?: ListState; row?: RowState } = {}, exit?: () => void): void => {
    if (exit) stack.push({ exit });
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], ...extra });
  };
  if (SKIPPED.has(type)) return;

  if (PARAGRAPH_BLOCKS.has(type)) {
    const kind = writer.inList && type === 'paragraph' ? 'line' : 'paragraph';
    writer.break(kind);
    if (type === 'blockCard' || type === 'embedCard') writer.text(str(attrs.url) ?? '');
    descend({}, () => writer.break(kind));
    return;
  }

  switch (type) {
    case 'text':
      writer.text(str(node.text) ?? '');
      return;
    case 'hardBreak':
      writer.break('line');
      return;
    case 'codeBlock':
      // Code is a flat run of text nodes; keep it verbatim.
      writer.break('paragraph');
      writer.verbatim(children.map((c) => (isNode(c) ? (str(c.text) ?? '') : '')).join(''));
      writer.break('paragraph');
      return;
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
    case 'decisionList': {
      const order = typeof attrs.order === 'number' && Number.isFinite(attrs.order) ? attrs.order : 1;
      const list: ListState = { ordered: type === 'orderedList', next: order };
      // ADF nests task lists directly inside task lists; that nesting is one level deeper.
      writer.enterList();
      descend({ list }, () => writer.exitList());
      return;
    }
    case 'listItem':
    case 'decisionItem': {
      const list = from.list;
      writer.item(list?.ordered ? `${list.next++}. ` : '- ');
      descend({}, () => writer.break('line'));
      return;
    }
    case 'taskItem':
      writer.item(attrs.state === 'DONE' ? '[x] ' : '[ ] ');
      descend({}, () => writer.break('line'));
      return;
    case 'tableRow': {
      writer.break('line');
      descend({ row: { cells: 0 } }, () => writer.break('line'));
      return;
    }
    case 'tableHeader':
    case 'tableCell': {
      const index = from.row ? from.row.cells++ : 0;
      writer.enterCell(index);
      descend({}, () => writer.exitCell());
      return;
    }
    case 'expand':
    case 'nestedExpand': {
      writer.break('paragraph');
      const title = str(attrs.title);
      if (title && title.trim()) {
        writer.text(title);
        writer.break('line');
      }
      descend({}, () => writer.break('paragraph'));
      return;
    }
    case 'mention':
      writer.text(mentionText(attrs, options));
      return;
    case 'emoji':
      writer.text(str(attrs.text) || emojiFromId(str(attrs.id)) || str(attrs.shortName) || '');
      return;
    case 'inlineCard':
      writer.text(str(attrs.url) ?? urlOfCardData(attrs.data) ?? '');
      return;
    case 'date':
      writer.text(isoDate(attrs.timestamp) ?? '');
      return;
    case 'status':
      writer.text(str(attrs.text) ?? '');
      return;
    case 'media':
    case 'mediaInline': {
      const label = str(attrs.alt) || str(attrs.__fileName);
      if (label) {
        writer.space();
        writer.text(label);
        writer.space();
      }
      return;
    }
    case 'caption':
      writer.break('line');
      descend({}, () => writer.break('line'));
      return;
    default:
      // doc, unknown or future node types: their text and children, in order.
      if (typeof node.text === 'string') writer.text(node.text);
      else if (children.length === 0 && typeof attrs.text === 'string') writer.text(attrs.text);
      descend();
  }
}

function mentionText(attrs: Record<string, unknown>, options: AdfToTextOptions): string {
  const id = str(attrs.id);
  let name: string | undefined;
  if (id && options.mentionName) {
    try {
      name = options.mentionName(id);
    } catch {
      name = undefined;
    }
  }
  // `attrs.text` is the name as it was when mentioned ("@Jane Doe"); may be empty for
  // users the viewer cannot see.
  name ||= str(attrs.text);
  if (!name) return id ? `@${id}` : '';
  return name.startsWith('@') ? name : `@${name}`;
}

/** `date` nodes carry a UTC epoch-milliseconds timestamp as a string. */
function isoDate(timestamp: unknown): string | undefined {
  const ms = typeof timestamp === 'number' ? timestamp : Number(str(timestamp));
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().slice(0, 10);
}

function urlOfCardData(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const d = data as Record<string, unknown>;
  return str(d.url) ?? str(d.name);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function isNode(v: unknown): v is AdfNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
