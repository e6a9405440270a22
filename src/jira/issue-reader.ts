// jira_issues, one project: the changed issues in ascending `updated` order, then (incremental) the id
// sweep that turns deletions, moves out and lost visibility into tombstones.
//
// Search: `project = P AND updated >= <epoch ms of cursor − lookback> ORDER BY updated ASC, id ASC`.
// Epoch milliseconds are absolute instants (a date string would be read in the account's time zone).
// JQL compares dates at minute precision; the lookback covers that and late index commits, and the id
// tie-break keeps issues sharing a timestamp in a stable order across pages (the page token is a keyset
// position), so none is lost and the next sync re-emits only the few within the lookback window. When
// the first page is full and the project has many changes, the rest is split into `updated` time windows
// read in parallel (windows.ts); the checkpoint cursor is then the progress of the earliest unfinished
// window, so it never passes an issue that was not emitted.
//
// Sweep (id-sweep.ts) after the search: fields=id, the largest pages the API gives. Its boundary is
// raised past the `created` of every issue the search emitted, and an emitted issue the sweep no longer
// finds counts as present (see id-sweep.ts), so a sync names it once it is gone. Deletion candidates are
// confirmed with an `id in (…)` search: an id visible in another included project moved there (its
// new partition emits it: a move bumps `updated`), anything else gets a tombstone. Ids that arrived
// (visible again, e.g. a security level regained, which leaves `updated` as it was) are looked up in the
// same searches and emitted unless the pass did. The new digest is stored only after these records, so a
// kill before that repeats the sweep and loses no candidate; the checkpoints before it carry the emitted ids
// the sweep owes the digest (`pass_emitted`), so one deleted before the resumed sync is still named.
import { mergeTagged } from '../cdk/concurrency';
import { cursorTime } from '../cdk/cursor';
import type { PartitionCheckpoint, PartitionItem } from '../cdk/partitioned';
import type { RecordData } from '../cdk/stream';
import { IdSweep, type SweepCheckpoint } from './id-sweep';
import type { IssueBean } from './issue-fields';
import { jiraTimeToMillis } from './jira-time';
import { projectJql } from './jql';
import {
  floorMinute,
  locate,
  lowerBound,
  pageSize,
  tombstone,
  type IssuesSpec,
  type PartitionRead,
  type ReaderContext,
} from './reader-context';
import { MAX_ID_PAGE, searchIssuePages } from './search';
import { readAhead } from '../cdk/read-ahead';
import { planWindows, type TimeWindow } from './windows';

/** A project with more than this many pages of changes is split into time windows read in parallel. */
const PAGES_PER_WINDOW = 10;
const MAX_WINDOWS = 4;

const later = (a: string, b: string | undefined) => (cursorTime(a) ?? 0) > (cursorTime(b) ?? -Infinity);

export async function* readIssues(spec: IssuesSpec, read: PartitionRead): AsyncGenerator<PartitionItem> {
  const { project, checkpoint, ctx, incremental } = read;
  const from = lowerBound(checkpoint, ctx.config);
  const size = pageSize(ctx.config);
  const fields = [...spec.fields, ...ctx.customFieldIds];
  // Every checkpoint replaces the partition's: the previous digest stays until the sweep replaces it.
  const previous: SweepCheckpoint = {
    ...(typeof checkpoint?.digest === 'string' ? { digest: checkpoint.digest } : {}),
    ...(typeof checkpoint?.digest_before === 'string' ? { digest_before: checkpoint.digest_before } : {}),
  };
  let cursor = typeof checkpoint?.cursor === 'string' ? checkpoint.cursor : undefined;
  // The sweep follows the search, and counts every issue it emitted as present.
  const sweep = incremental
    ? IdSweep.start({
        checkpoint: checkpoint as SweepCheckpoint | undefined,
        before: floorMinute(ctx.serverStart),
        sizeHint: project.insight?.totalIssueCount ?? 1000,
        ctx,
        what: `project ${project.key}`,
      })
    : undefined;
  // Ids a run of this pass killed before its sweep had emitted: the sweep still counts them as present.
  const carried = checkpoint?.pass_emitted;
  if (sweep && Array.isArray(carried)) sweep.carry(carried.filter((id) => typeof id === 'string'));
  // A checkpoint before the sweep: the previous digest, the cursor, and the ids the sweep owes the digest.
  const midPass = (at: string | undefined): PartitionCheckpoint => {
    const pending = sweep?.pending() ?? [];
    return {
      ...previous,
      ...(at ? { cursor: at } : {}),
      ...(pending.length ? { pass_emitted: pending } : {}),
    };
  };
  const emit = function* (issue: IssueBean): Generator<PartitionItem> {
    sweep?.emitted(issue.id, jiraTimeToMillis(issue.fields?.created));
    for (const record of spec.map(issue, ctx) as RecordData[]) {
      yield { record };
      if (typeof record.updated_at === 'string' && later(record.updated_at, cursor))
        cursor = record.updated_at;
    }
  };
  const search = (w: TimeWindow) =>
    searchIssuePages(ctx.client, {
      jql: projectJql({ projectId: project.id, updatedFrom: w.from, updatedBefore: w.before }),
      fields,
      maxResults: size,
      signal: ctx.signal,
    });

  const chain = search({ from })[Symbol.asyncIterator]();
  const first = await chain.next();
  if (!first.done) {
    for (const issue of first.value) yield* emit(issue);
    if (incremental) yield { checkpoint: midPass(cursor) };
    const resumeAt = jiraTimeToMillis(first.value[first.value.length - 1]?.fields?.updated);
    // Projects smaller than one window (by their issue count in the project list) never split.
    const small = (project.insight?.totalIssueCount ?? Infinity) <= size * PAGES_PER_WINDOW;
    const windows =
      first.value.length >= size && resumeAt !== undefined && !small
        ? await planWindows(ctx, {
            projectId: project.id,
            from: floorMinute(resumeAt),
            target: size * PAGES_PER_WINDOW,
            maxWindows: MAX_WINDOWS,
          })
        : [];
    if (windows.length <= 1) {
      for await (const page of readAhead({ [Symbol.asyncIterator]: () => chain })) {
        for (const issue of page) yield* emit(issue);
        if (incremental) yield { checkpoint: midPass(cursor) };
      }
    } else {
      await chain.return?.(undefined);
      // The first window starts at the whole minute of the first page's last issue: the issues of that
      // minute the page already gave are not emitted twice (unless updated since: then they come later).
      const start = windows[0]?.from ?? Infinity;
      const given = new Map<string, string | undefined>();
      for (const issue of first.value)
        if ((jiraTimeToMillis(issue.fields?.updated) ?? -Infinity) >= start)
          given.set(issue.id, issue.fields?.updated);
      const progress = windows.map((w) => w.from);
      const done = windows.map(() => false);
      // Everything before the earliest unfinished window's progress was emitted.
      const safeCursor = (): string | undefined => {
        const open = done.indexOf(false);
        if (open < 0) return cursor;
        const p = progress[open];
        return p === undefined ? undefined : new Date(p).toISOString();
      };
      const sources = windows.map((_, i) => i);
      for await (const event of mergeTagged(sources, (i) => readAhead(search(windows[i]!)), {
        concurrency: windows.length,
        signal: ctx.signal,
      })) {
        if (event.kind === 'error') throw event.error;
        if (event.kind === 'done') done[event.source] = true;
        else {
          for (const issue of event.item) {
            const again = given.has(issue.id) && given.get(issue.id) === issue.fields?.updated;
            if (!again) yield* emit(issue);
            const t = jiraTimeToMillis(issue.fields?.updated);
            if (t !== undefined) progress[event.source] = t;
          }
        }
        const safe = safeCursor();
        if (incremental && safe) yield { checkpoint: midPass(safe) };
      }
    }
  }
  if (sweep) yield* sweepIssues(spec, read, sweep, { cursor, from, fields });
}

/** What the search pass did: its cursor, its lower bound on `updated` and the fields it requested. */
interface Pass {
  cursor: string | undefined;
  from: number | undefined;
  fields: readonly string[];
}

async function* sweepIssues(
  spec: IssuesSpec,
  read: PartitionRead,
  sweep: IdSweep,
  pass: Pass,
): AsyncGenerator<PartitionItem> {
  const { project, ctx, included } = read;
  const { cursor, from, fields } = pass;
  const what = `project ${project.key}`;
  // Ids created before the previous boundary (compared and kept), then those created up to this one
  // (kept): minute-aligned `created` bounds split the project exactly, whatever JQL's precision.
  const old = sweep.previousBefore;
  const jql = (from: number | undefined, before: number) =>
    projectJql({ projectId: project.id, createdFrom: from, createdBefore: before, ordered: false });
  if (old === undefined) await sweepIds(ctx, jql(undefined, sweep.before), (id) => sweep.addOld(id));
  else {
    await sweepIds(ctx, jql(undefined, old), (id) => sweep.addOld(id));
    if (sweep.before > old) await sweepIds(ctx, jql(old, sweep.before), (id) => sweep.addNew(id));
  }
  const removed = sweep.removed(ctx, what);
  const arrived = sweep.arrived(ctx, what);
  // One lookup for both: where the missing issues went, and the issues that came back.
  const now = await locate([...removed, ...arrived], fields, ctx);
  for (const id of removed) {
    const movedTo = now.get(id)?.fields?.project?.id;
    if (movedTo !== undefined && included.has(movedTo)) continue; // moved: emitted by its new partition
    yield { record: tombstone(id, ctx, cursor, project.id) };
  }
  // Issues that became visible again (a security level or role regained): their `updated` did not change,
  // so the search emitted only those updated since its lower bound (JQL compares whole minutes); the
  // rest were tombstoned by an earlier sync and come back here. Moves in bump `updated`: the search has them.
  for (const id of arrived) {
    const issue = now.get(id);
    if (issue?.fields?.project?.id !== project.id) continue;
    const updated = jiraTimeToMillis(issue.fields?.updated);
    if (from === undefined || (updated !== undefined && updated >= floorMinute(from))) continue;
    for (const record of spec.map(issue, ctx)) yield { record: record as RecordData };
  }
  yield { checkpoint: { ...sweep.checkpoint(), ...(cursor ? { cursor } : {}) } };
}

/** Calls `add` with the id of every issue the JQL matches (fields=id: 5000 per page). */
async function sweepIds(ctx: ReaderContext, jql: string, add: (id: string) => void): Promise<void> {
  for await (const page of searchIssuePages(ctx.client, {
    jql: `${jql} ORDER BY id ASC`,
    fields: ['id'],
    maxResults: MAX_ID_PAGE,
    signal: ctx.signal,
  })) {
    for (const issue of page) add(issue.id);
  }
}
