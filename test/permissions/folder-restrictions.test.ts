// A page's parent may be a folder (or a whiteboard, database, embed), which CQL does not list, yet its read
// restriction binds every page under it (ENDPOINTS.md §1.3, §2.1). Against the simulator: the ACLs and the
// restriction rows follow a restricted folder, for a current page and for an archived page whose parent
// chain passes through a folder; and a restriction that names nobody we list still shows as a row.
import { startSimulator, type Simulator } from '../../sim';
import { canOpen } from '../../src/permissions/acl';
import { loadSchema } from '../../src/schemas';
import { records, runConnector } from '../helpers/run-connector';

const STREAMS = ['users', 'group_memberships', 'document_permissions', 'confluence_content_restrictions'];
const catalog = {
  streams: STREAMS.map((name) => ({
    stream: { name, json_schema: loadSchema(name), supported_sync_modes: ['full_refresh'] },
    sync_mode: 'full_refresh',
    destination_sync_mode: 'overwrite',
  })),
};

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scale: 'tiny', seed: 5 });
});
afterAll(() => sim.close());

async function sync() {
  const run = await runConnector(['read'], {
    config: sim.connectorConfig({ jira: { enabled: false } }),
    catalog,
  });
  if (run.exitCode !== 0) throw new Error(run.stderr + run.stdout.slice(-2000));
  const byUser = new Map<string, string[]>();
  for (const m of records(run.messages, 'group_memberships'))
    byUser.set(m.account_id as string, [...(byUser.get(m.account_id as string) ?? []), m.group_id as string]);
  const docs = new Map(
    records(run.messages, 'document_permissions').map((d) => [d.document_id as string, d]),
  );
  const restrictions = records(run.messages, 'confluence_content_restrictions');
  return {
    opens(id: string, accountId: string): boolean {
      const d = docs.get(id);
      if (!d) throw new Error(`no document_permissions for ${id}`);
      const acl = {
        public: d.public as boolean,
        users: d.users as string[],
        groups: (d.groups as { id: string }[]).map((g) => g.id),
      };
      return canOpen(acl, accountId, (a) => byUser.get(a) ?? []);
    },
    rowsOf: (id: string) =>
      restrictions
        .filter((r) => r.content_id === id)
        .map((r) => ({
          source: r.source_content_id,
          inherited: r.inherited,
          type: r.principal_type,
          id: r.principal_id,
        })),
    restrictions,
  };
}

test('a page under a restricted folder, and an archived page under a folder under a restricted page, are closed to space readers outside the restriction', async () => {
  const c = sim.control.confluence;
  const dir = sim.model.directory;
  const eng = [...sim.model.confluence.spaces.values()].find((s) => s.key === 'ENG')!;
  const readsEng = (a: string) => sim.truth.canSee(a, 'page', eng.homepageId);
  const people = dir.users.filter((u) => u.active && u.accountId !== dir.serviceAccount.accountId);
  // A group with members who read the space, and space readers outside it.
  const group = dir.groups.find(
    (g) =>
      people.some((u) => readsEng(u.accountId) && dir.groupsOf(u.accountId).has(g.id)) &&
      people.some((u) => readsEng(u.accountId) && !dir.groupsOf(u.accountId).has(g.id)),
  )!;
  const inside = people.find((u) => readsEng(u.accountId) && dir.groupsOf(u.accountId).has(group.id))!;
  const outside = people.find((u) => readsEng(u.accountId) && !dir.groupsOf(u.accountId).has(group.id))!;
  const serviceGroup = dir.groupByName('search-service-accounts')!.id;

  const folder = c.createFolder({ spaceKey: 'ENG', title: 'Restricted folder' });
  c.restrictFolder(folder.id, { groups: [group.id, serviceGroup] });
  const filed = c.createPage({ spaceKey: 'ENG', title: 'Filed in a folder', parentId: folder.id });
  const restricted = c.createPage({ spaceKey: 'ENG', title: 'Restricted page' });
  c.restrictPage(restricted.id, { groups: [group.id, serviceGroup] });
  const plain = c.createFolder({ spaceKey: 'ENG', title: 'Plain folder', parentId: restricted.id });
  const archived = c.createPage({ spaceKey: 'ENG', title: 'Archived in a folder', parentId: plain.id });
  c.archivePage(archived.id);
  for (const page of [filed, archived]) {
    expect(sim.truth.canSee(outside.accountId, 'page', page.id)).toBe(false);
    expect(sim.truth.canSee(inside.accountId, 'page', page.id)).toBe(true);
  }

  sim.clearRequests();
  const e = await sync();
  for (const page of [filed, archived]) {
    expect({ page: page.title, outside: e.opens(page.id, outside.accountId) }).toEqual({
      page: page.title,
      outside: false,
    });
    expect(e.opens(page.id, inside.accountId)).toBe(true);
  }
  expect(e.rowsOf(filed.id)).toEqual(
    expect.arrayContaining([{ source: folder.id, inherited: true, type: 'group', id: group.id }]),
  );
  // Each folder's restriction is read once in the sync, though both streams need it; the pages of the
  // CQL walk (the restricted page included) cost no request of their own.
  const reads = sim
    .requests()
    .filter((r) => /\/restriction\//.test(r.path))
    .map((r) => /content\/(\d+)\//.exec(r.path)?.[1]);
  expect(reads.filter((id) => id === folder.id)).toHaveLength(1);
  expect(reads.filter((id) => id === plain.id)).toHaveLength(1);
  expect(reads).not.toContain(filed.id);
  expect(reads).not.toContain(restricted.id);
});

test('a restriction that allows nobody we list (a deactivated user, the service account) shows as a `none` row', async () => {
  const c = sim.control.confluence;
  const dir = sim.model.directory;
  const svc = dir.serviceAccount.accountId;
  const gone = dir.users.find((u) => !u.active)!;
  const departed = c.createPage({ spaceKey: 'ENG', title: 'Only for a departed user' });
  c.restrictPage(departed.id, { users: [gone.accountId, svc] });
  const child = c.createPage({ spaceKey: 'ENG', title: 'Under it', parentId: departed.id });
  const selfOnly = c.createPage({ spaceKey: 'ENG', title: 'Only for the connector' });
  c.restrictPage(selfOnly.id, { users: [svc] });

  const e = await sync();
  const none = (source: string, inherited: boolean) => ({ source, inherited, type: 'none', id: 'none' });
  expect(e.rowsOf(departed.id)).toEqual([none(departed.id, false)]);
  expect(e.rowsOf(child.id)).toEqual([none(departed.id, true)]);
  expect(e.rowsOf(selfOnly.id)).toEqual([none(selfOnly.id, false)]);
  for (const page of [departed, child, selfOnly])
    for (const u of dir.users) expect(e.opens(page.id, u.accountId)).toBe(false);
  // The primary key still holds with the marker rows.
  const keys = e.restrictions.map((r) =>
    [r.content_id, r.source_content_id, r.principal_type, r.principal_id].join('|'),
  );
  expect(new Set(keys).size).toBe(keys.length);
});

test('a folder named among the ancestors of a deeper folder costs no ancestors request of its own, and still binds the pages in it', async () => {
  const c = sim.control.confluence;
  const dir = sim.model.directory;
  const serviceGroup = dir.groupByName('search-service-accounts')!.id;
  const people = dir.users.filter((u) => u.active && u.accountId !== dir.serviceAccount.accountId);
  const outer = c.createFolder({ spaceKey: 'ENG', title: 'Outer, restricted' });
  c.restrictFolder(outer.id, { groups: [serviceGroup] });
  const middle = c.createFolder({ spaceKey: 'ENG', title: 'Middle', parentId: outer.id });
  const inner = c.createFolder({ spaceKey: 'ENG', title: 'Inner', parentId: middle.id });
  // Pages are walked in id order: the one in the inner folder comes first.
  const deep = c.createPage({ spaceKey: 'ENG', title: 'In the inner folder', parentId: inner.id });
  const shallow = c.createPage({ spaceKey: 'ENG', title: 'In the middle folder', parentId: middle.id });

  sim.clearRequests();
  const e = await sync();
  for (const page of [deep, shallow]) {
    expect(e.rowsOf(page.id)).toEqual(
      expect.arrayContaining([{ source: outer.id, inherited: true, type: 'group', id: serviceGroup }]),
    );
    for (const u of people)
      expect(e.opens(page.id, u.accountId)).toBe(sim.truth.canSee(u.accountId, 'page', page.id));
  }
  const asked = sim
    .requests()
    .map((r) => /\/folders\/(\d+)\/ancestors/.exec(r.path)?.[1])
    .filter((id) => id !== undefined && [outer.id, middle.id, inner.id].includes(id));
  // The inner folder's ancestors name the middle and the outer folder, root first: theirs are what is above.
  expect(asked).toEqual([inner.id]);
});
