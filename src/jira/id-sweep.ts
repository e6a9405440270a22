// Deletion detection with small state. Per project, the checkpoint keeps a digest
// (src/cdk/id-digest.ts, a few KB) of the ids that were created before a boundary B. The next sync
// digests the ids still present among those created before the same B and diffs the two: the difference
// lists exactly what was deleted, moved out or hidden since, never what was created, so it stays small
// (and decodable) however busy the project is. It then stores the digest of the ids created before its
// own boundary.
//
// A boundary starts at the Jira time at which the sync (or the pass) started and is raised, in whole
// minutes as JQL compares dates, past the creation time (Jira's own timestamp) of every id the sync reads
// or emits: a record created while the sync runs is in the next digest, and its deletion is named. An
// emitted id the sweep no longer finds (deleted between its read and the sweep) still enters the digest
// when it was created since the previous boundary (on a first sync, since this one's start); an older one
// is in the previous digest and named by this sweep, except one that arrived in the project since (a
// move, regained visibility) or, on a first sync, any: remembering those would cost memory per id. A pass
// checkpointed half-way keeps its boundary with its digests (`partial()`), so a resumed pass never ends
// below a record it emitted before the kill. An id created before a raised boundary that the sweep did not
// see (it came after the sweep passed) looks arrived to the next sync: a diff entry and a lookup.
import { IdDigest, type DigestDiff } from '../cdk/id-digest';
import { floorMinute, MINUTE, type ReaderContext } from './reader-context';

export interface SweepCheckpoint {
  /** Digest of the ids created before `digest_before`. */
  digest?: string;
  /** ISO time: the boundary of `digest`. */
  digest_before?: string;
}

/** A sweep saved in the middle of a pass: its digests so far and its boundary (ISO time). */
export interface PartialSweep {
  present?: string;
  next: string;
  before?: string;
}

export class IdSweep {
  private diffCache: { value: DigestDiff | undefined } | undefined;
  private warned = false;
  /** Emitted ids that no previous digest holds, until the sweep lists them (see `emitted`). */
  private readonly unswept = new Set<string>();
  /** Where this sync's boundary started. */
  private readonly opened: number;

  private constructor(
    /** The previous sync's digest and boundary; absent on the first sync. */
    private readonly previous: { digest: IdDigest; before: number } | undefined,
    /** Ids created before the previous boundary that are present now (compared with `previous`). */
    private readonly present: IdDigest | undefined,
    /** Ids present now (or emitted) and created before this sync's boundary: the next checkpoint's digest. */
    private readonly next: IdDigest,
    /** This sync's boundary, raised past the creation time of every id added or emitted. */
    private boundary: number,
  ) {
    this.opened = boundary;
  }

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

  /** Continues a sweep saved by `partial()` (a pass resumed after a kill), with its boundary. */
  static resume(sweep: IdSweep, partial: PartialSweep): IdSweep {
    const saved = Date.parse(partial.before ?? '');
    return new IdSweep(
      sweep.previous,
      partial.present !== undefined ? IdDigest.parse(partial.present) : sweep.present,
      IdDigest.parse(partial.next),
      Number.isNaN(saved) ? sweep.boundary : Math.max(sweep.boundary, saved),
    );
  }

  /** The same sweep with nothing added yet (its boundary does not go back). */
  restart(): IdSweep {
    const cells = this.next.cellCount;
    return new IdSweep(
      this.previous,
      this.previous && IdDigest.empty(cells),
      IdDigest.empty(cells),
      this.boundary,
    );
  }

  /** The boundary of the next digest, so far: sweeps bound `created` below it. */
  get before(): number {
    return this.boundary;
  }

  /** The previous boundary, when there is a previous digest to compare with. */
  get previousBefore(): number | undefined {
    return this.previous?.before;
  }

  /**
   * Adds an id present now, created at `created` (epoch millis; unknown counts as old), for a pass that
   * is its own sweep: every id it reads is in the next digest.
   */
  add(id: string, created: number | undefined): void {
    const t = created ?? -Infinity;
    this.raise(t);
    if (this.previous && t < this.previous.before) this.present!.add(id);
    this.next.add(id);
  }

  /**
   * An id emitted before the sweep lists the partition (in the same run): it counts as present, so one
   * gone by the sweep is in the next digest all the same. Only those created since the previous boundary
   * are remembered (on a first sync, since this one's start): an older one is in the previous digest.
   */
  emitted(id: string, created: number | undefined): void {
    if (created === undefined) return; // unknown counts as old
    this.raise(created);
    if (created >= (this.previous?.before ?? this.opened)) this.unswept.add(id);
  }

  /**
   * The emitted ids that no previous digest holds and no sweep listed yet, for a checkpoint in the middle
   * of a pass: a sync killed before its sweep hands them to the one that resumes it (`carry`), so one
   * deleted in between is still named.
   */
  pending(): string[] {
    return [...this.unswept];
  }

  /** Ids that a killed run of this pass emitted and remembered (`pending()`): they count as emitted. */
  carry(ids: readonly string[]): void {
    for (const id of ids) this.unswept.add(id);
  }

  /** Adds an id known to be created before the previous boundary (or any id, on a first sync). */
  addOld(id: string): void {
    this.unswept.delete(id);
    this.present?.add(id);
    this.next.add(id);
  }

  /** Adds an id created between the previous boundary and this one. */
  addNew(id: string): void {
    this.unswept.delete(id);
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

  /**
   * False when there is a previous digest but more ids came and went since than the difference decodes
   * (a WARN says so): `removed()` and `arrived()` are then empty for want of knowing, not because nothing
   * changed.
   */
  listable(ctx: ReaderContext, what: string): boolean {
    if (!this.previous || !this.present) return true;
    return this.difference(ctx, what) !== undefined;
  }

  /** True when exactly the previous ids are present (nothing deleted, moved or hidden). */
  unchanged(): boolean {
    if (!this.previous || !this.present) return false;
    const diff = this.previous.digest.diff(this.present);
    return diff !== undefined && diff.onlyInA.length === 0 && diff.onlyInB.length === 0;
  }

  /** The next checkpoint: the ids swept, those emitted that the sweep no longer found, and the boundary. */
  checkpoint(): Required<SweepCheckpoint> {
    const digest = IdDigest.parse(this.next.serialize());
    for (const id of this.unswept) digest.add(id);
    return { digest: digest.serialize(), digest_before: new Date(this.boundary).toISOString() };
  }

  /** The digests and boundary so far, for a checkpoint in the middle of a pass. */
  partial(): PartialSweep {
    return {
      ...(this.present ? { present: this.present.serialize() } : {}),
      next: this.next.serialize(),
      before: new Date(this.boundary).toISOString(),
    };
  }

  /** Raises the boundary past `created`, to a whole minute: sweeps bound `created` in JQL. */
  private raise(created: number): void {
    if (created >= this.boundary) this.boundary = floorMinute(created) + MINUTE;
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
