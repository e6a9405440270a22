// confluence_comments: footer and inline comments (and replies) per space, through CQL `type = comment`,
// which covers both locations and every container in one listing (no request per page).
import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';
import type { ConfluenceCommentsRecord } from '../generated/records/confluence_comments';
import { confluenceCursorPages } from '../atlassian/pagination';
import { contentStream, pageLimit, type ReadEnv, type V1Content } from './content-reader';
import { EXPAND, commonFields, resolveMentions } from './content-fields';
import type { SpaceV2 } from './spaces';

interface CommentExtensions {
  location?: string;
  inlineProperties?: { originalSelection?: string };
  resolution?: { status?: string };
}

/**
 * reply id -> parent comment id, from the site-wide v2 comment lists (the only listings that carry
 * `parentCommentId`; v1 search does not). No bodies, largest pages (250 by default): one request per 250
 * comments of the site, once per sync; only replies are kept in memory.
 */
export async function replyIndex(env: ReadEnv): Promise<Map<string, string>> {
  const parents = new Map<string, string>();
  // The two cursor chains are independent: read them side by side.
  await Promise.all(
    ['footer', 'inline'].map(async (kind) => {
      for await (const page of confluenceCursorPages<{ id: string; parentCommentId?: string }>(
        env.site.confluence,
        `/wiki/api/v2/${kind}-comments`,
        { params: { limit: pageLimit(env) }, signal: env.signal },
      )) {
        for (const c of page) if (c.parentCommentId) parents.set(String(c.id), String(c.parentCommentId));
      }
    }),
  );
  return parents;
}

export function toCommentRecord(
  item: V1Content,
  space: SpaceV2,
  env: ReadEnv,
  parents: ReadonlyMap<string, string> = new Map(),
): ConfluenceCommentsRecord {
  const ext = (item.extensions ?? {}) as CommentExtensions;
  const { ...fields } = commonFields(item, space, env);
  // A reply's ancestors end with the comments it answers; the container's own chain holds no comments.
  const parentComment = (item.ancestors ?? []).filter((a) => a.type === 'comment').at(-1);
  const parentId = parents.get(String(item.id)) ?? (parentComment ? String(parentComment.id) : null);
  const inline = ext.location === 'inline';
  return {
    ...fields,
    container_id: item.container?.id !== undefined ? String(item.container.id) : null,
    container_type: item.container?.type ?? null,
    parent_comment_id: parentId,
    location: ext.location ?? null,
    resolution_status: inline ? (ext.resolution?.status ?? null) : null,
    anchor_text: inline ? (ext.inlineProperties?.originalSelection ?? null) : null,
  };
}

export function commentsStream(deps: StreamDeps): Stream {
  return contentStream(deps, {
    name: 'confluence_comments',
    // The most requests of the content streams (50 bodies a page, plus the reply lists).
    startFirst: 2,
    type: 'comment',
    expand: EXPAND.comment,
    preparePage: resolveMentions,
    map: async (item, space, env) => ({
      ...toCommentRecord(item, space, env, await env.once('replies', () => replyIndex(env))),
    }),
  });
}
