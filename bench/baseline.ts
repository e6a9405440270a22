// The baseline the benchmark compares the connector with: a plain loop that makes the minimum request
// sequence for the content streams — every list endpoint at its largest page size, bodies included,
// partitions walked with the same concurrency and the same request-rate ceiling — and discards the bodies.
// For Confluence it also counts a second minimum: the v2 lists lack what the records carry (labels,
// ancestors, a comment's creator, creation time and space), so the fewest requests that give complete
// records walk the v1 CQL listings with the records' expands, at the largest page the server allows.
import type { Simulator } from '../sim';
import { EXPAND } from '../src/confluence/content-fields';
import { spaceContentCql, type ContentType } from '../src/confluence/cql';

export interface BaselineFigures {
  wallMs: number;
  requests: number;
  /** Requests per content stream, for "requests per 1,000 records vs the API minimum". */
  requestsByStream: Record<string, number>;
  /** Per Confluence content stream: the fewest requests that give complete records (v1 CQL walks). */
  completeRequestsByStream: Record<string, number>;
}

interface Walk {
  stream: string;
  /** First request; pages follow `_links.next`, `startAt` or `nextPageToken`. */
  path: string;
  body?: Record<string, unknown>;
}

export async function runBaseline(
  sim: Simulator,
  options: { concurrency: number; requestsPerSecond: number },
): Promise<BaselineFigures> {
  const { credentials: c } = sim;
  const auth = 'Basic ' + Buffer.from(`${c.serviceAccountEmail}:${c.serviceAccountToken}`).toString('base64');
  const confluence = `${sim.url}/ex/confluence/${sim.cloudId}`;
  const jira = `${sim.url}/ex/jira/${sim.cloudId}`;
  // Where `call` counts: the timed minimum first, then the complete-record walks.
  let counts: Record<string, number> = {};
  const interval = 1000 / options.requestsPerSecond;
  let nextSlot = 0;

  async function call(stream: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
    for (;;) {
      const now = Date.now();
      nextSlot = Math.max(nextSlot, now) + interval;
      if (nextSlot - interval > now) await sleep(nextSlot - interval - now);
      counts[stream] = (counts[stream] ?? 0) + 1;
      const res = await fetch(url, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      }).catch(() => undefined);
      if (res?.ok) return (await res.json()) as Record<string, unknown>;
      await sleep(Number(res?.headers.get('retry-after') ?? 1) * 1000);
    }
  }

  async function walk(w: Walk): Promise<void> {
    const base = w.path.startsWith('/wiki') ? confluence : jira;
    let url: string | undefined = base + w.path;
    let body = w.body;
    let startAt = 0;
    while (url) {
      const page = await call(w.stream, url, body);
      const links = page._links as { next?: string } | undefined;
      if (links?.next) {
        // v2 next links start at /wiki; v1 ones are relative to it (ENDPOINTS.md §2.0).
        url = confluence + (links.next.startsWith('/wiki/') ? '' : '/wiki') + links.next;
      } else if (body && typeof page.nextPageToken === 'string' && !page.isLast) {
        body = { ...body, nextPageToken: page.nextPageToken };
      } else if (Array.isArray(page.values) && !page.isLast && page.values.length > 0) {
        startAt += page.values.length;
        url = `${base}${w.path}&startAt=${startAt}`;
      } else {
        url = undefined;
      }
    }
  }

  const started = Date.now();
  const spaces = await collect(
    call,
    'confluence_spaces',
    `${confluence}/wiki/api/v2/spaces?limit=250`,
    confluence,
  );
  const projects = (await call('jira_projects', `${jira}/rest/api/3/project/search?maxResults=100`))
    .values as Array<{
    key: string;
  }>;
  const walks: Walk[] = [
    { stream: 'confluence_comments', path: '/wiki/api/v2/footer-comments?limit=250&body-format=storage' },
    { stream: 'confluence_comments', path: '/wiki/api/v2/inline-comments?limit=250&body-format=storage' },
    { stream: 'confluence_attachments', path: '/wiki/api/v2/attachments?limit=250' },
    ...spaces.flatMap((s) => [
      { stream: 'confluence_pages', path: `/wiki/api/v2/spaces/${s.id}/pages?limit=250&body-format=storage` },
      {
        stream: 'confluence_blogposts',
        path: `/wiki/api/v2/spaces/${s.id}/blogposts?limit=250&body-format=storage`,
      },
    ]),
    ...projects.map((p) => ({
      stream: 'jira_issues',
      path: '/rest/api/3/search/jql',
      body: {
        jql: `project = "${p.key}" ORDER BY updated ASC, id ASC`,
        maxResults: 100,
        fields: ['summary', 'description', 'status', 'issuetype', 'priority', 'labels', 'updated', 'created'],
      },
    })),
  ];
  await pool(walks, options.concurrency, walk);
  const requestsByStream = counts;
  const requests = Object.values(requestsByStream).reduce((a, b) => a + b, 0);
  const wallMs = Date.now() - started;

  // Counted apart from the timed run above: complete Confluence records through CQL, per space and type.
  counts = {};
  const types: Array<[string, ContentType]> = [
    ['confluence_pages', 'page'],
    ['confluence_blogposts', 'blogpost'],
    ['confluence_comments', 'comment'],
    ['confluence_attachments', 'attachment'],
  ];
  const cqlWalks: Walk[] = [
    // Reply parents: only the v2 comment lists carry parentCommentId.
    { stream: 'confluence_comments', path: '/wiki/api/v2/footer-comments?limit=250' },
    { stream: 'confluence_comments', path: '/wiki/api/v2/inline-comments?limit=250' },
    ...spaces.flatMap((s) =>
      types.map(([stream, type]) => {
        const query = new URLSearchParams({
          cql: spaceContentCql({ spaceKey: s.key, type }),
          expand: EXPAND[type].join(','),
          limit: '250',
          includeArchivedSpaces: 'true',
        });
        return { stream, path: `/wiki/rest/api/content/search?${query}` };
      }),
    ),
  ];
  await pool(cqlWalks, options.concurrency, walk);
  return { wallMs, requests, requestsByStream, completeRequestsByStream: counts };
}

async function collect(
  call: (stream: string, url: string) => Promise<Record<string, unknown>>,
  stream: string,
  first: string,
  base: string,
): Promise<Array<{ id: string; key: string }>> {
  const out: Array<{ id: string; key: string }> = [];
  for (let url: string | undefined = first; url;) {
    const page = await call(stream, url);
    out.push(...(page.results as Array<{ id: string; key: string }>));
    const next = (page._links as { next?: string } | undefined)?.next;
    url = next ? base + next : undefined;
  }
  return out;
}

export async function pool<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let index = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (index < items.length) await work(items[index++] as T);
  });
  await Promise.all(workers);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
