// Deletion detection with small state. Per project, the checkpoint keeps a digest
// (src/cdk/id-digest.ts, a few KB) of the ids that were created before a boundary B, the Jira time at
// which that sync started. The next sync digests the ids still present among those created before the
// same B and diffs the two: the difference lists exactly what was deleted, moved out or hidden since,
// never what was created, so it stays small (and decodable) however busy the project is. It then stores
// the digest of the ids created before its own boundary. An id created during a sync and deleted before
// the next is in no digest; that window is one sync long at most, and only for records created and deleted
// in it.
import { IdDigest, type DigestDiff } from '../cdk/id-digest';
import type { ReaderContext } from './reader-context';

export interface SweepCheckpoint {
  /** Digest of the ids created before `digest_before`. */
  digest?: string;
  /** ISO time: the boundary of `digest`. */
  digest_before?: string;
}

export class IdSweep {
  private diffCache: { value: DigestDiff | undefined } | undefined;
  private warned = false;

  private constructor(
    /** The previous sync's digest and boundary; absent on the first sync. */
    private readonly previous: { digest: IdDigest; before: number } | undefined,
    /** Ids created before the previous boundary that are present now (compared with `previous`). */
    private readonly present: IdDigest | undefined,
    /** Ids created before this sync's boundary: the next checkpoint's digest. */
    readonly next: IdDigest,
    readonly before: number,
  ) {}

  /**
   * Starts a sweep with boundary `before` from the previous checkpoint (`digest` + `digest_before`). A
   * missing or unreadable one starts afresh, sized for about `sizeHint` ids.
   */
  static start(options: {
    checkpoint: SweepCheckpoint | undefined;
    before: number;
    sizeHint: number;
    ctx: ReaderContext;
    what: string;
  }): IdSweep {
    const { checkpoint, before, sizeHint, ctx, what } = options;
    const previous = parsePrevious(checkpoint, ctx, what);
    const cells = previous?.digest.cellCount ?? IdDigest.cellsFor(sizeHint);
    // Boundaries never go back (a sync right after another, in the same minute).
    const boundary = Math.max(before, previous?.before ?? -Infinity);
    return new IdSweep(previous, previous && IdDigest.empty(cells), IdDigest.empty(cells), boundary);
  }

  /** Continues a sweep saved by `partial()` (a pass resumed after a kill). */
  static resume(sweep: IdSweep, partial: { present?: string; next: string }): IdSweep {
    return new IdSweep(
      sweep.previous,
      partial.present !== undefined ? IdDigest.parse(partial.present) : sweep.present,
      IdDigest.parse(partial.next),
      sweep.before,
    );
  }

  /** The same sweep with nothing added yet. */
  restart(): IdSweep {
    const cells = this.next.cellCount;
    return new IdSweep(
      this.previous,
      this.previous && IdDigest.empty(cells),
      IdDigest.empty(cells),
      this.before,
    );
  }

  /** The previous boundary, when there is a previous digest to compare with. */
  get previousBefore(): number | undefined {
    return this.previous?.before;
  }

  /** Adds an id present now, created at `created` (epoch millis; unknown counts as old). */
  add(id: string, created: number | undefined): void {
    const t = created ?? -Infinity;
    if (this.previous && t < this.previous.before) this.present!.add(id);
    if (t < this.before) this.next.add(id);
  }

  /** Adds an id known to be created before the previous boundary (or any id, on a first sync). */
  addOld(id: string): void {
    this.present?.add(id);
    this.next.add(id);
  }

  /** Adds an id created between the previous boundary and this one. */
  addNew(id: string): void {
    this.next.add(id);
  }

  /** Ids in the previous digest that are not present now; [] with a WARN when too many to decode. */
  removed(ctx: ReaderContext, what: string): string[] {
    return this.difference(ctx, what)?.onlyInA ?? [];
  }

  /**
   * Ids present now, created before the previous boundary, that the previous digest did not have: they
   * came from another project (a move) or became visible.
   */
  arrived(ctx: ReaderContext, what: string): string[] {
    return this.difference(ctx, what)?.onlyInB ?? [];
  }

  private difference(ctx: ReaderContext, what: string): DigestDiff | undefined {
    if (!this.previous || !this.present) return undefined;
    this.diffCache ??= { value: this.previous.digest.diff(this.present) };
    if (!this.diffCache.value && !this.warned) {
      this.warned = true;
      ctx.logger.warn(
        `Jira: too many deletions in ${what} since the last sync to list them; ` +
          'run a full refresh to drop deleted records from the destination.',
      );
    }
    return this.diffCache.value;
  }

  /** True when exactly the previous ids are present (nothing deleted, moved or hidden). */
  unchanged(): boolean {
    if (!this.previous || !this.present) return false;
    const diff = this.previous.digest.diff(this.present);
    return diff !== undefined && diff.onlyInA.length === 0 && diff.onlyInB.length === 0;
  }

  checkpoint(): Required<SweepCheckpoint> {
    return { digest: this.next.serialize(), digest_before: new Date(this.before).toISOString() };
  }

  /** The digests so far, for a checkpoint in the middle of a pass. */
  partial(): { present?: string; next: string } {
    return { ...(this.present ? { present: this.present.serialize() } : {}), next: this.next.serialize() };
  }
}

function parsePrevious(
  checkpoint: SweepCheckpoint | undefined,
  ctx: ReaderContext,
  what: string,
): { digest: IdDigest; before: number } | undefined {
  if (typeof checkpoint?.digest !== 'string' || typeof checkpoint.digest_before !== 'string')
    return undefined;
  const before = Date.parse(checkpoint.digest_before);
  try {
    if (Number.isNaN(before)) throw new Error('bad boundary');
    return { digest: IdDigest.parse(checkpoint.digest), before };
  } catch {
    ctx.logger.warn(
      `Jira: ignoring an unreadable deletion digest for ${what}; earlier deletions are not detected.`,
    );
    return undefined;
  }
}
