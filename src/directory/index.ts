// Directory streams: users, groups, group_memberships.
import type { Stream, StreamEvent, ReadContext } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';
import { loadDirectory, selfAccountId, type DirectorySnapshot } from './load';
import { loadSchema } from '../schemas';

const perRun = new WeakMap<StreamDeps, Promise<DirectorySnapshot>>();

/**
 * The directory of one run, read once and shared by the directory streams and the permission streams (every
 * stream built from the same StreamDeps): it is a few dozen requests and a few MB at thousands of users.
 */
export function directoryOf(deps: StreamDeps, ctx: ReadContext): Promise<DirectorySnapshot> {
  let pending = perRun.get(deps);
  if (!pending) {
    pending = (async () => {
      const site = await deps.site();
      return loadDirectory({
        site,
        config: deps.config,
        logger: ctx.logger,
        selfAccountId: await selfAccountId(site, ctx.logger, ctx.signal),
        signal: ctx.signal,
      });
    })();
    perRun.set(deps, pending);
  }
  return pending;
}

export function directoryStreams(deps: StreamDeps): Stream[] {
  const directory = (ctx: ReadContext) => directoryOf(deps, ctx);
  const stream = (
    name: string,
    jsonSchema: Record<string, unknown>,
    primaryKey: string[][],
    rows: (d: DirectorySnapshot) => Iterable<Record<string, unknown>>,
  ): Stream => ({
    name,
    jsonSchema,
    primaryKey,
    async *read(ctx): AsyncIterable<StreamEvent> {
      const d = await directory(ctx);
      for (const data of rows(d)) yield { type: 'record', data };
    },
  });
  return [
    stream('users', loadSchema('users'), [['account_id']], (d) => d.users.values()),
    stream('groups', loadSchema('groups'), [['group_id']], (d) => d.groups.values()),
    stream(
      'group_memberships',
      loadSchema('group_memberships'),
      [['group_id'], ['account_id']],
      function* (d) {
        for (const [g, members] of d.members) {
          const cloudId = d.groups.get(g)?.cloud_id ?? '';
          for (const a of members) yield { group_id: g, account_id: a, cloud_id: cloudId };
        }
      },
    ),
  ];
}
