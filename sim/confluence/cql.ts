// The CQL subset the connector needs: `type`, `space`, `id`, `ancestor`, `parent`, `label`, `title`,
// `lastmodified` / `created` comparisons with date literals, AND / OR / parentheses and `order by`.
// Date literals ("yyyy-MM-dd HH:mm", "yyyy/MM/dd HH:mm", or a date alone) are wall-clock times in the
// CALLER'S time zone, and comparisons have minute precision (timestamps are truncated to the minute).
import { zonedToEpoch } from '../core/time-zone';

export interface CqlItem {
  type: 'page' | 'blogpost' | 'comment' | 'attachment';
  id: string;
  spaceKey: string;
  lastModified: number;
  created: number;
  title: string;
  ancestorIds: string[];
  parentId?: string;
  labels: string[];
}

type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; node: Node }
  | { kind: 'clause'; field: string; op: string; values: string[] };

export interface CqlQuery {
  where?: Node;
  orderBy: Array<{ field: string; desc: boolean }>;
}

export class CqlError extends Error {}

const TOKEN =
  /\s*(?:("(?:[^"\\]|\\.)*")|('(?:[^'\\]|\\.)*')|(!=|>=|<=|=|>|<|~|!~)|([(),])|([A-Za-z_][\w.-]*|-?\d[\w.:-]*))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new CqlError(`Could not parse cql : ${text} (at ${pos})`);
    tokens.push(m[0].trim());
    pos = TOKEN.lastIndex;
  }
  return tokens;
}

function unquote(token: string): string {
  if (/^["']/.test(token)) return token.slice(1, -1).replace(/\\(.)/g, '$1');
  return token;
}

export function parseCql(text: string): CqlQuery {
  const tokens = tokenize(text);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const next = (): string => {
    const t = tokens[i++];
    if (t === undefined) throw new CqlError(`Could not parse cql : ${text} (unexpected end)`);
    return t;
  };
  const isWord = (t: string | undefined, w: string): boolean => t?.toLowerCase() === w;

  const value = (): string => {
    const t = next();
    if (['(', ')', ','].includes(t)) throw new CqlError(`Could not parse cql : ${text} (value expected)`);
    return unquote(t);
  };
  const clause = (): Node => {
    if (peek() === '(') {
      next();
      const inner = or();
      if (next() !== ')') throw new CqlError(`Could not parse cql : ${text} (missing ')')`);
      return inner;
    }
    if (isWord(peek(), 'not')) {
      next();
      return { kind: 'not', node: clause() };
    }
    const field = next().toLowerCase();
    let op = next().toLowerCase();
    if (op === 'not' && isWord(peek(), 'in')) {
      next();
      op = 'not in';
    }
    if (op === 'in' || op === 'not in') {
      if (next() !== '(') throw new CqlError(`Could not parse cql : ${text} ('(' expected after in)`);
      const values = [value()];
      while (peek() === ',') {
        next();
        values.push(value());
      }
      if (next() !== ')') throw new CqlError(`Could not parse cql : ${text} (missing ')')`);
      return { kind: 'clause', field, op, values };
    }
    if (!['=', '!=', '>', '>=', '<', '<=', '~', '!~'].includes(op))
      throw new CqlError(`Could not parse cql : ${text} (bad operator ${op})`);
    return { kind: 'clause', field, op, values: [value()] };
  };
  const and = (): Node => {
    let left = clause();
    while (isWord(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: clause() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (isWord(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  const query: CqlQuery = { orderBy: [] };
  if (peek() !== undefined && !isWord(peek(), 'order')) query.where = or();
  if (isWord(peek(), 'order')) {
    next();
    if (!isWord(next(), 'by')) throw new CqlError(`Could not parse cql : ${text} (order by)`);
    do {
      if (peek() === ',') next();
      const field = next().toLowerCase();
      let desc = false;
      if (isWord(peek(), 'asc') || isWord(peek(), 'desc')) desc = next().toLowerCase() === 'desc';
      query.orderBy.push({ field, desc });
    } while (peek() === ',');
  }
  if (peek() !== undefined) throw new CqlError(`Could not parse cql : ${text} (unexpected ${peek()})`);
  return query;
}

export function parseDateLiteral(literal: string, timeZone: string): number {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?$/.exec(literal.trim());
  if (!m) throw new CqlError(`Could not parse cql : invalid date "${literal}"`);
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4] ?? 0, m[5] ?? 0].map(Number) as number[];
  return zonedToEpoch({ year: year!, month: month!, day: day!, hour: hour!, minute: minute! }, timeZone);
}

const MINUTE = 60_000;

/**
 * `dates` memoizes date literals for one query: converting a wall time in a zone is costly and the same
 * literal is compared against every candidate.
 */
export function evaluate(
  node: Node | undefined,
  item: CqlItem,
  timeZone: string,
  dates: Map<string, number> = new Map(),
): boolean {
  if (!node) return true;
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, item, timeZone, dates) && evaluate(node.right, item, timeZone, dates);
    case 'or':
      return evaluate(node.left, item, timeZone, dates) || evaluate(node.right, item, timeZone, dates);
    case 'not':
      return !evaluate(node.node, item, timeZone, dates);
    case 'clause':
      return clauseMatches(node, item, timeZone, dates);
  }
}

function clauseMatches(
  node: Extract<Node, { kind: 'clause' }>,
  item: CqlItem,
  timeZone: string,
  dates: Map<string, number>,
): boolean {
  const { field, op, values } = node;
  const equality = (actual: string[] | string): boolean => {
    const list = Array.isArray(actual) ? actual : [actual];
    const hit = values.some((v) => list.some((a) => a.toLowerCase() === v.toLowerCase()));
    if (op === '=' || op === 'in') return hit;
    if (op === '!=' || op === 'not in') return !hit;
    throw new CqlError(`Operator ${op} is not supported for ${field}`);
  };
  switch (field) {
    case 'type':
      return equality(item.type);
    case 'space':
    case 'space.key':
      return equality(item.spaceKey);
    case 'id':
    case 'content':
      return equality(item.id);
    case 'ancestor':
      return equality(item.ancestorIds);
    case 'parent':
      return equality(item.parentId ?? '');
    case 'label':
      return equality(item.labels);
    case 'title': {
      if (op === '~' || op === '!~') {
        const hit = item.title.toLowerCase().includes(values[0]!.toLowerCase().replace(/\*/g, ''));
        return op === '~' ? hit : !hit;
      }
      return equality(item.title);
    }
    case 'lastmodified':
    case 'created': {
      const actual = Math.floor((field === 'created' ? item.created : item.lastModified) / MINUTE) * MINUTE;
      let bound = dates.get(values[0]!);
      if (bound === undefined) dates.set(values[0]!, (bound = parseDateLiteral(values[0]!, timeZone)));
      switch (op) {
        case '=':
          return actual === bound;
        case '!=':
          return actual !== bound;
        case '>':
          return actual > bound;
        case '>=':
          return actual >= bound;
        case '<':
          return actual < bound;
        case '<=':
          return actual <= bound;
        default:
          throw new CqlError(`Operator ${op} is not supported for ${field}`);
      }
    }
    default:
      throw new CqlError(`Could not parse cql : unsupported field ${field}`);
  }
}

/**
 * The values `field` must equal (lower-cased) for any item to match: from `=` / `in` clauses joined by
 * AND at the top of the query; undefined when the query does not pin the field. Lets a search skip whole
 * spaces or content kinds before evaluating the query per item.
 */
export function pinnedValues(query: CqlQuery, ...fields: string[]): Set<string> | undefined {
  let pinned: Set<string> | undefined;
  const visit = (node: Node | undefined): void => {
    if (node?.kind === 'and') {
      visit(node.left);
      visit(node.right);
    } else if (
      node?.kind === 'clause' &&
      fields.includes(node.field) &&
      (node.op === '=' || node.op === 'in')
    ) {
      const values = new Set(node.values.map((v) => v.toLowerCase()));
      pinned = pinned ? new Set([...pinned].filter((v) => values.has(v))) : values;
    }
  };
  visit(query.where);
  return pinned;
}
