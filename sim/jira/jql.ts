// The JQL subset a sync connector needs: project, id/key, created/updated (and resolved) comparisons with
// AND / OR / NOT and parentheses, and multi-field ORDER BY. Date literals are read in the caller's time
// zone at minute precision; epoch-millisecond numbers are absolute instants. Errors use Jira's messages.
import { floorToMinute, MINUTE_MS, zonedToEpoch } from '../core/time-zone';

export class JqlError extends Error {}

export type Operand = { kind: 'string' | 'word'; value: string } | { kind: 'number'; value: number };

export type Clause =
  | { kind: 'and' | 'or'; items: Clause[] }
  | { kind: 'not'; item: Clause }
  | { kind: 'cmp'; field: string; op: string; values: Operand[] };

export interface OrderTerm {
  field: 'updated' | 'created' | 'id' | 'key' | 'resolved';
  desc: boolean;
}

export interface JqlQuery {
  where?: Clause;
  orderBy: OrderTerm[];
}

interface Token {
  type: 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma';
  value: string;
  pos: number;
}

function tokenize(jql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ type: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', value: c, pos: i });
      i++;
      continue;
    }
    const op = /^(!=|>=|<=|!~|=|>|<|~)/.exec(jql.slice(i));
    if (op) {
      out.push({ type: 'op', value: op[1]!, pos: i });
      i += op[1]!.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < jql.length && jql[j] !== c) {
        if (jql[j] === '\\' && j + 1 < jql.length) j++;
        value += jql[j];
        j++;
      }
      if (j >= jql.length) throw syntax(`The quoted string '${value}' has not been completed.`, i);
      out.push({ type: 'string', value, pos: i });
      i = j + 1;
      continue;
    }
    const word = /^[^\s()",'=!<>~]+/.exec(jql.slice(i));
    if (!word) throw syntax(`The character '${c}' is a reserved JQL character.`, i);
    out.push({ type: 'word', value: word[0], pos: i });
    i += word[0].length;
  }
  return out;
}

function syntax(message: string, pos: number): JqlError {
  return new JqlError(`Error in the JQL Query: ${message} (line 1, character ${pos + 1})`);
}

const FIELD_ALIASES: Record<string, string> = {
  project: 'project',
  updated: 'updated',
  updateddate: 'updated',
  created: 'created',
  createddate: 'created',
  resolved: 'resolved',
  resolutiondate: 'resolved',
  id: 'key',
  key: 'key',
  issuekey: 'key',
  issue: 'key',
  parent: 'parent',
};

/** Sortable fields; `project` sorts like `key` (by project, then issue number). */
const ORDER_ALIASES: Record<string, OrderTerm['field']> = {
  updated: 'updated',
  updateddate: 'updated',
  created: 'created',
  createddate: 'created',
  resolved: 'resolved',
  resolutiondate: 'resolved',
  id: 'id',
  key: 'key',
  issuekey: 'key',
  project: 'key',
};

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isKeyword(t: Token | undefined, kw: string): boolean {
    return t !== undefined && t.type === 'word' && t.value.toUpperCase() === kw;
  }

  parse(): JqlQuery {
    let where: Clause | undefined;
    if (this.peek() && !this.isKeyword(this.peek(), 'ORDER')) where = this.or();
    const orderBy: OrderTerm[] = [];
    if (this.isKeyword(this.peek(), 'ORDER')) {
      this.i++;
      if (!this.isKeyword(this.peek(), 'BY'))
        throw syntax("Expecting 'by' but got something else.", this.pos());
      this.i++;
      for (;;) {
        const t = this.peek();
        if (!t || t.type !== 'word') throw syntax('Expecting a field name.', this.pos());
        this.i++;
        const field = ORDER_ALIASES[t.value.toLowerCase()];
        if (!field) throw new JqlError(`Not able to sort using field '${t.value}'.`);
        orderBy.push({ field, desc: false });
        const dir = this.peek();
        if (this.isKeyword(dir, 'ASC') || this.isKeyword(dir, 'DESC')) {
          orderBy[orderBy.length - 1]!.desc = dir!.value.toUpperCase() === 'DESC';
          this.i++;
        }
        if (this.peek()?.type === 'comma') {
          this.i++;
          continue;
        }
        break;
      }
      if (orderBy.length > 7) throw new JqlError('The ORDER BY clause can contain at most 7 fields.');
    }
    const rest = this.peek();
    if (rest) throw syntax(`Expecting either 'OR' or 'AND' but got '${rest.value}'.`, rest.pos);
    return { ...(where ? { where } : {}), orderBy };
  }

  private pos(): number {
    return this.peek()?.pos ?? this.tokens.at(-1)?.pos ?? 0;
  }

  private or(): Clause {
    const items = [this.and()];
    while (this.isKeyword(this.peek(), 'OR')) {
      this.i++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(): Clause {
    const items = [this.unary()];
    while (this.isKeyword(this.peek(), 'AND')) {
      this.i++;
      items.push(this.unary());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private unary(): Clause {
    const t = this.peek();
    if (this.isKeyword(t, 'NOT')) {
      this.i++;
      return { kind: 'not', item: this.unary() };
    }
    if (t?.type === 'lparen') {
      this.i++;
      const inner = this.or();
      if (this.peek()?.type !== 'rparen') throw syntax("Expecting ')'.", this.pos());
      this.i++;
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Clause {
    const f = this.peek();
    if (!f || (f.type !== 'word' && f.type !== 'string')) throw syntax('Expecting a field name.', this.pos());
    this.i++;
    const field = FIELD_ALIASES[f.value.toLowerCase()];
    if (!field)
      throw new JqlError(`Field '${f.value}' does not exist or you do not have permission to view it.`);
    let op: string;
    const t = this.peek();
    if (t?.type === 'op') {
      op = t.value;
      this.i++;
    } else if (this.isKeyword(t, 'IN')) {
      op = 'in';
      this.i++;
    } else if (this.isKeyword(t, 'NOT') && this.isKeyword(this.tokens[this.i + 1], 'IN')) {
      op = 'not in';
      this.i += 2;
    } else if (this.isKeyword(t, 'IS')) {
      this.i++;
      op = 'is';
      if (this.isKeyword(this.peek(), 'NOT')) {
        op = 'is not';
        this.i++;
      }
      const v = this.peek();
      if (!this.isKeyword(v, 'EMPTY') && !this.isKeyword(v, 'NULL')) {
        throw syntax(`Expecting 'EMPTY' or 'NULL' but got '${v?.value ?? 'end of query'}'.`, this.pos());
      }
      this.i++;
      return { kind: 'cmp', field, op, values: [] };
    } else throw syntax(`Expecting operator but got '${t?.value ?? 'end of query'}'.`, this.pos());
    if (op === '~' || op === '!~')
      throw new JqlError(`The operator '${op}' is not supported by the '${f.value}' field.`);
    const values = op === 'in' || op === 'not in' ? this.list() : [this.operand()];
    return { kind: 'cmp', field, op, values };
  }

  private list(): Operand[] {
    if (this.peek()?.type !== 'lparen') throw syntax("Expecting '(' after IN.", this.pos());
    this.i++;
    const out = [this.operand()];
    while (this.peek()?.type === 'comma') {
      this.i++;
      out.push(this.operand());
    }
    if (this.peek()?.type !== 'rparen') throw syntax("Expecting ')'.", this.pos());
    this.i++;
    return out;
  }

  private operand(): Operand {
    const t = this.peek();
    if (!t || (t.type !== 'word' && t.type !== 'string')) throw syntax('Expecting a value.', this.pos());
    this.i++;
    if (t.type === 'string') return { kind: 'string', value: t.value };
    if (/^-?\d+$/.test(t.value)) return { kind: 'number', value: Number(t.value) };
    return { kind: 'word', value: t.value };
  }
}

export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).parse();
}

const DATE_LITERAL = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD = /^([-+]?)((?:\d+[wdhm]\s*)+)$/;

/**
 * The instant a date operand denotes, floored to the minute. Numbers are epoch milliseconds (absolute);
 * date strings are wall-clock times in the caller's zone; periods (`-5d`, `-1w 2d`) are relative to now.
 */
export function dateOperand(operand: Operand, fieldName: string, timeZone: string, now: number): number {
  if (operand.kind === 'number') return floorToMinute(operand.value);
  const value = operand.value.trim();
  const m = DATE_LITERAL.exec(value);
  if (m) {
    const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0'].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60) {
      return zonedToEpoch({ year, month, day, hour, minute }, timeZone);
    }
  }
  const p = PERIOD.exec(value);
  if (p) {
    const sign = p[1] === '-' ? -1 : 1;
    let ms = 0;
    for (const part of p[2]!.matchAll(/(\d+)([wdhm])/g)) {
      const unit = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: MINUTE_MS }[
        part[2] as 'w' | 'd' | 'h' | 'm'
      ];
      ms += Number(part[1]) * unit;
    }
    return floorToMinute(now + sign * ms);
  }
  throw new JqlError(
    `Date value '${operand.value}' for field '${fieldName}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', ` +
      `'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

/** Compares at minute precision: Jira's date clauses cannot tell seconds apart. */
export function compareDate(value: number | undefined, op: string, operand: number): boolean {
  if (value === undefined) return op === '!=';
  const v = floorToMinute(value);
  switch (op) {
    case '=':
      return v === operand;
    case '!=':
      return v !== operand;
    case '>':
      return v > operand;
    case '>=':
      return v >= operand;
    case '<':
      return v < operand;
    case '<=':
      return v <= operand;
    default:
      throw new JqlError(`The operator '${op}' is not supported by date fields.`);
  }
}
