// The deletion digest's boundary covers everything a sync emitted: records created while the sync runs
// (after Jira's serverInfo time that starts it), records gone between their read and the sweep, and the
// children a pass emitted before a kill and the resumed pass that ends it.
import { harnessSite, readStream, streamOf, type HarnessSite } from './harness-client';

const HOUR = 3_600_000;

const live = (rs: Record<string, unknown>[]) =>
  rs.filter((r) => !r._ab_cdc_deleted_at).map((r) => r.id as string);
const dead = (rs: Record<string, unknown>[]) =>
  rs.filter((r) => r._ab_cdc_deleted_at).map((r) => r.id as string);

/**
 * A simulated site on a clock the test moves, with hooks on Jira's answers: one that runs once, right
 * after the next stream asked Jira for its time (the moment its passes and sweeps start from), and one
 * that sees every search page.
 */
function siteWithClock(options: { counts?: Record<string, number> } = {}) {
  let now = Date.UTC(2026, 0, 1);
  let hook: (() => void) | undefined;
  let onSearchPage: ((page: SearchPage) => void) | undefined;
  const site = harnessSite({
    scale: 'small',
    seed: 7,
    ...(options.counts ? { counts: options.counts } : {}),
    wallClock: () => now,
    transform: (_method, path, body) => {
      if (path.endsWith('/serverInfo') && hook) {
        const run = hook;
        hook = undefined;
        run();
      }
      if (path.endsWith('/search/jql')) onSearchPage?.(body as SearchPage);
      return body;
    },
  });
  return {
    site,
    control: site.harness.module.control,
    model: site.harness.module.model,
    advance: (ms: number) => (now += ms),
    afterServerInfo: (run: () => void) => (hook = run),
    watchSearch: (watch: ((page: SearchPage) => void) | undefined) => (onSearchPage = watch),
  };
}

interface SearchPage {
  issues?: Array<{ id: string; fields?: { summary?: string } }>;
}

/** Visible issues of the project with the most issues, by id. */
function issuesOfLargestProject(site: HarnessSite): string[] {
  const model = site.harness.module.model;
  const byProject = new Map<string, string[]>();
  for (const id of site.harness.module.visibleIds('jira_issues')!) {
    const p = model.issues.get(id)!.projectId;
    byProject.set(p, [...(byProject.get(p) ?? []), id]);
  }
  const largest = [...byProject.values()].sort((a, b) => b.length - a.length)[0]!;
  return largest.filter((id) => model.issues.get(id)!.issueTypeId !== '10004').sort((a, b) => +a - +b);
}

describe('jira_issues deletion digest', () => {
  it('tombstones an issue created while a sync ran and deleted before the next one', async () => {
    const { site, control, model, advance, afterServerInfo } = siteWithClock();
    const project = model.projects.get(model.issues.get(issuesOfLargestProject(site)[0]!)!.projectId)!;
    const stream = () => streamOf(site, {}, 'jira_issues');
    const first = await readStream(stream());

    advance(HOUR);
    const made: string[] = [];
    afterServerInfo(() => {
      advance(2 * 60_000);
      for (const summary of ['deleted before the next sync', 'kept'])
        made.push(control.createIssue({ projectKey: project.key, summary }).id);
    });
    const second = await readStream(stream(), { state: first.states.at(-1) });
    const [gone, kept] = made as [string, string];
    expect(live(second.records)).toEqual(expect.arrayContaining([gone, kept]));

    control.deleteIssue({ issue: gone });
    advance(HOUR);
    const third = await readStream(stream(), { state: second.states.at(-1) });
    expect(dead(third.records)).toEqual([gone]);
  });

  it('tombstones an issue deleted between its read by the search and the sweep', async () => {
    const { site, control, model, advance, watchSearch } = siteWithClock();
    const project = model.projects.get(model.issues.get(issuesOfLargestProject(site)[0]!)!.projectId)!;
    const stream = () => streamOf(site, {}, 'jira_issues');
    const first = await readStream(stream());

    advance(HOUR);
    const created = control.createIssue({ projectKey: project.key, summary: 'gone before the sweep' }).id;
    advance(HOUR);
    // The search's page with the issue (full fields, unlike the sweep's id-only pages) is its last sight.
    watchSearch((page) => {
      const seen = page.issues?.some((i) => i.id === created && i.fields?.summary !== undefined);
      if (seen && model.issues.has(created)) control.deleteIssue({ issue: created });
    });
    const second = await readStream(stream(), { state: first.states.at(-1) });
    watchSearch(undefined);
    expect(live(second.records)).toContain(created);
    expect(model.issues.has(created)).toBe(false);

    advance(HOUR);
    const third = await readStream(stream(), { state: second.states.at(-1) });
    expect(dead(third.records)).toEqual([created]);
  });
});

describe('jira_issues deletion digest across a kill', () => {
  it('tombstones an issue emitted by a sync killed before its sweep and deleted before the resumed one', async () => {
    const { site, control, model, advance } = siteWithClock({ counts: { issues: 2000 } });
    const issues = issuesOfLargestProject(site);
    const project = model.projects.get(model.issues.get(issues[0]!)!.projectId)!;
    const stream = () => streamOf(site, { max_concurrency: 1 }, 'jira_issues');
    const first = await readStream(stream());

    advance(HOUR);
    const made = control.createIssue({
      projectKey: project.key,
      summary: 'deleted before the resumed sync',
    }).id;
    // Updated after it: the next search emits it early, and a STATE (every 500 records) follows before the sweep.
    advance(60_000);
    for (const id of issues.slice(0, 600)) control.updateIssue({ issue: id, summary: 'touched' });
    advance(HOUR);
    // Killed at the first STATE after it was emitted, in the middle of the project's search.
    let killedAt: Record<string, unknown> | undefined;
    let seen = false;
    const controller = new AbortController();
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const state = first.states.at(-1);
    for await (const event of stream().read({
      syncMode: 'incremental',
      logger,
      signal: controller.signal,
      state,
    })) {
      if (event.type === 'record' && event.data.id === made) seen = true;
      if (event.type === 'state' && seen) {
        killedAt = event.state;
        break;
      }
    }
    const partitions = killedAt!.partitions as Record<string, { digest_before?: string }>;
    // Still the first sync's digest: the kill came before the sweep.
    expect(partitions[project.id]?.digest_before).toBe(
      (state!.partitions as Record<string, { digest_before?: string }>)[project.id]?.digest_before,
    );

    control.deleteIssue({ issue: made });
    advance(HOUR);
    const resumed = await readStream(stream(), { state: killedAt });
    advance(HOUR);
    const third = await readStream(stream(), { state: resumed.states.at(-1) });
    expect([...dead(resumed.records), ...dead(third.records)]).toEqual([made]);
  });
});

describe('jira_comments / jira_attachments deletion digest', () => {
  const kinds = [
    {
      stream: 'jira_comments',
      add: (c: ReturnType<typeof siteWithClock>['control'], issue: string) =>
        c.addComment({ issue, body: 'written during the pass' }).id,
      remove: (c: ReturnType<typeof siteWithClock>['control'], id: string) =>
        c.deleteComment({ commentId: id }),
    },
    {
      stream: 'jira_attachments',
      add: (c: ReturnType<typeof siteWithClock>['control'], issue: string) => c.addAttachment({ issue }).id,
      remove: (c: ReturnType<typeof siteWithClock>['control'], id: string) =>
        c.deleteAttachment({ attachmentId: id }),
    },
  ];
  for (const kind of kinds) {
    it(`${kind.stream}: tombstones a child added while the pass ran and deleted before the next one`, async () => {
      const { site, control, advance, afterServerInfo } = siteWithClock();
      const issue = issuesOfLargestProject(site).at(-1)!;
      const stream = () => streamOf(site, {}, kind.stream);
      const first = await readStream(stream());

      advance(HOUR);
      const added: string[] = [];
      afterServerInfo(() => {
        advance(2 * 60_000);
        added.push(kind.add(control, issue), kind.add(control, issue));
      });
      const second = await readStream(stream(), { state: first.states.at(-1) });
      const [gone, kept] = added as [string, string];
      expect(live(second.records)).toEqual(expect.arrayContaining([gone, kept]));

      kind.remove(control, gone);
      advance(HOUR);
      const third = await readStream(stream(), { state: second.states.at(-1) });
      expect(dead(third.records)).toEqual([gone]);
    });
  }

  it('jira_comments: a pass resumed after a kill keeps the boundary of what it emitted before', async () => {
    const { site, control, model, advance, afterServerInfo } = siteWithClock({
      counts: { issues: 2000, jiraComments: 6000 },
    });
    const issues = issuesOfLargestProject(site);
    const projectId = model.issues.get(issues[0]!)!.projectId;
    // One project at a time, largest first, small pages: the first STATE is taken in the middle of its pass.
    const stream = () => streamOf(site, { page_size: { jira: 20 }, max_concurrency: 1 }, 'jira_comments');

    // Two comments written once the pass has started, on its first page (issues by id).
    const added: string[] = [];
    afterServerInfo(() => {
      advance(2 * 60_000);
      for (const body of ['deleted before the next sync', 'kept'])
        added.push(control.addComment({ issue: issues[0]!, body }).id);
    });
    // Killed at the first STATE after they were emitted.
    let killedAt: Record<string, unknown> | undefined;
    let emitted = 0;
    const controller = new AbortController();
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    for await (const event of stream().read({ syncMode: 'incremental', logger, signal: controller.signal })) {
      if (event.type === 'record' && added.includes(event.data.id as string)) emitted++;
      if (event.type === 'state' && emitted === added.length) {
        killedAt = event.state;
        break;
      }
    }
    const partitions = killedAt!.partitions as Record<string, { pass_token?: string }>;
    expect(partitions[projectId]?.pass_token).toBeDefined();

    // The pass ends a sync later, from its saved page token: past the comments, which it does not read again.
    advance(HOUR);
    const resumed = await readStream(stream(), { state: killedAt });
    expect(live(resumed.records).filter((id) => added.includes(id))).toEqual([]);
    expect((resumed.states.at(-1)!.partitions as Record<string, object>)[projectId]).not.toHaveProperty(
      'pass_token',
    );

    const [gone] = added as [string, string];
    control.deleteComment({ commentId: gone });
    advance(HOUR);
    const third = await readStream(stream(), { state: resumed.states.at(-1) });
    expect(dead(third.records)).toEqual([gone]);
  });
});
