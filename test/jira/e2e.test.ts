// The Jira content streams end to end: the real connector (CLI, HTTP client, state handling) against the
// simulator over HTTP. Every stdout line is validated against the Airbyte protocol (runConnector), every
// record against its stream's schema.
import { startSimulator, type Simulator } from '../../sim';
import type { JiraControl } from '../../sim/jira';
import type { JiraStore } from '../../sim/jira/model';
import { apiMinimumPer1000, requestCost } from '../../src/jira/request-cost';
import { loadSchema } from '../../src/schemas';
import { dead, live, sorted, validate } from '../helpers/records';
import {
  outcome,
  records,
  runConnector,
  SUCCESS,
  spawnConnector,
  statesAsInput,
} from '../helpers/run-connector';

const STREAMS = ['jira_projects', 'jira_issues', 'jira_comments', 'jira_attachments'] as const;
const CONTENT = STREAMS.filter((s) => s !== 'jira_projects');

function catalog(names: readonly string[], mode: 'full_refresh' | 'incremental') {
  return {
    streams: names.map((name) => {
      const incremental = mode === 'incremental' && name !== 'jira_projects';
      return {
        stream: {
          name,
          json_schema: loadSchema(name),
          supported_sync_modes: name === 'jira_projects' ? ['full_refresh'] : ['full_refresh', 'incremental'],
        },
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: incremental ? 'append_dedup' : 'overwrite',
        ...(incremental ? { cursor_field: ['updated_at'], primary_key: [['id']] } : {}),
      };
    }),
  };
}

describe('jira streams end to end', () => {
  let sim: Simulator;
  let config: Record<string, unknown>;
  let model: JiraStore;
  let control: JiraControl;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 'small', seed: 17 });
    config = sim.connectorConfig({ confluence: { enabled: false } });
    model = sim.model.jira as JiraStore;
    control = sim.control.jira as unknown as JiraControl;
  });
  afterAll(() => sim.close());

  it('full refresh reads exactly what the service account may see, in valid records; prints requests per 1,000', async () => {
    const rows: string[] = [];
    for (const name of STREAMS) {
      sim.clearRequests();
      const run = await runConnector(['read'], { config, catalog: catalog([name], 'full_refresh') });
      expect(outcome(run)).toEqual(SUCCESS);
      const rs = records(run.messages, name);
      rs.forEach((r) => validate(name, r));
      expect(sorted(rs.map((r) => r.id as string))).toEqual(sorted(sim.truth.visibleIds(name)));
      // Attachment text comes through the real download path (redirect=false, size checked first).
      if (name === 'jira_attachments')
        expect(rs.filter((r) => typeof r.text === 'string').length).toBe(rs.length);
      const cost = requestCost(sim.requests(), rs.length);
      const minimum = apiMinimumPer1000(name, {
        projects: sim.truth.visibleIds('jira_projects').size,
        issues: sim.truth.visibleIds('jira_issues').size,
        records: rs.length,
        downloads: rs.filter(
          (r) => r.text != null || (r.extraction_error && !/too large/.test(String(r.extraction_error))),
        ).length,
      });
      rows.push(
        `${name.padEnd(17)} ${String(rs.length).padStart(5)} records  ${cost.per1000.toFixed(1).padStart(7)} requests/1,000  (API minimum ${minimum.toFixed(1)})`,
      );
      expect(cost.per1000).toBeLessThanOrEqual(2 * minimum);
    }
    console.log(`requests per 1,000 records (small site)\n${rows.join('\n')}`);
  });

  it('asks for the estimate side by side with the first pages, not before them', async () => {
    sim.clearRequests();
    sim.setKnobs({ latencyMs: 150 });
    try {
      const run = await runConnector(['read'], { config, catalog: catalog(['jira_issues'], 'full_refresh') });
      expect(outcome(run)).toEqual(SUCCESS);
    } finally {
      sim.setKnobs({ latencyMs: 0 });
    }
    const count = sim.requests().find((r) => r.path === '/rest/api/3/search/approximate-count')!;
    const firstPage = sim.requests().find((r) => r.path === '/rest/api/3/search/jql')!;
    // Awaited first, the first page would leave only after the count's 150 ms answer.
    expect(firstPage.at - count.at).toBeLessThan(150);
  });

  it('an incremental sync after edits, comments, deletions and moves emits the changes and tombstones', async () => {
    const first = await runConnector(['read'], { config, catalog: catalog(CONTENT, 'incremental') });
    expect(outcome(first)).toEqual(SUCCESS);
    const visible = (s: string) => sim.truth.visibleIds(s);
    const issues = [...visible('jira_issues')]
      .map((id) => model.issues.get(id)!)
      .filter((i) => i.issueTypeId !== '10004');
    const byProject = new Map<string, typeof issues>();
    for (const i of issues) byProject.set(i.projectId, [...(byProject.get(i.projectId) ?? []), i]);
    const ranked = [...byProject.entries()].sort((x, y) => y[1].length - x[1].length);
    const inA = ranked[0]![1];
    const bId = ranked[1]![0];
    const b = model.projects.get(bId)!;
    const withComment = inA.filter((i) => i.commentIds.some((c) => visible('jira_comments').has(c)));
    const edited = inA[0]!;
    const gone = withComment.find((i) => i !== edited)!;
    const moved = withComment.find((i) => i !== edited && i !== gone)!;
    const commentGone = withComment
      .find((i) => i !== gone && i !== moved)!
      .commentIds.find((c) => visible('jira_comments').has(c))!;
    const goneChildren = gone.commentIds.filter((c) => visible('jira_comments').has(c));
    const movedComments = moved.commentIds.filter((c) => visible('jira_comments').has(c));

    control.updateIssue({ issue: edited.id, summary: 'Edited through the control API' });
    const added = control.addComment({ issue: edited.id, body: 'A fresh comment' }).id;
    control.deleteComment({ commentId: commentGone });
    control.deleteIssue({ issue: gone.id });
    control.moveIssue({ issue: moved.id, toProjectKey: b.key });

    const second = await runConnector(['read'], {
      config,
      catalog: catalog(CONTENT, 'incremental'),
      state: statesAsInput(first.messages),
    });
    expect(second.exitCode).toBe(0);
    for (const name of CONTENT) records(second.messages, name).forEach((r) => validate(name, r));
    const secondIssues = records(second.messages, 'jira_issues');
    expect(live(secondIssues)).toEqual(expect.arrayContaining([edited.id, moved.id]));
    expect(secondIssues.find((r) => r.id === edited.id)).toMatchObject({
      summary: 'Edited through the control API',
    });
    expect(secondIssues.find((r) => r.id === moved.id)).toMatchObject({
      project_id: b.id,
      key: model.issues.get(moved.id)!.key,
    });
    expect(live(secondIssues).length).toBeLessThan(sim.truth.visibleIds('jira_issues').size / 4);
    expect(sorted(dead(secondIssues))).toEqual(sorted([gone.id]));
    const comments = records(second.messages, 'jira_comments');
    expect(live(comments)).toContain(added);
    expect(sorted(dead(comments))).toEqual(sorted([commentGone, ...goneChildren]));
    for (const c of movedComments) expect(dead(comments)).not.toContain(c);
    expect(records(second.messages, 'jira_comments').find((r) => r.id === added)).toMatchObject({
      body_text: 'A fresh comment',
    });
  });

  it('a sync killed at random points and resumed from its last state loses nothing', async () => {
    const fresh = await startSimulator({
      scale: { projects: 5, issues: 1500, jiraComments: 3000, jiraAttachments: 300 },
      seed: 23,
    });
    try {
      const cfg = fresh.connectorConfig({ confluence: { enabled: false }, page_size: { jira: 25 } });
      const seen = new Map<string, Set<string>>(CONTENT.map((s) => [s, new Set()]));
      let state: unknown[] | undefined;
      let random = 12345;
      let kills = 0;
      for (let run = 0; run < 40; run++) {
        random = (random * 1103515245 + 12345) % 2 ** 31;
        // States come every 500 records of a stream and when a project completes: kills land before and after them.
        const killAfter = 100 + (random % 1400);
        const result = await spawnConnector(
          ['read'],
          { config: cfg, catalog: catalog(CONTENT, 'incremental'), ...(state ? { state } : {}) },
          { killAfterRecords: killAfter },
        );
        // Records after the last STATE may be lost with the process: only those before it count.
        const lastState = result.messages.map((m) => m.type).lastIndexOf('STATE');
        for (const m of result.messages.slice(0, lastState + 1)) {
          if (m.type === 'RECORD' && m.record) seen.get(m.record.stream)?.add(m.record.data.id as string);
        }
        if (lastState >= 0) state = statesAsInput(result.messages.slice(0, lastState + 1));
        if (result.signal === null) {
          expect(result.exitCode).toBe(0);
          break;
        }
        kills++;
      }
      expect(kills).toBeGreaterThan(1);
      for (const name of CONTENT) {
        expect([...fresh.truth.visibleIds(name)].filter((id) => !seen.get(name)!.has(id))).toEqual([]);
      }
    } finally {
      await fresh.close();
    }
  }, 120_000);
});
