// jira_comments / jira_attachments, one project: one pass over every issue of the project ordered by id,
// requesting only `comment` / `attachment` and a few fields (no request per issue, except for comment
// lists longer than the page embedded in the search result).
//
// - Children whose own time (comments: `updated`, attachments: `created`) is at or after the pass's lower
//   bound (the previous pass's start − lookback) are emitted, in ascending time within each issue. Added
//   and edited children are found without a cursor on the issue, on any issue, however old.
// - The pass also sweeps (id-sweep.ts): child ids, and issue ids to tell the children of an issue moved to
//   another included project (not deleted) from deleted ones. Every id it reads enters the digests, whose
//   boundary rises past its creation time: a child created during the pass (or during a resumed pass,
//   syncs later) is named when it goes. When the pass completes, children gone since the previous pass
//   become tombstones, and the children of issues that arrived from another project are emitted again
//   (their issue key and project changed, their own time did not).
// - A quiet project (no issue updated since the last pass, the same issues) is skipped after two cheap
//   requests: adding, editing or deleting a child bumps its issue's `updated`.
// - The pass's start and lower bound are checkpointed when it starts, and after each page its next page
//   token with the digests and their boundaries so far: a pass interrupted by a kill continues there with
//   the same bound (or starts over when the token has expired). When it completes, the cursor becomes the
//   pass's start.
// - Ordered by the immutable id, an issue updated during the pass keeps its place (the token is a keyset
//   position), so each id enters the digests once.
import type { PartitionCheckpoint, PartitionItem } from '../cdk/partitioned';
import type { RecordData } from '../cdk/stream';
import { mapConcurrent } from '../cdk/concurrency';
import { IdSweep, type PartialSweep, type SweepCheckpoint } from './id-sweep';
import type { IssueBean } from './issue-fields';
import { jiraTimeToMillis } from './jira-time';
import { projectJql } from './jql';
import {
  anyIssue,
  floorMinute,
  locate,
  lowerBound,
  pageSize,
  tombstone,
  type ChildrenSpec,
  type PartitionRead,
} from './reader-context';
import { searchChain, searchIssuePages, MAX_ID_PAGE, type SearchPage } from './search';
import { readAhead } from '../cdk/read-ahead';
import { fromSteps } from '../cdk/steps';
import { statusOf } from './util';

/** Records built at once (each may download an attachment). */
const RECORD_CONCURRENCY = 4;

/** One result page as records, and the checkpoint that follows them (incremental, more pages to come). */
interface RecordPage {
  records: RecordData[];
  checkpoint?: ChildrenCheckpoint;
}

/** The children checkpoint: the child sweep at top level, the issue sweep and a pass in progress. */
interface ChildrenCheckpoint extends SweepCheckpoint, PartitionCheckpoint {
  issue_digest?: string;
  /** When the pass in progress started (Jira time); the cursor once it completes. */
  pass_start?: string;
  /** The lower bound on children's time of the pass in progress. */
  pass_since?: string;
  /** Where the pass in progress continues, and its digests so far. */
  pass_token?: string;
  pass_digests?: { children: PartialSweep; issues: PartialSweep };
}

export async function* readChildren<C extends { id: string }>(
  spec: ChildrenSpec<C>,
  read: PartitionRead,
): AsyncGenerator<PartitionItem> {
  const { project, ctx, incremental, included } = read;
  const saved = (read.checkpoint ?? {}) as ChildrenCheckpoint;
  const what = `project ${project.key} (${spec.name})`;
  const passStart = jiraTimeToMillis(saved.pass_start) ?? ctx.serverStart;
  const since =
    jiraTimeToMillis(saved.pass_since) ?? (incremental ? lowerBound(read.checkpoint, ctx.config) : undefined);
  const boundary = floorMinute(passStart);
  const hint = project.insight?.totalIssueCount ?? 1000;
  const start = (checkpoint: SweepCheckpoint, size: number, label: string) =>
    IdSweep.start({ checkpoint, before: boundary, sizeHint: size, ctx, what: label });
  let children = start(saved, hint * 2, what);
  let issues = start(
    { digest: saved.issue_digest, digest_before: saved.digest_before },
    hint,
    `${what} issues`,
  );
  const previous = {
    ...(saved.digest ? { digest: saved.digest } : {}),
    ...(saved.issue_digest ? { issue_digest: saved.issue_digest } : {}),
    ...(saved.digest_before ? { digest_before: saved.digest_before } : {}),
  };

  if (
    incremental &&
    saved.pass_start === undefined &&
    since !== undefined &&
    issues.previousBefore !== undefined
  ) {
    // Quiet: nothing updated since the last pass and the same issues as then (no deletion, no move).
    const changed = await anyIssue(
      ctx,
      projectJql({ projectId: project.id, updatedFrom: since, ordered: false }),
    );
    if (!changed) {
      for await (const page of searchIssuePages(ctx.client, {
        jql: `${projectJql({ projectId: project.id, createdBefore: issues.previousBefore, ordered: false })} ORDER BY id ASC`,
        fields: ['id'],
        maxResults: MAX_ID_PAGE,
        signal: ctx.signal,
      })) {
        for (const issue of page) issues.addOld(issue.id);
      }
      if (issues.unchanged()) {
        // Nothing created since either (it would have been updated since): the digests carry over.
        yield { checkpoint: { ...previous, cursor: new Date(passStart).toISOString() } };
        return;
      }
      issues = issues.restart();
    }
  }

  const resumed = incremental && typeof saved.pass_token === 'string' && saved.pass_digests !== undefined;
  if (resumed) {
    try {
      children = IdSweep.resume(children, saved.pass_digests!.children);
      issues = IdSweep.resume(issues, saved.pass_digests!.issues);
    } catch {
      children = children.restart();
      issues = issues.restart();
    }
  }
  const passCheckpoint = (token: string | undefined): ChildrenCheckpoint => ({
    ...previous,
    ...(saved.cursor ? { cursor: saved.cursor } : {}),
    pass_start: new Date(passStart).toISOString(),
    ...(since !== undefined ? { pass_since: new Date(since).toISOString() } : {}),
    ...(token
      ? { pass_token: token, pass_digests: { children: children.partial(), issues: issues.partial() } }
      : {}),
  });
  if (incremental && !resumed) yield { checkpoint: passCheckpoint(undefined) };

  // A page becomes its records as soon as it arrives, before the next one is read ahead: the parsed
  // issues (comment bodies, people, avatars) then die young instead of being promoted while they wait
  // for the writer, which kept the old generation, and so peak RSS, tens of MB larger (see cdk/steps.ts).
  const recordPage = async (page: SearchPage): Promise<RecordPage> => {
    const fresh: Array<{ child: C; issue: IssueBean }> = [];
    for (const issue of page.issues) {
      issues.add(issue.id, jiraTimeToMillis(issue.fields?.created));
      const mine: C[] = [];
      for (const child of await spec.children(issue, ctx)) {
        children.add(child.id, spec.createdOf(child));
        const t = spec.timeOf(child);
        if (since === undefined || (t !== undefined && t >= since)) mine.push(child);
      }
      mine.sort((a, b) => (spec.timeOf(a) ?? 0) - (spec.timeOf(b) ?? 0) || Number(a.id) - Number(b.id));
      for (const child of mine) fresh.push({ child, issue });
    }
    // Records that need a request (attachment text) are built a few at a time across the page, in order.
    const records: RecordData[] = [];
    const built = mapConcurrent(fresh, ({ child, issue }) => spec.toRecord(child, issue, ctx), {
      concurrency: RECORD_CONCURRENCY,
      signal: ctx.signal,
    });
    for await (const record of built) records.push(record as RecordData);
    // The digests as of this page's end go with it: the next page may already be swept when it is saved.
    const token = page.nextPageToken;
    return { records, ...(incremental && token ? { checkpoint: passCheckpoint(token) } : {}) };
  };
  const chain = (startToken: string | undefined) => {
    const pages = searchChain(ctx.client, {
      jql: `project = ${project.id} ORDER BY id ASC`,
      fields: [...spec.fields, 'created'],
      maxResults: pageSize(ctx.config),
      signal: ctx.signal,
      ...(startToken ? { startToken } : {}),
    });
    return readAhead(
      fromSteps(async () => {
        const page = await pages.next();
        return page.done ? page : { done: false, value: await recordPage(page.value) };
      }),
    );
  };
  let pages = chain(resumed ? saved.pass_token : undefined);
  for (let first = true; ; first = false) {
    let page: IteratorResult<RecordPage>;
    try {
      page = await pages.next();
    } catch (error) {
      // An expired or rejected saved token: the pass starts over (duplicates, no gaps).
      if (!(first && resumed && statusOf(error) === 400)) throw error;
      ctx.logger.info(
        `Jira ${spec.name}: the saved page token of ${what} was rejected; its pass starts over.`,
      );
      children = children.restart();
      issues = issues.restart();
      pages = chain(undefined);
      continue;
    }
    if (page.done) break;
    for (const record of page.value.records) yield { record };
    if (page.value.checkpoint) yield { checkpoint: page.value.checkpoint };
  }
  if (!incremental) return;

  // The pass is complete: deletions, then the new digests; the next pass starts at this one's start.
  const cursor = new Date(passStart).toISOString();
  // More issues came and went than the issue digest names (a bulk move): the issues that left and those
  // that arrived are unknown, not none.
  const issuesListed = issues.listable(ctx, `${what} issues`);
  const removed = children.removed(ctx, what);
  if (removed.length > 0 && !issuesListed) {
    // A child gone with an issue moved to another synced project still exists there, and a tombstone
    // (dated this pass) would delete it downstream for good: without the issues that left, none is
    // tombstoned. Deleted ones stay until a full refresh, as the WARN about the issues says.
    ctx.logger.warn(
      `Jira ${spec.name}: ${removed.length} record(s) left ${what}, but too many issues left it to tell ` +
        'moved from deleted ones; none is tombstoned (a full refresh drops the deleted ones).',
    );
  } else if (removed.length > 0) {
    // Children of issues that left this project for another included one moved with them.
    const moved = new Set<string>();
    for (const issue of (await locate(issues.removed(ctx, `${what} issues`), spec.fields, ctx)).values()) {
      const to = issue.fields?.project?.id;
      if (to === undefined || to === project.id || !included.has(to)) continue;
      for (const child of await spec.children(issue, ctx)) moved.add(child.id);
    }
    for (const id of removed) if (!moved.has(id)) yield { record: tombstone(id, ctx, cursor, project.id) };
  }
  // Issues that arrived from another project: their children are re-emitted with the new issue key and
  // project (their own time did not change, so the pass did not emit them). When the issue digest cannot
  // name them, the issues updated since the pass's bound stand in for them: a move bumps `updated`.
  const arrived = issuesListed
    ? (await locate(issues.arrived(ctx, `${what} issues`), spec.fields, ctx)).values()
    : updatedSince(read, spec.fields, since);
  for await (const issue of arrived) {
    if (issue.fields?.project?.id !== project.id) continue;
    for (const child of await spec.children(issue, ctx)) {
      const t = spec.timeOf(child);
      if (since !== undefined && t !== undefined && t >= since) continue; // already emitted by the pass
      yield { record: (await spec.toRecord(child, issue, ctx)) as RecordData };
    }
  }
  // One boundary for both digests: above every creation time either holds.
  const before = new Date(Math.max(children.before, issues.before)).toISOString();
  const digests = { digest: children.checkpoint().digest, issue_digest: issues.checkpoint().digest };
  yield { checkpoint: { cursor, ...digests, digest_before: before } };
}

/** The issues of the project updated since `since` (none without a bound: the pass emitted everything). */
async function* updatedSince(
  read: PartitionRead,
  fields: readonly string[],
  since: number | undefined,
): AsyncGenerator<IssueBean> {
  if (since === undefined) return;
  const { project, ctx } = read;
  for await (const page of searchIssuePages(ctx.client, {
    jql: `${projectJql({ projectId: project.id, updatedFrom: since, ordered: false })} ORDER BY id ASC`,
    fields: ['project', ...fields],
    maxResults: pageSize(ctx.config),
    signal: ctx.signal,
  })) {
    yield* page;
  }
}
