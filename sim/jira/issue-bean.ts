// `IssueBean` as the search, bulk-fetch and get-issue operations return it, honouring `fields` and `expand`.
import type { FieldSelection } from './field-selection';
import type { JiraIssue } from './model';
import { FIELD_NAMES, FIELD_SCHEMAS, fieldValue, renderedFieldValue, type RenderContext } from './render';
import type { JiraState } from './state';

export const ISSUE_EXPANDABLE =
  'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';

export interface BeanOptions {
  selection: FieldSelection;
  expand: Set<string>;
  /** GET issue and bulk fetch put `names`/`schema` on each issue; search puts them on the page. */
  namesOnIssue: boolean;
}

export function issueBean(
  state: JiraState,
  rc: RenderContext,
  caller: string,
  issue: JiraIssue,
  opts: BeanOptions,
): Record<string, unknown> {
  if (opts.selection.idsOnly && opts.expand.size === 0) return { id: issue.id };
  const canSeeComment = (c: Parameters<typeof state.access.commentVisibilityAllows>[1]): boolean =>
    state.access.commentVisibilityAllows(caller, c, issue);
  const fields: Record<string, unknown> = {};
  for (const f of opts.selection.fields) {
    const v = fieldValue(rc, issue, f, canSeeComment);
    if (v !== undefined) fields[f] = v;
  }
  const bean: Record<string, unknown> = {
    expand: ISSUE_EXPANDABLE,
    id: issue.id,
    self: `${rc.siteUrl}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
  };
  if (opts.expand.has('renderedFields')) {
    const rendered: Record<string, unknown> = {};
    for (const f of opts.selection.fields) rendered[f] = renderedFieldValue(rc, issue, f, canSeeComment);
    bean.renderedFields = rendered;
  }
  if (opts.namesOnIssue && opts.expand.has('names')) bean.names = namesFor(opts.selection.fields);
  if (opts.namesOnIssue && opts.expand.has('schema')) bean.schema = schemaFor(opts.selection.fields);
  if (opts.expand.has('changelog')) {
    // History is not modelled: an empty first page, shaped like the real one.
    bean.changelog = { startAt: 0, maxResults: 0, total: 0, histories: [] };
  }
  bean.fields = fields;
  return bean;
}

export function namesFor(fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(fields.filter((f) => FIELD_NAMES[f]).map((f) => [f, FIELD_NAMES[f]!]));
}

export function schemaFor(fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => FIELD_SCHEMAS[f]).map((f) => [f, FIELD_SCHEMAS[f]]));
}
