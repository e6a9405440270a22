// Many issues moved at once from one synced project to another: more than either project's issue digest
// can name. The comments that went with them still exist, in the other project: none may be tombstoned,
// and the project they moved to emits them again with its own id.
import type { SourceConfig } from '../../src/generated/config';
import { harnessSite, projectsBySize, readStream, streamOf, type HarnessSite } from './harness-client';

const HOUR = 3_600_000;

/**
 * A first jira_comments sync, then 40 issues without comments and one with comments moved together from
 * `pick(projects).source` to `.target`, then a second sync with `config`: its records, the moved comments.
 */
async function bulkMove(
  pick: (projects: ReturnType<typeof projectsBySize>) => {
    source: { id: string; key: string };
    target: { id: string; key: string };
  },
  config: (source: { key: string }) => Partial<SourceConfig>,
) {
  let now = Date.UTC(2026, 0, 1);
  const site: HarnessSite = harnessSite({ scale: 'small', seed: 7, wallClock: () => now });
  const { model, control } = site.harness.module;
  const visible = (s: string) => site.harness.module.visibleIds(s)!;
  const { source, target } = pick(projectsBySize(site));
  // Issues without comments, enough to overflow the issue digests when they move together.
  const quiet = Array.from({ length: 40 }, (_, n) =>
    control.createIssue({ projectKey: source.key, summary: `bulk ${n}` }),
  );
  now += HOUR;
  const first = await readStream(streamOf(site, {}, 'jira_comments'));

  // …and one issue with comments that moves with them.
  const withComments = [...visible('jira_issues')]
    .map((id) => model.issues.get(id)!)
    .find((i) => i.projectId === source.id && i.commentIds.some((c) => visible('jira_comments').has(c)))!;
  const comments = withComments.commentIds.filter((c) => visible('jira_comments').has(c));
  now += HOUR;
  for (const issue of [withComments, ...quiet])
    control.moveIssue({ issue: issue.id, toProjectKey: target.key });
  now += HOUR;

  const second = await readStream(streamOf(site, config(source), 'jira_comments'), {
    state: first.states.at(-1),
  });
  const tombstoned = second.records.filter((r) => r._ab_cdc_deleted_at).map((r) => r.id as string);
  expect(tombstoned.filter((id) => comments.includes(id))).toEqual([]);
  for (const id of comments)
    expect(second.records.filter((r) => r.id === id).map((r) => r.project_id)).toEqual([target.id]);
  return { tombstoned };
}

test('comments of issues bulk-moved to another synced project are not tombstoned, and are emitted again', async () => {
  // A small target: its digest overflows too.
  await bulkMove(
    (projects) => ({ source: projects[1]!, target: projects.at(-1)! }),
    () => ({}),
  );
});

test('comments of issues bulk-moved out of a project that then leaves the sync are not tombstoned', async () => {
  const { tombstoned } = await bulkMove(
    (projects) => ({ source: projects[1]!, target: projects[0]! }),
    (source) => ({ jira: { projects: { exclude: [source.key] } } }),
  );
  // The rest of the project that left is tombstoned, the comments that moved are not.
  expect(tombstoned.length).toBeGreaterThan(0);
});
