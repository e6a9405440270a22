// Pagination exactly per spec (v2 cursors + Link header, v1 start/limit and search cursors), clamping,
// status semantics, visibility and CQL date semantics in the caller's time zone.
import { startSimulator, type Simulator } from '../../sim';
import { zonedToEpoch } from '../../sim/core/time-zone';
import { call, walkV2 } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scale: 'small', seed: 3 });
});
afterAll(() => sim.close());

describe('v2 cursor pagination', () => {
  test.each([1, 7, 25, 250])(
    'walking /pages at limit %i returns every visible live page exactly once',
    async (limit) => {
      const { items, pages } = await walkV2<{ id: string }>(
        sim,
        `/wiki/api/v2/pages?limit=${limit}&sort=-modified-date`,
      );
      const ids = items.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(sim.truth.visibleIds('confluence_pages'));
      expect(pages).toBe(Math.max(1, Math.ceil(ids.length / Math.min(limit, 250))));
    },
  );

  test('walks of comments and attachments match the ground truth', async () => {
    const footer = await walkV2<{ id: string }>(sim, '/wiki/api/v2/footer-comments?limit=50');
    const inline = await walkV2<{ id: string }>(sim, '/wiki/api/v2/inline-comments?limit=50');
    expect(new Set([...footer.items, ...inline.items].map((c) => c.id))).toEqual(
      sim.truth.visibleIds('confluence_comments'),
    );
    const attachments = await walkV2<{ id: string }>(sim, '/wiki/api/v2/attachments?limit=40');
    expect(new Set(attachments.items.map((a) => a.id))).toEqual(
      sim.truth.visibleIds('confluence_attachments'),
    );
  });

  test('next links are relative with /wiki, base is the site, Link header only while more pages exist', async () => {
    const first = await call(sim, '/wiki/api/v2/spaces?limit=2');
    const links = (first.body as { _links: { next: string; base: string } })._links;
    expect(links.next).toMatch(/^\/wiki\/api\/v2\/spaces\?.*cursor=/);
    expect(links.base).toBe(`${sim.url}/wiki`);
    expect(first.headers.get('link')).toBe(`<${links.next}>; rel="next", <${sim.url}/wiki>; rel="base"`);
    const all = await walkV2(sim, '/wiki/api/v2/spaces?limit=2');
    const lastPath = `/wiki/api/v2/spaces?limit=2`;
    const last = await call(sim, lastPath.replace('limit=2', `limit=${all.items.length}`));
    expect((last.body as { _links: { next?: string } })._links.next).toBeUndefined();
    expect(last.headers.get('link')).toBeNull();
  });

  test('limits above the maximum clamp silently; attachments default to 50', async () => {
    const pages = await call(sim, '/wiki/api/v2/pages?limit=1000');
    expect(pages.status).toBe(200);
    expect((pages.body as { results: unknown[] }).results.length).toBe(
      Math.min(250, sim.truth.visibleIds('confluence_pages').size),
    );
    const attachments = await call(sim, '/wiki/api/v2/attachments');
    expect((attachments.body as { results: unknown[] }).results).toHaveLength(50);
    expect((attachments.body as { _links: { next: string } })._links.next).toContain('limit=50');
    const bad = await call(sim, '/wiki/api/v2/pages?limit=0');
    expect(bad.status).toBe(400);
    const badCursor = await call(sim, '/wiki/api/v2/pages?cursor=not-a-cursor');
    expect(badCursor.status).toBe(400);
  });

  test('ancestors: no cursor, the nearest `limit` ancestors top-to-bottom', async () => {
    const m = sim.model.confluence;
    const sa = sim.model.directory.serviceAccount.accountId;
    const deep = [...m.contents.values()].find(
      (c) => c.kind === 'page' && m.ancestors(c).length >= 3 && sim.truth.canSee(sa, 'page', c.id),
    )!;
    const chain = m.ancestors(deep).map((a) => a.id);
    const all = await call(sim, `/wiki/api/v2/pages/${deep.id}/ancestors`);
    expect((all.body as { results: Array<{ id: string }> }).results.map((a) => a.id)).toEqual(chain);
    const two = await call(sim, `/wiki/api/v2/pages/${deep.id}/ancestors?limit=2`);
    expect((two.body as { results: Array<{ id: string }> }).results.map((a) => a.id)).toEqual(
      chain.slice(-2),
    );
    expect((two.body as { _links: { next?: string } })._links.next).toBeUndefined();
  });
});

describe('statuses and visibility', () => {
  test('trashed pages appear only when asked; purged pages are gone', async () => {
    const trashed = [...sim.model.confluence.contents.values()].find(
      (c) => c.kind === 'page' && c.status === 'trashed',
    )!;
    const space = trashed.spaceId;
    const defaults = await walkV2<{ id: string; status: string }>(
      sim,
      `/wiki/api/v2/spaces/${space}/pages?limit=250`,
    );
    expect(defaults.items.map((p) => p.id)).not.toContain(trashed.id);
    expect(new Set(defaults.items.map((p) => p.status))).not.toContain('trashed');
    const asked = await walkV2<{ id: string }>(
      sim,
      `/wiki/api/v2/spaces/${space}/pages?limit=250&status=trashed`,
    );
    if (
      sim.truth.canSee(sim.model.directory.serviceAccount.accountId, 'page', trashed.id) ||
      asked.items.length
    ) {
      expect(asked.items.every((p) => sim.model.confluence.contents.get(p.id)!.status === 'trashed')).toBe(
        true,
      );
    }
    expect((await call(sim, `/wiki/api/v2/pages/${trashed.id}`)).status).toBe(404);
  });

  test('blog posts default to current only and reject archived', async () => {
    expect((await call(sim, '/wiki/api/v2/blogposts?status=archived')).status).toBe(400);
    const { items } = await walkV2<{ status: string }>(sim, '/wiki/api/v2/blogposts?limit=250');
    expect(new Set(items.map((b) => b.status))).toEqual(new Set(['current']));
  });

  test('restricted parent with unrestricted children, restriction two levels up, page hidden from the service account', async () => {
    const m = sim.model.confluence;
    const eng = [...m.spaces.values()].find((s) => s.key === 'ENG')!;
    const pages = [...m.contents.values()]
      .filter((c) => c.spaceId === eng.id && c.kind === 'page')
      .slice(0, 10);
    const sa = sim.model.directory.serviceAccount.accountId;
    const visible = sim.truth.visibleIds('confluence_pages');
    expect(pages[1]!.readRestriction.groups.length).toBeGreaterThan(0);
    expect(visible.has(pages[1]!.id)).toBe(true);
    expect(visible.has(pages[2]!.id)).toBe(true); // unrestricted child of a restricted parent it may read
    expect(visible.has(pages[3]!.id)).toBe(false); // restricted to site-admins
    expect(visible.has(pages[4]!.id)).toBe(false); // inherits from its parent
    expect(visible.has(pages[5]!.id)).toBe(false); // restriction two levels up
    expect(visible.has(pages[6]!.id)).toBe(false); // restricted to one person
    expect(sim.truth.canSee(pages[6]!.readRestriction.users[0]!, 'page', pages[6]!.id)).toBe(true);
    expect(visible.has(pages[8]!.id)).toBe(true); // restricted to a person and the service account
    for (const hidden of [3, 4, 5, 6])
      expect((await call(sim, `/wiki/api/v2/pages/${pages[hidden]!.id}`)).status).toBe(404);
    const hr = [...m.spaces.values()].find((s) => s.key === 'HR')!;
    expect((await call(sim, `/wiki/api/v2/spaces/${hr.id}`)).status).toBe(404);
    const pub = [...m.spaces.values()].find((s) => s.key === 'PUB')!;
    expect(sim.truth.visibleIds('confluence_spaces').has(pub.id)).toBe(true); // through anonymous access only
    expect(sim.truth.canSee(sa, 'page', pub.homepageId)).toBe(true);
  });
});

describe('v1 pagination', () => {
  test('group members page by start/limit with _links.next relative to /wiki', async () => {
    const group = sim.model.directory.groupByName('confluence-users')!;
    const expected = sim.model.directory.members.get(group.id)!;
    const seen: string[] = [];
    let next: string | undefined = `/rest/api/group/${group.id}/membersByGroupId?limit=7`;
    while (next) {
      expect(next.startsWith('/wiki')).toBe(false);
      const r = await call(sim, `/wiki${next}`);
      const body = r.body as { results: Array<{ accountId: string }>; _links: { next?: string } };
      seen.push(...body.results.map((u) => u.accountId));
      next = body._links.next;
    }
    expect(seen.length).toBe(expected.size);
    expect(new Set(seen)).toEqual(expected);
  });

  test('CQL content search walks by cursor, each item once, in lastmodified order', async () => {
    const cql = encodeURIComponent('type in (page,blogpost) order by lastmodified asc');
    const seen: string[] = [];
    const when: number[] = [];
    let next: string | undefined = `/rest/api/content/search?cql=${cql}&limit=33&expand=version`;
    while (next) {
      const r = await call(sim, `/wiki${next}`);
      expect(r.status).toBe(200);
      const body = r.body as {
        results: Array<{ id: string; version: { when: string } }>;
        _links: { next?: string };
      };
      seen.push(...body.results.map((c) => c.id));
      when.push(...body.results.map((c) => Date.parse(c.version.when)));
      next = body._links.next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...when].sort((a, b) => a - b)).toEqual(when);
    // Folders are not searchable here (the connector never asks CQL for them).
    const live = [...sim.model.confluence.contents.values()].filter(
      (c) => c.kind !== 'folder' && c.status === 'current' && sim.model.confluence.spaces.get(c.spaceId)!,
    );
    const visibleCurrent = live.filter((c) =>
      sim.truth.canSee(sim.model.directory.serviceAccount.accountId, c.kind, c.id),
    );
    expect(new Set(seen)).toEqual(new Set(visibleCurrent.map((c) => c.id)));
  });
});

describe('CQL dates are read in the service account time zone at minute precision', () => {
  test('the boundary follows Australia/Sydney wall time, not UTC', async () => {
    const sa = sim.model.directory.serviceAccount;
    expect(sa.timeZone).toBe('Australia/Sydney');
    const page = sim.control.confluence.createPage({ spaceKey: 'ENG', title: 'Time zone probe' });
    const at = page.version.createdAt;
    // Sydney wall-clock minute of the edit, as a CQL literal.
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: sa.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(new Date(at));
    const get = (t: string): string => parts.find((p) => p.type === t)!.value;
    const literal = `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
    const ids = async (op: string, lit: string): Promise<string[]> => {
      const cql = encodeURIComponent(`type = page and space = ENG and lastmodified ${op} "${lit}"`);
      const r = await call(sim, `/wiki/rest/api/content/search?cql=${cql}&limit=100`);
      expect(r.status).toBe(200);
      return (r.body as { results: Array<{ id: string }> }).results.map((c) => c.id);
    };
    expect(await ids('>=', literal)).toContain(page.id);
    // Minute precision: an edit at hh:mm:ss is not "after" hh:mm.
    expect(await ids('>', literal)).not.toContain(page.id);
    expect(await ids('<', literal)).not.toContain(page.id);
    // Read as UTC, the Sydney literal would be 10-11 hours after the edit and `>=` would miss it.
    const asUtc = zonedToEpoch(
      {
        year: Number(get('year')),
        month: Number(get('month')),
        day: Number(get('day')),
        hour: Number(get('hour')),
        minute: Number(get('minute')),
      },
      'UTC',
    );
    expect(asUtc - at).toBeGreaterThan(9 * 3_600_000);
  });

  test('invalid CQL answers 400 in the v1 error shape', async () => {
    const r = await call(sim, `/wiki/rest/api/content/search?cql=${encodeURIComponent('type in (page')}`);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ statusCode: 400 });
  });
});

describe('versions and hierarchy', () => {
  test('a comment has no creator of its own: version 1 carries it', async () => {
    const sa = sim.model.directory.serviceAccount.accountId;
    const edited = [...sim.model.confluence.comments.values()].find(
      (c) => c.kind === 'footer' && c.version.number === 2 && sim.truth.canSee(sa, 'comment', c.id),
    )!;
    const r = await call(sim, `/wiki/api/v2/footer-comments/${edited.id}/versions?sort=modified-date`);
    const versions = (r.body as { results: Array<{ number: number; authorId: string; createdAt: string }> })
      .results;
    expect(versions.map((v) => v.number)).toEqual([1, 2]);
    expect(versions[0]).toMatchObject({
      authorId: edited.authorId,
      createdAt: new Date(edited.createdAt).toISOString(),
    });
    expect(versions[1]!.createdAt).toBe(new Date(edited.version.createdAt).toISOString());
  });

  test('descendants of a homepage are the visible live pages and folders under it', async () => {
    const m = sim.model.confluence;
    const eng = [...m.spaces.values()].find((s) => s.key === 'ENG')!;
    const { items } = await walkV2<{ id: string; depth: number; type: string }>(
      sim,
      `/wiki/api/v2/pages/${eng.homepageId}/descendants?depth=10&limit=5`,
    );
    const sa = sim.model.directory.serviceAccount.accountId;
    const expected = m
      .descendants(eng.homepageId)
      .filter((d) => sim.truth.canSee(sa, d.kind, d.id) && m.ancestors(d).length <= 10);
    expect(new Set(items.map((d) => d.id))).toEqual(new Set(expected.map((d) => d.id)));
    expect(items.some((d) => d.type === 'folder')).toBe(true);
  });
});
