// Splitting one project's issue search into `updated` time windows, so that a project much larger than
// the others does not leave one sequential nextPageToken chain running alone at the end of a sync.
// Boundaries are whole minutes (JQL compares dates at minute precision, so `updated >= a AND updated < b`
// windows on minute boundaries neither overlap nor leave gaps); counts come from approximate-count, and the
// window with the most issues is halved until every window is small enough or the limit is reached.
import type { ReaderContext } from './reader-context';
import { projectJql } from './jql';
import { approximateCount, searchIssuePages } from './search';
import { jiraTimeToMillis } from './jira-time';

export interface TimeWindow {
  /** Inclusive, epoch millis; undefined = from the beginning. */
  from?: number;
  /** Exclusive, epoch millis (a whole minute); undefined = open-ended. */
  before?: number;
}

const MINUTE = 60_000;
const floorMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

export interface PlanOptions {
  projectId: string;
  from?: number;
  /** Issues per window worth a chain of its own. */
  target: number;
  maxWindows: number;
}

/** Time windows covering `[from, ∞)`, in ascending order, each holding about `target` issues or fewer. */
export async function planWindows(ctx: ReaderContext, options: PlanOptions): Promise<TimeWindow[]> {
  const { projectId, from, target, maxWindows } = options;
  const count = (w: TimeWindow) =>
    approximateCount(
      ctx.client,
      projectJql({ projectId, updatedFrom: w.from, updatedBefore: w.before, ordered: false }),
      ctx.signal,
    );
  const total = await count({ from });
  if (total <= target || maxWindows <= 1) return [{ from }];
  const start = from ?? (await oldestUpdate(ctx, projectId));
  if (start === undefined) return [{ from }];
  // Segments with counts; the last one is open-ended at the top, its split point bounded by "now".
  const segments: Array<TimeWindow & { count: number; lo: number; hi: number }> = [
    { from, count: total, lo: floorMinute(start), hi: floorMinute(Date.now()) + MINUTE },
  ];
  while (segments.length < maxWindows) {
    let i = -1;
    for (let j = 0; j < segments.length; j++) {
      const s = segments[j]!;
      if (s.count > target && s.hi - s.lo >= 2 * MINUTE && (i < 0 || s.count > segments[i]!.count)) i = j;
    }
    if (i < 0) break;
    const s = segments[i]!;
    const mid = floorMinute(s.lo + (s.hi - s.lo) / 2);
    const left = await count({ from: s.from, before: mid });
    segments.splice(
      i,
      1,
      { from: s.from, before: mid, count: left, lo: s.lo, hi: mid },
      { from: mid, before: s.before, count: Math.max(0, s.count - left), lo: mid, hi: s.hi },
    );
  }
  // Drop empty windows by merging them into their neighbour (fewer chains, same coverage).
  const out: TimeWindow[] = [];
  for (const s of segments) {
    const prev = out[out.length - 1];
    if (prev && s.count === 0) prev.before = s.before;
    else out.push({ from: out.length === 0 ? from : s.from, before: s.before });
  }
  return out;
}

/** The `updated` time of the project's least recently updated issue (one request, one issue). */
async function oldestUpdate(ctx: ReaderContext, projectId: string): Promise<number | undefined> {
  for await (const page of searchIssuePages(ctx.client, {
    jql: projectJql({ projectId }),
    fields: ['updated'],
    maxResults: 1,
    signal: ctx.signal,
  })) {
    return jiraTimeToMillis(page[0]?.fields?.updated);
  }
  return undefined;
}
