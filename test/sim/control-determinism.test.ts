// Control API mutations are visible through the API (and over HTTP at /__control); the dataset is
// deterministic per seed and scale; bench scale start-up cost is printed.
import { startSimulator, type Simulator } from '../../sim';
import { call, walkV2 } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scale: 'tiny', seed: 9 });
});
afterAll(() => sim.close());

describe('control API', () => {
  test('create, update (new version and clock), move, trash, purge', async () => {
    const c = sim.control.confluence;
    const created = c.createPage({ spaceKey: 'ENG', title: 'Control probe', body: '<p>first</p>' });
    expect(created.version.createdAt).toBeGreaterThan(Date.UTC(2026, 0, 1));
    const fetched = await call(sim, `/wiki/api/v2/pages/${created.id}?body-format=storage`);
    expect(fetched.body).toMatchObject({
      title: 'Control probe',
      version: { number: 1 },
      body: { storage: { value: '<p>first</p>' } },
    });

    const before = created.version.createdAt;
    c.updatePage(created.id, { body: '<p>second</p>', title: 'Control probe v2' });
    const updated = await call(sim, `/wiki/api/v2/pages/${created.id}?body-format=storage`);
    expect(updated.body).toMatchObject({
      title: 'Control probe v2',
      version: { number: 2 },
      body: { storage: { value: '<p>second</p>' } },
    });
    expect(
      Date.parse((updated.body as { version: { createdAt: string } }).version.createdAt),
    ).toBeGreaterThan(before);

    const other = [...sim.model.confluence.spaces.values()].find((s) => s.key === 'MKT')!;
    c.movePage(created.id, { spaceId: other.id });
    expect((await call(sim, `/wiki/api/v2/pages/${created.id}`)).body).toMatchObject({
      spaceId: other.id,
      parentId: other.homepageId,
    });

    c.trashPage(created.id);
    expect((await call(sim, `/wiki/api/v2/pages/${created.id}`)).status).toBe(404);
    expect((await call(sim, `/wiki/api/v2/pages/${created.id}?status=trashed`)).status).toBe(200);
    c.deletePage(created.id);
    expect((await call(sim, `/wiki/api/v2/pages/${created.id}?status=trashed`)).status).toBe(404);
  });

  test('restrictions change visibility without a new version', async () => {
    const c = sim.control.confluence;
    const page = c.createPage({ spaceKey: 'ENG', title: 'Secret' });
    const child = c.createPage({ spaceKey: 'ENG', title: 'Secret child', parentId: page.id });
    const admins = sim.model.directory.groupByName('site-admins')!.id;
    c.restrictPage(page.id, { groups: [admins] });
    expect(page.version.number).toBe(1);
    expect((await call(sim, `/wiki/api/v2/pages/${child.id}`)).status).toBe(404);
    expect(sim.truth.visibleIds('confluence_pages').has(child.id)).toBe(false);
    const restriction = await call(sim, `/wiki/rest/api/content/${page.id}/restriction/byOperation`, {
      via: 'site',
    });
    expect(restriction.body).toMatchObject({
      read: { restrictions: { group: { results: [{ id: admins }] } } },
    });
    c.unrestrictPage(page.id);
    expect((await call(sim, `/wiki/api/v2/pages/${child.id}`)).status).toBe(200);
  });

  test('comments, attachments (real bytes through the 302 download), space permissions, directory', async () => {
    const c = sim.control.confluence;
    const page = c.createPage({ spaceKey: 'ENG', title: 'With files' });
    const comment = c.addComment({ containerId: page.id, body: '<p>hello</p>' });
    const reply = c.addComment({ containerId: page.id, parentCommentId: comment.id, body: '<p>reply</p>' });
    const roots = await call(sim, `/wiki/api/v2/pages/${page.id}/footer-comments`);
    expect((roots.body as { results: Array<{ id: string }> }).results.map((x) => x.id)).toEqual([comment.id]);
    const children = await call(sim, `/wiki/api/v2/footer-comments/${comment.id}/children`);
    expect((children.body as { results: Array<{ id: string; parentCommentId: string }> }).results).toEqual([
      expect.objectContaining({ id: reply.id, parentCommentId: comment.id }),
    ]);
    const att = c.addAttachment({
      containerId: page.id,
      title: 'hello.txt',
      bytes: Buffer.from('hello bytes'),
    });
    const redirect = await call(sim, `/wiki/rest/api/content/${page.id}/child/attachment/${att.id}/download`);
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(location.startsWith(sim.url)).toBe(true);
    expect(Buffer.from(await (await fetch(location)).arrayBuffer()).toString()).toBe('hello bytes');
    c.deleteAttachment(att.id);
    expect((await call(sim, `/wiki/api/v2/attachments/${att.id}`)).status).toBe(404);
    c.deleteComment(comment.id);
    expect((await call(sim, `/wiki/api/v2/footer-comments/${reply.id}`)).status).toBe(404);

    const eng = [...sim.model.confluence.spaces.values()].find((s) => s.key === 'ENG')!;
    const saGroup = sim.model.directory.groupByName('search-service-accounts')!.id;
    c.setSpacePermission(eng.id, { principal: { type: 'group', id: saGroup }, granted: false });
    const users = sim.model.directory.groupByName('confluence-users')!.id;
    c.setSpacePermission(eng.id, { principal: { type: 'group', id: users }, granted: false });
    expect((await call(sim, `/wiki/api/v2/spaces/${eng.id}`)).status).toBe(404);
    sim.control.directory.addToGroup('site-admins', sim.model.directory.serviceAccount.accountId);
    expect((await call(sim, `/wiki/api/v2/spaces/${eng.id}`)).status).toBe(200);
    sim.control.directory.removeFromGroup('site-admins', sim.model.directory.serviceAccount.accountId);
    c.setSpacePermission(eng.id, { principal: { type: 'group', id: saGroup }, granted: true });
  });

  test('the control API over HTTP, and the request log', async () => {
    sim.clearRequests();
    const created = await fetch(`${sim.url}/__control/confluence/createPage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ spaceKey: 'ENG', title: 'Over HTTP' }),
    });
    const page = (await created.json()) as { id: string };
    await call(sim, `/wiki/api/v2/pages/${page.id}`);
    const log = (await (await fetch(`${sim.url}/__control/requests`)).json()) as Array<{
      method: string;
      path: string;
      status: number;
      surface: string;
    }>;
    expect(log).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: `/wiki/api/v2/pages/${page.id}`,
        status: 200,
        surface: 'gateway',
      }),
    ]);
    expect(sim.requests()).toHaveLength(1);
  });

  test('site-wide walks after mutations still return each item once', async () => {
    const { items } = await walkV2<{ id: string }>(sim, '/wiki/api/v2/pages?limit=3');
    expect(new Set(items.map((p) => p.id))).toEqual(sim.truth.visibleIds('confluence_pages'));
  });
});

describe('determinism', () => {
  test('same seed and scale give the same digest; another seed a different one', async () => {
    const a = await startSimulator({ scale: 'small', seed: 42 });
    const b = await startSimulator({ scale: 'small', seed: 42 });
    const c = await startSimulator({ scale: 'small', seed: 43 });
    try {
      expect(a.digest()).toBe(b.digest());
      expect(c.digest()).not.toBe(a.digest());
      const body = async (s: Simulator): Promise<string> =>
        (await call(s, '/wiki/api/v2/pages?limit=20&body-format=storage')).text.replaceAll(s.url, '');
      expect(await body(a)).toBe(await body(b));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  test('bench scale start-up time and memory (printed, not asserted)', async () => {
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const bench = await startSimulator({ scale: 'bench', seed: 1 });
    const ms = performance.now() - started;
    const rss = process.memoryUsage().rss;
    console.log(
      `bench scale: start ${Math.round(ms)} ms, RSS +${Math.round((rss - rssBefore) / 1e6)} MB (total ${Math.round(rss / 1e6)} MB); ` +
        `${bench.model.confluence.contents.size} pages+blog posts, ${bench.model.confluence.comments.size} comments, ${bench.model.confluence.attachments.size} attachments`,
    );
    const first = await call(bench, '/wiki/api/v2/pages?limit=250&body-format=storage');
    expect((first.body as { results: unknown[] }).results).toHaveLength(250);
    await bench.close();
  }, 120_000);
});
