// The baseline the benchmark compares the connector with: a plain loop that makes the minimum request
// sequence for the content streams — every list endpoint at its largest page size, partitions walked with
// the same concurrency and the same request-rate ceiling — reading each page only for the link to the
// next. It runs in a process of its own, started like the connector (bench/run.ts), so that its wall time,
// peak RSS and CPU are the same-run reference for the connector's: what any Node process needs to read
// these pages under these conditions, on this machine, next to the simulator.
// It imports nothing of the connector but the issue field list, so its memory is a plain loop's.
import { ISSUE_FIELDS } from '../src/jira/issue-fields';

/** Where the simulator listens and the service account that reads it. */
export interface SiteAccess {
  url: string;
  cloudId: string;
  email: string;
  token: string;
}

export interface WalkOptions {
  concurrency: number;
  requestsPerSecond: number;
  /** The content streams to walk (default: all of them, as the full sync reads them). */
  streams?: readonly string[];
}

export interface WalkFigures {
  wallMs: number;
  requests: number;
  /** Requests per stream, for "requests vs the API minimum". */
  requestsByStream: Record<string, number>;
  /** Items the pages held (issues, pages, comments…), for CPU per 10k records. */
  items: number;
}

export const CONTENT_STREAMS = [
  'jira_issues',
  'confluence_pages',
  'confluence_blogposts',
  'confluence_comments',
  'confluence_attachments',
] as const;

export interface Walk {
  stream: string;
  /** First request; pages follow `_links.next`, `startAt` or `nextPageToken`. */
  path: string;
  body?: Record<string, unknown>;
}

type Page = Record<string, unknown>;

/** Consecutive failed attempts (429s, 5xx, network errors) after which a request is given up. */
const MAX_FAILURES = 20;

/** A paced reader of the site: one request-rate ceiling, requests counted per stream. */
export function reader(site: SiteAccess, requestsPerSecond: number) {
  const auth = 'Basic ' + Buffer.from(`${site.email}:${site.token}`).toString('base64');
  const confluence = `${site.url}/ex/confluence/${site.cloudId}`;
  const jira = `${site.url}/ex/jira/${site.cloudId}`;
  const interval = 1000 / requestsPerSecond;
  const counts: Record<string, number> = {};
  let items = 0;
  let nextSlot = 0;

  async function call(stream: string, url: string, body?: unknown): Promise<Page> {
    for (let failures = 0; ; failures++) {
      if (failures === MAX_FAILURES)
        throw new Error(`${new URL(url).pathname}: ${failures} failures in a row`);
      const now = Date.now();
      nextSlot = Math.max(nextSlot, now) + interval;
      if (nextSlot - interval > now) await sleep(nextSlot - interval - now);
      counts[stream] = (counts[stream] ?? 0) + 1;
      const res = await fetch(url, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: auth, 'content-type': 'application/json', accept: 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      }).catch(() => undefined);
      if (res?.ok) {
        const page = (await res.json()) as Page;
        for (const list of [page.results, page.issues, page.values])
          if (Array.isArray(list)) items += list.length;
        return page;
      }
      // 429s and 5xx are waited out and retried; anything else is a bug in the walk, not a hiccup.
      if (res && res.status !== 429 && res.status < 500)
        throw new Error(`${new URL(url).pathname} answered ${res.status}`);
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

  /** Every space, through the v2 list's `_links.next`. */
  async function spaces(): Promise<Array<{ id: string; key: string }>> {
    const out: Array<{ id: string; key: string }> = [];
    for (let url: string | undefined = `${confluence}/wiki/api/v2/spaces?limit=250`; url;) {
      const page = await call('confluence_spaces', url);
      out.push(...(page.results as Array<{ id: string; key: string }>));
      const next = (page._links as { next?: string } | undefined)?.next;
      url = next ? confluence + next : undefined;
    }
    return out;
  }

  async function projects(): Promise<Array<{ key: string }>> {
    const page = await call('jira_projects', `${jira}/rest/api/3/project/search?maxResults=100`);
    return page.values as Array<{ key: string }>;
  }

  return { walk, spaces, projects, counts, items: () => items };
}

/** The timed minimum: each selected content stream's list endpoints, walked to the end. */
export async function walkMinimum(site: SiteAccess, options: WalkOptions): Promise<WalkFigures> {
  const selected = new Set(options.streams ?? CONTENT_STREAMS);
  const r = reader(site, options.requestsPerSecond);
  const started = Date.now();
  const needSpaces = selected.has('confluence_pages') || selected.has('confluence_blogposts');
  const spaces = needSpaces ? await r.spaces() : [];
  const projects = selected.has('jira_issues') ? await r.projects() : [];
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
        // The fields jira_issues records are built from: pages as large as the connector's.
        fields: ISSUE_FIELDS,
      },
    })),
  ].filter((w) => selected.has(w.stream));
  await pool(walks, options.concurrency, r.walk);
  const requests = Object.values(r.counts).reduce((a, b) => a + b, 0);
  return { wallMs: Date.now() - started, requests, requestsByStream: r.counts, items: r.items() };
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

// As its own process (bench/run.ts starts it): site and options from BASELINE_RUN, figures on stdout.
if (require.main === module) {
  const { site, options } = JSON.parse(process.env.BASELINE_RUN ?? '{}') as {
    site: SiteAccess;
    options: WalkOptions;
  };
  walkMinimum(site, options).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
