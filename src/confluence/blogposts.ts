// confluence_blogposts: blog posts per space (no hierarchy).
import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';
import type { ConfluenceBlogpostsRecord } from '../generated/records/confluence_blogposts';
import { contentStream, type ReadEnv, type V1Content } from './content-reader';
import { EXPAND, commonFields, labelNames, resolveMentions } from './content-fields';
import type { SpaceV2 } from './spaces';

export function toBlogpostRecord(item: V1Content, space: SpaceV2, env: ReadEnv): ConfluenceBlogpostsRecord {
  return { ...commonFields(item, space, env), title: item.title ?? null, labels: labelNames(item) };
}

export function blogpostsStream(deps: StreamDeps): Stream {
  return contentStream(deps, {
    name: 'confluence_blogposts',
    type: 'blogpost',
    expand: EXPAND.blogpost,
    preparePage: resolveMentions,
    map: (item, space, env) => ({ ...toBlogpostRecord(item, space, env) }),
  });
}
