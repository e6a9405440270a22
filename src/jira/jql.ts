// JQL for the per-project traversals. Bounds are epoch milliseconds: JQL reads date literals such as
// "2026/01/31 10:00" in the caller's profile time zone with minute precision, while a number is an absolute
// instant, so no time-zone or DST trap exists (ENDPOINTS.md §3.1).

/** Quotes a JQL value (project keys, names); ids and numbers need no quoting. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export interface ProjectJqlOptions {
  /** Project id (stable across key renames). */
  projectId: string;
  /** Inclusive lower bound on `updated`, epoch millis. */
  updatedFrom?: number;
  /** Exclusive upper bound on `updated`, epoch millis (whole minutes: JQL compares at minute precision). */
  updatedBefore?: number;
  /** Inclusive lower / exclusive upper bound on `created`, epoch millis (whole minutes). */
  createdFrom?: number;
  createdBefore?: number;
  /** Ascending `updated` with `id` as the tie-break (issues sharing a timestamp keep a stable order). */
  ordered?: boolean;
}

/** `project = 10000 AND updated >= 1767225600000 AND updated <= … ORDER BY updated ASC, id ASC`. */
export function projectJql(options: ProjectJqlOptions): string {
  const clauses = [`project = ${options.projectId}`];
  if (options.updatedFrom !== undefined) clauses.push(`updated >= ${Math.floor(options.updatedFrom)}`);
  if (options.updatedBefore !== undefined) clauses.push(`updated < ${Math.floor(options.updatedBefore)}`);
  if (options.createdFrom !== undefined) clauses.push(`created >= ${Math.floor(options.createdFrom)}`);
  if (options.createdBefore !== undefined) clauses.push(`created < ${Math.floor(options.createdBefore)}`);
  const where = clauses.join(' AND ');
  return options.ordered === false ? where : `${where} ORDER BY updated ASC, id ASC`;
}

/** `id in (1, 2, 3)`: at most a few hundred ids per query keeps the JQL well under Jira's length limits. */
export function idsJql(ids: readonly string[]): string {
  if (ids.length === 0) throw new Error('idsJql needs at least one id');
  return `id in (${ids.map((id) => (/^\d+$/.test(id) ? id : jqlString(id))).join(', ')})`;
}
