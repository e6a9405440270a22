// The cheap reads `check` makes: what the account can see, and which configured include keys it cannot.
import { confluenceCursorPages, offsetPages } from './pagination';
import type { ProductClient } from './product-client';

const SPACE_PAGES_COUNTED = 4;

export async function countSpaces(client: ProductClient, signal?: AbortSignal): Promise<string> {
  let count = 0;
  let pages = 0;
  for await (const page of confluenceCursorPages(client, '/wiki/api/v2/spaces', {
    params: { limit: 250 },
    signal,
  })) {
    count += page.length;
    if (++pages >= SPACE_PAGES_COUNTED) return `Confluence: ${count}+ spaces`;
  }
  return `Confluence: ${count} space${count === 1 ? '' : 's'}`;
}

export async function countProjects(client: ProductClient, signal?: AbortSignal): Promise<string> {
  const page = await client.get<{ total?: number; values?: unknown[] }>('/rest/api/3/project/search', {
    params: { maxResults: 1 },
    signal,
  });
  const count = typeof page?.total === 'number' ? page.total : (page?.values?.length ?? 0);
  return `Jira: ${count} project${count === 1 ? '' : 's'}`;
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** Include keys the account cannot see (`GET /wiki/api/v2/spaces?keys=…`, at most 250 keys per call). */
export async function missingSpaces(
  client: ProductClient,
  keys: string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const found = new Set<string>();
  for (const batch of chunks(keys, 250)) {
    const params = { keys: batch.join(','), limit: 250 };
    for await (const page of confluenceCursorPages<{ key: string }>(client, '/wiki/api/v2/spaces', {
      params,
      signal,
    })) {
      for (const space of page) found.add(space.key);
    }
  }
  return keys.filter((key) => !found.has(key));
}

/** Include keys the account cannot browse (`GET /rest/api/3/project/search?keys=…`, at most 50 keys per call). */
export async function missingProjects(
  client: ProductClient,
  keys: string[],
  archived: boolean,
  signal?: AbortSignal,
): Promise<string[]> {
  const found = new Set<string>();
  for (const batch of chunks(keys, 50)) {
    const params = { keys: batch, ...(archived ? { status: ['live', 'archived'] } : {}) };
    const pages = offsetPages<{ key: string }>(client, '/rest/api/3/project/search', {
      style: 'startAt',
      pageSize: 50,
      params,
      signal,
    });
    for await (const page of pages) for (const project of page) found.add(project.key.toUpperCase());
  }
  return keys.filter((key) => !found.has(key.toUpperCase()));
}
