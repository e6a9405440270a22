// Display names of people mentioned in bodies, for body_text. One cache per run, shared by the pages, blog
// posts and comments streams (which read side by side): each person is looked up once, and a lookup already
// under way for another space or stream is awaited rather than repeated.
//
// Lookups are gathered: ids met by every reader join one open batch, sent when it holds 250 ids or
// GATHER_MS after it opened. Mentions follow a coupon collector's curve: the first result pages each
// name dozens of new people, later ones one or two. A lookup per result page cost one users-bulk request
// for every three CQL pages on a site where everyone is mentioned somewhere; gathered, the early pages
// fill whole batches and the long tail shares one lookup per window, at the price of a page waiting at
// most GATHER_MS for its names while its space's next page is already being fetched.
import type { AtlassianSite, StreamDeps } from '../atlassian/site';
import type { Logger } from '../cdk/stream';

/** users-bulk takes at most 250 account ids (ENDPOINTS.md §1.8). */
const BATCH = 250;
/** How long an open batch waits for more ids before it is sent. */
const GATHER_MS = 200;

interface BulkUsers {
  results?: { accountId?: string; displayName?: string; publicName?: string }[];
}

interface Batch {
  ids: string[];
  done: Promise<void>;
  send(): void;
}

export class MentionNames {
  private readonly names = new Map<string, string>();
  /** Ids in a batch not answered yet, with the batch's completion. */
  private readonly pending = new Map<string, Promise<void>>();
  private open: Batch | undefined;

  /** The name, '' for an account the API did not return, undefined when not looked up. */
  get(accountId: string): string | undefined {
    return this.names.get(accountId);
  }

  /** Looks up the ids not known yet (best effort: on failure the text keeps the account id). */
  async resolve(
    ids: Iterable<string>,
    site: AtlassianSite,
    logger: Logger,
    signal: AbortSignal,
  ): Promise<void> {
    const waits = new Set<Promise<void>>();
    for (const id of ids) {
      if (this.names.has(id)) continue;
      let inBatch = this.pending.get(id);
      if (!inBatch) {
        const batch = (this.open ??= this.openBatch(site, logger, signal));
        batch.ids.push(id);
        this.pending.set(id, (inBatch = batch.done));
        if (batch.ids.length === BATCH) batch.send();
      }
      waits.add(inBatch);
    }
    await Promise.all(waits);
  }

  private openBatch(site: AtlassianSite, logger: Logger, signal: AbortSignal): Batch {
    let sent: () => void = () => {};
    const ready = new Promise<void>((resolve) => (sent = resolve));
    const timer = setTimeout(() => batch.send(), GATHER_MS);
    const batch: Batch = {
      ids: [],
      done: ready.then(() => this.lookup(batch.ids, site, logger, signal)),
      send: () => {
        clearTimeout(timer);
        if (this.open === batch) this.open = undefined;
        sent();
      },
    };
    // A stop needs no hook: the window closes within GATHER_MS and the lookup fails at once on the
    // aborted signal, which every waiter sees.
    return batch;
  }

  private async lookup(
    batch: string[],
    site: AtlassianSite,
    logger: Logger,
    signal: AbortSignal,
  ): Promise<void> {
    try {
      const found = await site.confluence.search<BulkUsers>(
        '/wiki/api/v2/users-bulk',
        { accountIds: batch },
        { signal },
      );
      for (const u of found.results ?? []) {
        const name = u.displayName || u.publicName;
        if (u.accountId && name) this.names.set(u.accountId, name);
      }
    } catch (error) {
      if (signal.aborted) throw error;
      logger.debug(`Mentioned users not resolved: ${(error as Error).message}`);
    } finally {
      for (const id of batch) this.pending.delete(id);
    }
    // Ids the API did not return (deleted accounts) are not asked for again.
    for (const id of batch) if (!this.names.has(id)) this.names.set(id, '');
  }
}

const perRun = new WeakMap<StreamDeps, MentionNames>();

/** The cache of one run: every stream built from the same StreamDeps shares it. */
export function mentionNamesOf(deps: StreamDeps): MentionNames {
  let names = perRun.get(deps);
  if (!names) perRun.set(deps, (names = new MentionNames()));
  return names;
}
