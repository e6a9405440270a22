// Many issues moved at once from one synced project to another: more than either project's issue digest
// can name. The comments that went with them still exist, in the other project: none may be tombstoned,
// and the project they moved to emits them again with its own id.
import { harnessSite, projectsBySize, readStream, streamOf } from './harness-client';

const HOUR = 3_600_000;

test('comments of issues bulk-moved to another synced project are not tombstoned, and are emitted again', async () => {
  let now = Date.UTC(2026, 0, 1);
  const site = harnessSite({ scale: 'small', seed: 7, wallClock: () => now });
  const model = site.harness.module.model;
  const control = site.harness.module.control;
  const visible = (s: string) => site.harness.module.visibleIds(s)!;
  const projects = projectsBySize(site);
  const [source, target] = [projects[1]!, projects.at(-1)!]; // a small target: its digest overflows too
  // Issues without comments, enough to overflow both issue digests when they move together.
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

  const second = await readStream(streamOf(site, {}, 'jira_comments'), { state: first.states.at(-1) });
  const tombstoned = second.records.filter((r) => r._ab_cdc_deleted_at).map((r) => r.id as string);
  expect(tombstoned.filter((id) => comments.includes(id))).toEqual([]);
  for (const id of comments)
    expect(second.records.filter((r) => r.id === id).map((r) => r.project_id)).toEqual([target.id]);
});

test('comments of issues bulk-moved out of a project that then leaves the sync are not tombstoned', async () => {
  let now = Date.UTC(2026, 0, 1);
  const site = harnessSite({ scale: 'small', seed: 7, wallClock: () => now });
  const model = site.harness.module.model;
  const control = site.harness.module.control;
  const visible = (s: string) => site.harness.module.visibleIds(s)!;
  const projects = projectsBySize(site);
  const [source, target] = [projects[1]!, projects[0]!];
  const quiet = Array.from({ length: 40 }, (_, n) =>
    control.createIssue({ projectKey: source.key, summary: `bulk ${n}` }),
  );
  now += HOUR;
  const first = await readStream(streamOf(site, {}, 'jira_comments'));

  const withComments = [...visible('jira_issues')]
    .map((id) => model.issues.get(id)!)
    .find((i) => i.projectId === source.id && i.commentIds.some((c) => visible('jira_comments').has(c)))!;
  const comments = withComments.commentIds.filter((c) => visible('jira_comments').has(c));
  now += HOUR;
  for (const issue of [withComments, ...quiet])
    control.moveIssue({ issue: issue.id, toProjectKey: target.key });
  now += HOUR;

  const config = { jira: { projects: { exclude: [source.key] } } };
  const second = await readStream(streamOf(site, config, 'jira_comments'), { state: first.states.at(-1) });
  const tombstoned = second.records.filter((r) => r._ab_cdc_deleted_at).map((r) => r.id as string);
  // The rest of the project that left is tombstoned, the comments that moved are not.
  expect(tombstoned.length).toBeGreaterThan(0);
  expect(tombstoned.filter((id) => comments.includes(id))).toEqual([]);
  for (const id of comments)
    expect(second.records.filter((r) => r.id === id).map((r) => r.project_id)).toEqual([target.id]);
});
