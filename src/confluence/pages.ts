// confluence_pages: pages per space, with labels and ancestors from the same CQL result.
import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';
import type { ConfluencePagesRecord } from '../generated/records/confluence_pages';
import { contentStream, type ReadEnv, type V1Content } from './content-reader';
import { EXPAND, commonFields, labelNames, resolveMentions } from './content-fields';
import type { SpaceV2 } from './spaces';

export function toPageRecord(item: V1Content, space: SpaceV2, env: ReadEnv): ConfluencePagesRecord {
  // v1 ancestors are listed root first; the parent is the last one.
  const ancestors = (item.ancestors ?? [])
    .filter((a) => !a.type || a.type === 'page')
    .map((a) => String(a.id));
  return {
    ...commonFields(item, space, env),
    title: item.title ?? null,
    labels: labelNames(item),
    parent_id: ancestors.at(-1) ?? null,
    ancestor_ids: ancestors,
    owner_account_id: item.history?.ownedBy?.accountId ?? null,
  };
}

export function pagesStream(deps: StreamDeps): Stream {
  return contentStream(deps, {
    name: 'confluence_pages',
    startFirst: 1,
    type: 'page',
    expand: EXPAND.page,
    preparePage: resolveMentions,
    map: (item, space, env) => ({ ...toPageRecord(item, space, env) }),
  });
}
