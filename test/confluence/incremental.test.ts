// Incremental sync: after edits, additions, deletions, trash, archive, moves and restrictions made through
// the simulator's control API, a second sync with the first one's state emits exactly the changes plus
// tombstones; unchanged records come back only inside the lookback window.
import { startSimulator, type Simulator } from '../../sim';
import type { ConfluenceModel } from '../../sim/confluence/model';
import { lastState, records, runConnector, statesAsInput } from '../helpers/run-connector';
import { catalog, CONTENT, dead, expectedIds, live, sorted, validate } from './helpers';

const LOOKBACK_MINUTES = 5;

describe('confluence incremental sync', () => {
  let sim: Simulator;
  afterAll(() => sim?.close());

  it('emits exactly the changed records plus tombstones, and unchanged ones only within the lookback', async () => {
    sim = await startSimulator({ scale: 'small', seed: 11 });
    const config = sim.connectorConfig({ jira: { enabled: false }, lookback_minutes: LOOKBACK_MINUTES });
    const m = sim.model.confluence as ConfluenceModel;
    const c = sim.control.confluence;
    const first = await runConnector(['read'], { config, catalog: catalog(CONTENT, 'incremental') });
    expect(first.exitCode).toBe(0);
    const before = new Map(CONTENT.map((s) => [s, expectedIds(sim, s)]));
    for (const s of CONTENT) expect(sorted(live(records(first.messages, s)))).toEqual(sorted(before.get(s)!));

    // Leaf pages of the space with the most visible pages, so each change touches one page.
    const visiblePages = [...before.get('confluence_pages')!].map((id) => m.contents.get(id)!);
    const hasChild = new Set(visiblePages.map((p) => p.parentId));
    const bySpace = new Map<string, typeof visiblePages>();
    for (const p of visiblePages) bySpace.set(p.spaceId, [...(bySpace.get(p.spaceId) ?? []), p]);
    const ranked = [...bySpace.entries()].sort((x, y) => y[1].length - x[1].length);
    const [spaceA, pagesA] = ranked[0]!;
    const spaceB = ranked[1]![0];
    const leaves = pagesA.filter((p) => !hasChild.has(p.id));
    const [edited, trashed, deleted, archived, restricted, moved] = leaves;

    c.updatePage(edited!.id, { body: '<p>Hello <strong>world</strong> &amp; co</p>' });
    const created = c.createPage({ spaceId: spaceA, title: 'Fresh page', body: '<p>Brand new</p>' });
    c.trashPage(trashed!.id);
    c.deletePage(deleted!.id);
    c.archivePage(archived!.id);
    const stranger = [...sim.model.directory.users.values()].find((u) => u.accountType === 'atlassian')!;
    c.restrictPage(restricted!.id, { users: [stranger.accountId] });
    c.movePage(moved!.id, { spaceId: spaceB, parentId: null });
    const blog = [...before.get('confluence_blogposts')!][0]!;
    c.deleteBlogPost(blog);
    const comments = [...before.get('confluence_comments')!].map((id) => m.comments.get(id)!);
    const root = comments.find(
      (x) => !x.parentCommentId && m.contents.get(x.containerId)!.spaceId === spaceA,
    )!;
    const reply = c.addComment({
      containerId: root.containerId,
      parentCommentId: root.id,
      body: '<p>A reply</p>',
    });
    const commentGone = comments.find((x) => x !== root && x.containerId !== root.containerId)!;
    c.deleteComment(commentGone.id);
    const attachment = c.addAttachment({
      containerId: edited!.id,
      title: 'notes.txt',
      kind: 'text',
      bytes: Buffer.from('hello attachment'),
    });
    const attachmentGone = [...before.get('confluence_attachments')!][0]!;
    c.deleteAttachment(attachmentGone);

    const second = await runConnector(['read'], {
      config,
      catalog: catalog(CONTENT, 'incremental'),
      state: statesAsInput(first.messages),
    });
    expect(second.exitCode).toBe(0);
    const after = new Map(CONTENT.map((s) => [s, expectedIds(sim, s)]));
    const changed: Record<string, string[]> = {
      confluence_pages: [edited!.id, created.id, moved!.id],
      confluence_blogposts: [],
      confluence_comments: [reply.id],
      confluence_attachments: [attachment.id],
    };
    for (const s of CONTENT) {
      const rs = records(second.messages, s);
      rs.forEach((r) => validate(s, r));
      const gone = [...before.get(s)!].filter((id) => !after.get(s)!.has(id));
      const appeared = [...after.get(s)!].filter((id) => !before.get(s)!.has(id));
      // Tombstones: exactly what left the visible set.
      expect([s, sorted(dead(rs))]).toEqual([s, sorted(gone)]);
      // Every change is there.
      expect(live(rs)).toEqual(expect.arrayContaining([...changed[s]!, ...appeared]));
      // Anything else re-emitted is unchanged and inside the lookback window of its partition's cursor.
      const firstSpace = new Map(records(first.messages, s).map((r) => [r.id as string, r.space_id]));
      const cursors = (lastState(first.messages, s) as { partitions: Record<string, { cursor?: string }> })
        .partitions;
      for (const r of rs.filter((x) => !x._ab_cdc_deleted_at && !changed[s]!.includes(x.id as string))) {
        // New to the visible set, or new to its partition (moved with its page): found by the sweep.
        if (appeared.includes(r.id as string) || firstSpace.get(r.id as string) !== r.space_id) continue;
        const cursor = cursors[r.space_id as string]?.cursor;
        expect(cursor).toBeDefined();
        const floor = Date.parse(cursor!) - (LOOKBACK_MINUTES + 1) * 60_000;
        expect([s, r.id, Date.parse(r.updated_at as string) >= floor]).toEqual([s, r.id, true]);
      }
      expect(live(rs).length).toBeLessThan(after.get(s)!.size / 3);
    }
    const pages = records(second.messages, 'confluence_pages');
    expect(pages.find((r) => r.id === edited!.id)!.body_text).toBe('Hello world & co');
    expect(pages.find((r) => r.id === moved!.id)).toMatchObject({ space_id: spaceB });
    expect(records(second.messages, 'confluence_comments').find((r) => r.id === reply.id)).toMatchObject({
      parent_comment_id: root.id,
      container_id: root.containerId,
      body_text: 'A reply',
    });
    expect(
      records(second.messages, 'confluence_attachments').find((r) => r.id === attachment.id),
    ).toMatchObject({
      text: expect.stringContaining('hello attachment'),
      extraction_error: null,
    });

    // A third sync with nothing changed: only the lookback window, no tombstones.
    const third = await runConnector(['read'], {
      config,
      catalog: catalog(CONTENT, 'incremental'),
      state: statesAsInput(second.messages),
    });
    expect(third.exitCode).toBe(0);
    for (const s of CONTENT) expect([s, dead(records(third.messages, s))]).toEqual([s, []]);
  }, 120_000);

  it('a space that is no longer read turns its documents into tombstones, or warns when it cannot name them', async () => {
    const fresh = await startSimulator({ scale: 'small', seed: 13 });
    try {
      const config = fresh.connectorConfig({ jira: { enabled: false } });
      const names = ['confluence_pages', 'confluence_blogposts'];
      const first = await runConnector(['read'], { config, catalog: catalog(names, 'incremental') });
      expect(first.exitCode).toBe(0);
      const blogs = records(first.messages, 'confluence_blogposts');
      const perSpace = new Map<string, string[]>();
      for (const r of blogs)
        perSpace.set(r.space_key as string, [...(perSpace.get(r.space_key as string) ?? []), r.id as string]);
      const [key, ids] = [...perSpace.entries()].sort((a, b) => a[1].length - b[1].length)[0]!;
      const spaceId = blogs.find((r) => r.space_key === key)!.space_id as string;
      const second = await runConnector(['read'], {
        config: { ...config, confluence: { spaces: { exclude: [key] } } },
        catalog: catalog(names, 'incremental'),
        state: statesAsInput(first.messages),
      });
      expect(second.exitCode).toBe(0);
      const warned = (stream: string) =>
        second.messages.some(
          (m) =>
            m.type === 'LOG' &&
            m.log?.level === 'WARN' &&
            m.log.message.includes(`${stream}: space ${spaceId}`),
        );
      // The few blog posts of the smallest space decode from its digest.
      expect(sorted(dead(records(second.messages, 'confluence_blogposts')))).toEqual(sorted(ids));
      expect(warned('confluence_blogposts')).toBe(false);
      // Pages: tombstones for all of them, or a WARN naming the space.
      const pageIds = records(first.messages, 'confluence_pages')
        .filter((r) => r.space_key === key)
        .map((r) => r.id as string);
      const deadPages = dead(records(second.messages, 'confluence_pages'));
      expect(warned('confluence_pages') ? deadPages : sorted(deadPages)).toEqual(
        warned('confluence_pages') ? [] : sorted(pageIds),
      );
      for (const name of names) {
        expect(
          live(records(second.messages, name)).filter(
            (id) => records(second.messages, name).find((r) => r.id === id)!.space_key === key,
          ),
        ).toEqual([]);
        const state = lastState(second.messages, name) as { partitions: Record<string, unknown> };
        expect(Object.keys(state.partitions)).not.toContain(spaceId);
      }
    } finally {
      await fresh.close();
    }
  }, 120_000);

  it('finds a deletion however many documents were created since the last sync', async () => {
    const busy = await startSimulator({ scale: 'small', seed: 11 });
    try {
      const config = busy.connectorConfig({ jira: { enabled: false } });
      const m = busy.model.confluence as ConfluenceModel;
      const c = busy.control.confluence;
      const read = catalog(['confluence_pages'], 'incremental');
      const first = await runConnector(['read'], { config, catalog: read });
      expect(first.exitCode).toBe(0);
      const pages = [...expectedIds(busy, 'confluence_pages')].map((id) => m.contents.get(id)!);
      const hasChild = new Set(pages.map((p) => p.parentId));
      const victim = pages.find((p) => !hasChild.has(p.id))!;
      // Far more creations than the space's digest can decode as differences.
      const created = Array.from({ length: 200 }, (_, i) =>
        c.createPage({ spaceId: victim.spaceId, title: `New ${i}`, body: '<p>x</p>' }),
      );
      c.deletePage(victim.id);
      const second = await runConnector(['read'], {
        config,
        catalog: read,
        state: statesAsInput(first.messages),
      });
      expect(second.exitCode).toBe(0);
      expect(dead(records(second.messages, 'confluence_pages'))).toEqual([victim.id]);
      expect(live(records(second.messages, 'confluence_pages'))).toEqual(
        expect.arrayContaining(created.map((p) => p.id)),
      );
      expect(second.messages.filter((x) => x.log?.level === 'WARN')).toEqual([]);
    } finally {
      await busy.close();
    }
  }, 120_000);

  it('a page created on a clock ahead of the connector, then deleted, still becomes a tombstone', async () => {
    const ahead = await startSimulator({
      scale: 'small',
      seed: 11,
      wallClock: () => Date.now() + 10 * 60_000,
    });
    try {
      const config = ahead.connectorConfig({ jira: { enabled: false } });
      const c = ahead.control.confluence;
      const read = catalog(['confluence_pages'], 'incremental');
      const first = await runConnector(['read'], { config, catalog: read });
      const spaceId = records(first.messages, 'confluence_pages')[0]!.space_id as string;
      const page = c.createPage({ spaceId, title: 'Made on a fast clock', body: '<p>x</p>' });
      const second = await runConnector(['read'], {
        config,
        catalog: read,
        state: statesAsInput(first.messages),
      });
      expect(live(records(second.messages, 'confluence_pages'))).toContain(page.id);
      c.deletePage(page.id);
      const third = await runConnector(['read'], {
        config,
        catalog: read,
        state: statesAsInput(second.messages),
      });
      expect(third.exitCode).toBe(0);
      expect(dead(records(third.messages, 'confluence_pages'))).toEqual([page.id]);
    } finally {
      await ahead.close();
    }
  }, 120_000);

  it('a page made on a fast clock and left outside later lookback windows still becomes a tombstone', async () => {
    // Atlassian's clock runs ahead of ours by more than the lookback, and the skew grows between edits.
    let skew = 10 * 60_000;
    const ahead = await startSimulator({ scale: 'small', seed: 11, wallClock: () => Date.now() + skew });
    try {
      const config = ahead.connectorConfig({ jira: { enabled: false } });
      const m = ahead.model.confluence as ConfluenceModel;
      const c = ahead.control.confluence;
      const read = catalog(['confluence_pages'], 'incremental');
      const sync = async (state?: unknown) => {
        const run = await runConnector(['read'], { config, catalog: read, state });
        expect(run.exitCode).toBe(0);
        return run;
      };
      const first = await sync();
      const older = m.contents.get(records(first.messages, 'confluence_pages')[0]!.id as string)!;
      const page = c.createPage({ spaceId: older.spaceId, title: 'Made on a fast clock', body: '<p>x</p>' });
      skew = 30 * 60_000;
      c.updatePage(older.id, { body: '<p>edited later</p>' });
      // Second sync: both emitted; the digest boundary goes above the new page's creation.
      const second = await sync(statesAsInput(first.messages));
      expect(live(records(second.messages, 'confluence_pages'))).toEqual(
        expect.arrayContaining([page.id, older.id]),
      );
      // Third sync: only the edited older page is in the lookback window, so nothing emitted was created
      // on the fast clock; the new page must stay in the digest all the same.
      const third = await sync(statesAsInput(second.messages));
      expect(live(records(third.messages, 'confluence_pages'))).not.toContain(page.id);
      c.deletePage(page.id);
      const fourth = await sync(statesAsInput(third.messages));
      expect(dead(records(fourth.messages, 'confluence_pages'))).toEqual([page.id]);
    } finally {
      await ahead.close();
    }
  }, 120_000);
});
