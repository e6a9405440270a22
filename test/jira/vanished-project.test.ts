// A project that leaves the selection turns its documents into tombstones, except those of issues that
// moved to a project still synced: that project emits them again, and a tombstone dated later would win
// over them in an append_dedup destination.
import { harnessSite, projectsBySize, readStream, streamOf } from './harness-client';

test('children of an issue moved to a synced project are not tombstoned when its old project leaves', async () => {
  const site = harnessSite({ scale: 'small', seed: 7 });
  const model = site.harness.module.model;
  const control = site.harness.module.control;
  const visible = (s: string) => site.harness.module.visibleIds(s)!;
  const [a, b] = projectsBySize(site);
  const names = ['jira_issues', 'jira_comments'];
  const first: Record<string, Awaited<ReturnType<typeof readStream>>> = {};
  for (const n of names) first[n] = await readStream(streamOf(site, {}, n));
  const moved = [...visible('jira_issues')]
    .map((id) => model.issues.get(id)!)
    .find(
      (i) =>
        i.projectId === a!.id &&
        i.issueTypeId !== '10004' &&
        i.commentIds.some((c) => visible('jira_comments').has(c)),
    )!;
  const comments = moved.commentIds.filter((c) => visible('jira_comments').has(c));
  control.moveIssue({ issue: moved.id, toProjectKey: b!.key });

  const config = { jira: { projects: { exclude: [a!.key] } } };
  for (const n of names) {
    const second = await readStream(streamOf(site, config, n), { state: first[n]!.states.at(-1) });
    const kept = n === 'jira_issues' ? [moved.id] : comments;
    const tombstoned = second.records.filter((r) => r._ab_cdc_deleted_at).map((r) => r.id as string);
    // The rest of the old project is gone from the destination…
    expect(tombstoned.length).toBeGreaterThan(0);
    // …but not the moved issue's documents, which the new project emits with their new project.
    expect(tombstoned.filter((id) => kept.includes(id))).toEqual([]);
    for (const id of kept) {
      const emitted = second.records.filter((r) => r.id === id);
      expect(emitted.map((r) => r.project_id)).toEqual([b!.id]);
    }
  }
});

test('a project the paged listing skipped is asked for by id, not taken for gone', async () => {
  let skip: string | undefined; // a project id the next listing leaves out, as a shifted offset would
  const site = harnessSite({
    scale: 'small',
    seed: 7,
    transform: (_method, path, body) => {
      if (!skip || !path.endsWith('/project/search')) return body;
      const id = skip;
      skip = undefined;
      const bean = body as { values: { id: string }[] };
      return { ...bean, values: bean.values.filter((p) => p.id !== id) };
    },
  });
  const [a] = projectsBySize(site);
  const first = await readStream(streamOf(site, {}, 'jira_issues'));
  skip = a!.id;
  const asked = site.requests.length;
  const second = await readStream(streamOf(site, {}, 'jira_issues'), { state: first.states.at(-1) });
  expect(second.records.filter((r) => r._ab_cdc_deleted_at)).toEqual([]);
  const state = second.states.at(-1) as { partitions: Record<string, unknown> };
  expect(Object.keys(state.partitions)).toContain(a!.id);
  const listings = site.requests.slice(asked).filter((r) => r.path.endsWith('/project/search'));
  expect(listings.map((r) => r.query)).toEqual([
    expect.not.stringContaining('id='),
    expect.stringContaining(`id=${a!.id}`),
  ]);
});
