// Display names of people mentioned in bodies, for body_text. One cache per run, shared by the pages, blog
// posts and comments streams (which read side by side): each person is looked up once, and a lookup already
// in flight for another space or stream is awaited rather than repeated.
import type { AtlassianSite, StreamDeps } from '../atlassian/site';
import type { Logger } from '../cdk/stream';

/** users-bulk takes at most 250 account ids (ENDPOINTS.md §1.8). */
const BATCH = 250;

interface BulkUsers {
  results?: { accountId?: string; displayName?: string; publicName?: string }[];
}

export class MentionNames {
  private readonly names = new Map<string, string>();
  private readonly pending = new Map<string, Promise<void>>();

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
    const unknown = new Set<string>();
    for (const id of ids) {
      if (this.names.has(id)) continue;
      const inFlight = this.pending.get(id);
      if (inFlight) waits.add(inFlight);
      else unknown.add(id);
    }
    const fresh = [...unknown];
    for (let i = 0; i < fresh.length; i += BATCH) {
      const batch = fresh.slice(i, i + BATCH);
      const lookup = this.lookup(batch, site, logger, signal).finally(() => {
        for (const id of batch) this.pending.delete(id);
      });
      for (const id of batch) this.pending.set(id, lookup);
      waits.add(lookup);
    }
    await Promise.all(waits);
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
