// Executes parsed JQL against the model for one caller, and pages with `nextPageToken`. The token is a
// keyset position (the sort key of the last issue returned), so issues that change between pages move
// rather than shift their neighbours: nothing is skipped, an updated issue may be seen again later.
import { createHash } from 'node:crypto';
import type { JiraAccess } from './access';
import {
  compareDate,
  dateOperand,
  JqlError,
  parseJql,
  type Clause,
  type Operand,
  type OrderTerm,
} from './jql';
import type { JiraIssue, JiraStore } from './model';
import type { SearchIndexLag } from './search-index';

export interface SearchScope {
  store: JiraStore;
  access: JiraAccess;
  caller: string;
  timeZone: string;
  now: number;
  index?: SearchIndexLag;
  /** Issue ids to read in their current state (`reconcileIssues`). */
  reconcile?: ReadonlySet<string>;
}

type SortValue = number | string;

export interface CompiledSearch {
  matches(issue: JiraIssue): boolean;
  sortKey(issue: JiraIssue): SortValue[];
  compareKeys(a: SortValue[], b: SortValue[]): number;
  /** Stable fingerprint of the query, bound into page tokens. */
  fingerprint: string;
  /** When set, only issues of these projects can match. */
  projects?: ReadonlySet<string>;
}

export const UNBOUNDED_MESSAGE =
  'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';

/** Without ORDER BY, newest first (ids ascend with creation); ids also break every tie. */
const DEFAULT_ORDER: OrderTerm[] = [{ field: 'id', desc: true }];

export function compileSearch(jql: string, scope: SearchScope): CompiledSearch {
  const query = parseJql(jql);
  if (!query.where) throw new JqlError(UNBOUNDED_MESSAGE);
  const predicate = compileClause(query.where, scope);
  const projects = pinnedProjects(query.where, scope);
  const order = query.orderBy.length > 0 ? query.orderBy : DEFAULT_ORDER;
  const terms = order.some((t) => t.field === 'id')
    ? order
    : [...order, { field: 'id' as const, desc: false }];
  const projectKeyOf = (issue: JiraIssue): string => scope.store.projects.get(issue.projectId)?.key ?? '';
  return {
    matches: predicate,
    sortKey: (issue) =>
      terms.flatMap((t): SortValue[] => {
        switch (t.field) {
          case 'updated':
            return [issue.updated];
          case 'created':
            return [issue.created];
          case 'resolved':
            return [issue.resolutionDate ?? Number.MAX_SAFE_INTEGER];
          case 'id':
            return [Number(issue.id)];
          case 'key':
            return [projectKeyOf(issue), Number(issue.key.split('-')[1])];
        }
      }),
    compareKeys: (a, b) => {
      let i = 0;
      for (const t of terms) {
        const width = t.field === 'key' ? 2 : 1;
        for (let w = 0; w < width; w++, i++) {
          const x = a[i]!;
          const y = b[i]!;
          const c = x < y ? -1 : x > y ? 1 : 0;
          if (c !== 0) return t.desc ? -c : c;
        }
      }
      return 0;
    },
    fingerprint: createHash('sha256').update(jql.trim()).digest('hex').slice(0, 16),
    ...(projects ? { projects } : {}),
  };
}

function projectIds(values: readonly Operand[], scope: SearchScope): Set<string> {
  return new Set(
    values.map((v) => {
      const text = operandText(v);
      const project =
        scope.store.findProject(text) ??
        [...scope.store.projects.values()].find((p) => p.name.toLowerCase() === text.toLowerCase());
      // A project the caller cannot see is reported exactly like one that does not exist.
      if (!project || !scope.access.canViewProject(scope.caller, project)) {
        throw new JqlError(`The value '${text}' does not exist for the field 'project'.`);
      }
      return project.id;
    }),
  );
}

/** Projects a query is confined to (`project = X` / `project in (…)` at its top level), if any. */
function pinnedProjects(clause: Clause, scope: SearchScope): Set<string> | undefined {
  if (clause.kind === 'cmp') {
    return clause.field === 'project' && (clause.op === '=' || clause.op === 'in')
      ? projectIds(clause.values, scope)
      : undefined;
  }
  if (clause.kind !== 'and') return undefined;
  for (const item of clause.items) {
    const pinned = pinnedProjects(item, scope);
    if (pinned) return pinned;
  }
  return undefined;
}

function operandText(o: Operand): string {
  return String(o.value);
}

function compileClause(clause: Clause, scope: SearchScope): (issue: JiraIssue) => boolean {
  switch (clause.kind) {
    case 'and': {
      const parts = clause.items.map((c) => compileClause(c, scope));
      return (issue) => parts.every((p) => p(issue));
    }
    case 'or': {
      const parts = clause.items.map((c) => compileClause(c, scope));
      return (issue) => parts.some((p) => p(issue));
    }
    case 'not': {
      const inner = compileClause(clause.item, scope);
      return (issue) => !inner(issue);
    }
    case 'cmp':
      return compileComparison(clause, scope);
  }
}

function compileComparison(
  clause: Extract<Clause, { kind: 'cmp' }>,
  scope: SearchScope,
): (issue: JiraIssue) => boolean {
  const { field, op, values } = clause;
  if (op === 'is' || op === 'is not') {
    const empty = (issue: JiraIssue): boolean => {
      switch (field) {
        case 'parent':
          return issue.parentId === undefined;
        case 'resolved':
          return issue.resolutionDate === undefined;
        case 'updated':
        case 'created':
        case 'key':
        case 'project':
          return false;
        default:
          return true;
      }
    };
    return (issue) => empty(issue) === (op === 'is');
  }
  const negate = op === '!=' || op === 'not in';
  const equality = op === '=' || op === '!=' || op === 'in' || op === 'not in';
  if (field === 'updated' || field === 'created' || field === 'resolved') {
    if (op === 'in' || op === 'not in')
      throw new JqlError(`The operator '${op}' is not supported by the '${field}' field.`);
    const at = dateOperand(values[0]!, field, scope.timeZone, scope.now);
    const pick = (i: JiraIssue): number | undefined =>
      field === 'updated' ? i.updated : field === 'created' ? i.created : i.resolutionDate;
    return (issue) => compareDate(pick(issue), op, at);
  }
  if (!equality) throw new JqlError(`The operator '${op}' is not supported by the '${field}' field.`);
  if (field === 'project') {
    const ids = projectIds(values, scope);
    return (issue) => ids.has(issue.projectId) !== negate;
  }
  // key / id / issuekey / parent: numbers are ids, words are keys (unknown keys are an error, as in Jira).
  const ids = new Set(
    values.map((v) => {
      if (v.kind === 'number') return String(v.value);
      const issue = scope.store.findIssue(v.value);
      if (!issue)
        throw new JqlError(
          `An issue with key '${v.value}' does not exist for field '${field === 'parent' ? 'parent' : 'key'}'.`,
        );
      return issue.id;
    }),
  );
  if (field === 'parent')
    return (issue) => (issue.parentId !== undefined && ids.has(issue.parentId)) !== negate;
  return (issue) => ids.has(issue.id) !== negate;
}

interface TokenPayload {
  f: string;
  k: SortValue[];
}

export function encodePageToken(search: CompiledSearch, last: JiraIssue): string {
  const payload: TokenPayload = { f: search.fingerprint, k: search.sortKey(last) };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/** The keyset position in a token; throws InvalidPageToken for garbage or a token of another query. */
export function decodePageToken(search: CompiledSearch, token: string): SortValue[] {
  let payload: TokenPayload;
  try {
    payload = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenPayload;
  } catch {
    throw new InvalidPageToken();
  }
  if (!payload || payload.f !== search.fingerprint || !Array.isArray(payload.k)) throw new InvalidPageToken();
  return payload.k;
}

export class InvalidPageToken extends Error {
  constructor() {
    super('The provided next page token is invalid or expired.');
  }
}

/**
 * Matching issues the caller may see, in query order, strictly after `after` when given. The full ordered
 * result is cached per query, caller and data version, so a long nextPageToken walk costs one evaluation
 * plus a binary search per page instead of a scan and sort per page.
 */
export function runSearch(
  search: CompiledSearch,
  scope: SearchScope,
  after?: SortValue[],
  limit?: number,
): JiraIssue[] {
  const ordered = orderedMatches(search, scope);
  // A page needs `limit` issues (and one more to know it is not the last), not the whole rest of the walk.
  const end = (from: number): number | undefined => (limit === undefined ? undefined : from + limit);
  if (!after) return ordered.slice(0, end(0)).map((x) => x.issue);
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (search.compareKeys(ordered[mid]!.key, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return ordered.slice(lo, end(lo)).map((x) => x.issue);
}

interface Ordered {
  issue: JiraIssue;
  key: SortValue[];
}

/** Bounds on the result cache: distinct queries, and issues held across all of them. */
const CACHE_QUERIES = 16;
const CACHE_ISSUES = 200_000;
const resultCache = new WeakMap<JiraStore, Map<string, Ordered[]>>();

const projectIndex = new WeakMap<JiraStore, { revision: number; byProject: Map<string, JiraIssue[]> }>();

function issuesOf(store: JiraStore, projects: ReadonlySet<string>): JiraIssue[] {
  let cached = projectIndex.get(store);
  if (!cached || cached.revision !== store.revision) {
    const byProject = new Map<string, JiraIssue[]>();
    for (const issue of store.issues.values()) {
      const list = byProject.get(issue.projectId);
      if (list) list.push(issue);
      else byProject.set(issue.projectId, [issue]);
    }
    cached = { revision: store.revision, byProject };
    projectIndex.set(store, cached);
  }
  const byProject = cached.byProject;
  return [...projects].flatMap((id) => byProject.get(id) ?? []);
}

function orderedMatches(search: CompiledSearch, scope: SearchScope): Ordered[] {
  const cacheKey = [
    search.fingerprint,
    scope.caller,
    scope.timeZone,
    Math.floor(scope.now / 60_000),
    scope.store.revision,
    scope.access.directorySignature(),
    scope.index?.signature(scope.now) ?? '0',
    [...(scope.reconcile ?? [])].sort().join(','),
  ].join('|');
  let cache = resultCache.get(scope.store);
  if (!cache) {
    cache = new Map();
    resultCache.set(scope.store, cache);
  }
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const out: Ordered[] = [];
  const reconcile = scope.reconcile ?? new Set<string>();
  // With nothing pending the index shows every issue as it is, and a query pinned to projects need only
  // look at theirs (ids order every result totally, so which issues go in first does not matter).
  const index = scope.index?.idle() ? undefined : scope.index;
  const issues =
    search.projects && !index ? issuesOf(scope.store, search.projects) : scope.store.issues.values();
  for (const current of issues) {
    const indexed = index ? index.view(current, scope.now, reconcile) : current;
    if (!indexed || !search.matches(indexed) || !scope.access.canSearchIssue(scope.caller, current)) continue;
    // Matched and ordered as indexed; returned as it is now.
    out.push({ issue: current, key: search.sortKey(indexed) });
  }
  out.sort((a, b) => search.compareKeys(a.key, b.key));
  cache.set(cacheKey, out);
  let held = 0;
  for (const v of cache.values()) held += v.length;
  while (cache.size > 1 && (cache.size > CACHE_QUERIES || held > CACHE_ISSUES)) {
    const oldest = cache.keys().next().value!;
    held -= cache.get(oldest)!.length;
    cache.delete(oldest);
  }
  return out;
}
