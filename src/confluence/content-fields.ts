// Fields every Confluence content record shares, from a v1 search result.
import { storageToText } from '../text';
import type { SpaceV2 } from './spaces';
import { webUrl } from './spaces';
import type { ReadEnv, V1Content } from './content-reader';
import type { ContentType } from './cql';

export function commonFields(item: V1Content, space: SpaceV2, env: ReadEnv) {
  const storage = item.body?.storage?.value;
  const raw = env.deps.config.confluence?.include_raw_body ?? false;
  return {
    id: String(item.id),
    status: item.status ?? null,
    space_id: String(space.id),
    space_key: space.key,
    author_account_id: item.history?.createdBy?.accountId ?? null,
    last_editor_account_id: item.version?.by?.accountId ?? null,
    version_number: item.version?.number ?? null,
    body_text:
      storage === undefined ? null : storageToText(storage, { mentionName: (id) => env.names.get(id) }),
    body_storage: raw ? (storage ?? null) : null,
    url: webUrl(env.site.siteUrl, item._links?.webui),
    cloud_id: env.site.cloudId,
    created_at: item.history?.createdDate ?? null,
    // The current version's time is the last-modified time.
    updated_at: item.version?.when ?? item.history?.createdDate ?? null,
  };
}

export const labelNames = (item: V1Content): string[] =>
  (item.metadata?.labels?.results ?? []).flatMap((l) => (l.name ? [l.name] : []));

const CONTENT_EXPAND = ['version', 'history', 'body.storage', 'metadata.labels'];

/**
 * The v1 expands each content type's record needs, in one place: the streams ask for them, and the
 * benchmark's baseline walks the same CQL listings to count the fewest requests that give these records.
 */
export const EXPAND: Record<ContentType, string[]> = {
  page: [...CONTENT_EXPAND, 'ancestors', 'history.ownedBy'],
  blogpost: CONTENT_EXPAND,
  comment: [
    'version',
    'history',
    'body.storage',
    'container',
    'ancestors',
    'extensions.inlineProperties',
    'extensions.resolution',
  ],
  attachment: ['version', 'history', 'container'],
};

const MENTION = /ri:account-id="([^"]+)"/g;

/** Account ids mentioned in a storage body (`<ac:link><ri:user ri:account-id="…"/></ac:link>`). */
export function mentionedAccountIds(storage: string): string[] {
  return [...storage.matchAll(MENTION)].map((m) => m[1]!);
}

/** Looks up, once per run, the display names of people mentioned in a page of results (mention-names.ts). */
export async function resolveMentions(items: V1Content[], env: ReadEnv): Promise<void> {
  const ids = items.flatMap((item) => mentionedAccountIds(item.body?.storage?.value ?? ''));
  await env.names.resolve(ids, env.site, env.logger, env.signal);
}
