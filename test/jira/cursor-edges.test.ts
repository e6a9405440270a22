// Incremental edge cases of JQL dates: several issues sharing one `updated` minute across a page boundary,
// and the previous cursor just after local midnight of the account's time zone. JQL compares dates at
// minute precision and reads date strings in the account's zone; the connector sends epoch milliseconds.
import { jiraStreams } from '../../src/jira';
import type { JiraIssue } from '../../sim/jira/model';
import { harnessSite, readStream, type HarnessSite } from './harness-client';

const LOOKBACK = 5 * 60_000;
const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

function localClock(ms: number, timeZone: string): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  })
    .formatToParts(new Date(ms))
    .reduce<Record<string, number>>(
      (o, p) => (p.type === 'literal' ? o : { ...o, [p.type]: Number(p.value) }),
      {},
    );
  return { hour: parts.hour ?? 0, minute: parts.minute ?? 0 };
}

/** Visible issues of the project that a sync from `cursor` must emit (JQL's minute precision). */
function dueFrom(site: HarnessSite, projectId: string, cursor: number): string[] {
  return [...site.harness.module.visibleIds('jira_issues')!].filter((id) => {
    const i = site.harness.module.model.issues.get(id)!;
    return i.projectId === projectId && minute(i.updated) >= minute(cursor - LOOKBACK);
  });
}

async function syncFrom(
  site: HarnessSite,
  projectKey: string,
  projectId: string,
  cursor: string | undefined,
  state?: unknown,
) {
  const config = { jira: { projects: { include: [projectKey] } }, page_size: { jira: 3 } };
  const stream = jiraStreams(site.deps(config)).find((s) => s.name === 'jira_issues')!;
  const input = (state ?? { partitions: { [projectId]: { cursor } } }) as Record<string, unknown>;
  return readStream(stream, { state: input });
}

describe('jira_issues cursor edge cases', () => {
  const site = harnessSite({ scale: 'small', seed: 5 });
  const model = site.harness.module.model;
  const visible = [...site.harness.module.visibleIds('jira_issues')!].map((id) => model.issues.get(id)!);

  it('emits every issue of a shared minute split across pages, and repeats only the lookback window', async () => {
    // The busiest minute of one project: several issues with the same `updated` minute.
    const byMinute = new Map<string, JiraIssue[]>();
    for (const i of visible) {
      const k = `${i.projectId}:${minute(i.updated)}`;
      byMinute.set(k, [...(byMinute.get(k) ?? []), i]);
    }
    const hot = [...byMinute.values()].sort((a, b) => b.length - a.length)[0]!;
    expect(hot.length).toBeGreaterThan(3); // more than one page of 3
    const project = model.projects.get(hot[0]!.projectId)!;
    // The previous sync stopped in the middle of that minute.
    const cursor = minute(hot[0]!.updated) + 30_000;
    const first = await syncFrom(site, project.key, project.id, new Date(cursor).toISOString());
    const ids = first.records.map((r) => r.id as string);
    expect(sorted(ids)).toEqual(sorted(dueFrom(site, project.id, cursor)));
    for (const i of hot) expect(ids).toContain(i.id);
    expect(ids.length - new Set(ids).size).toBeLessThanOrEqual(3); // at most a page seen twice

    // The next syncs re-emit only what lies within the lookback of the newest issue, the same set each time.
    const state = first.states.at(-1)!;
    const newest = Math.max(...visible.filter((i) => i.projectId === project.id).map((i) => i.updated));
    const second = await syncFrom(site, project.key, project.id, undefined, state);
    const third = await syncFrom(site, project.key, project.id, undefined, second.states.at(-1));
    expect(sorted(second.records.map((r) => r.id as string))).toEqual(
      sorted(dueFrom(site, project.id, newest)),
    );
    expect(sorted(third.records.map((r) => r.id as string))).toEqual(
      sorted(second.records.map((r) => r.id as string)),
    );
  });

  it('does not lose issues around local midnight of the account time zone', async () => {
    const zone = site.harness.directory.serviceAccount.timeZone;
    // Issues updated in the last or first two minutes of a local day.
    const nearMidnight = visible.filter((i) => {
      const t = localClock(i.updated, zone);
      return (t.hour === 23 && t.minute >= 58) || (t.hour === 0 && t.minute <= 1);
    });
    expect(nearMidnight.length).toBeGreaterThan(0);
    for (const issue of nearMidnight.slice(0, 3)) {
      const project = model.projects.get(issue.projectId)!;
      // A cursor a minute after the issue: the issue is within the lookback and must come out again.
      const cursor = issue.updated + 60_000;
      const run = await syncFrom(site, project.key, project.id, new Date(cursor).toISOString());
      const ids = run.records.map((r) => r.id as string);
      expect(ids).toContain(issue.id);
      expect(sorted(ids)).toEqual(sorted(dueFrom(site, project.id, cursor)));
    }
  });
});
