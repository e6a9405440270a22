// The effective ACLs we emit, joined with the directory we emit, must give the same answer to "may user U
// open document D" as the simulator's own access model, for every Confluence document and every user
// (anonymous, deactivated, hidden email, group members of restricted pages, personal and archived spaces).
import { startSimulator, type Simulator } from '../../sim';
import { canOpen } from '../../src/permissions/acl';
import { loadSchema } from '../../src/schemas';
import { records, runConnector } from '../helpers/run-connector';
import { SIM_KIND_OF_DOCUMENT } from '../helpers/document-kinds';

const STREAMS = ['users', 'group_memberships', 'document_permissions'];
const catalog = (names: string[]) => ({
  streams: names.map((name) => ({
    stream: { name, json_schema: loadSchema(name), supported_sync_modes: ['full_refresh'] },
    sync_mode: 'full_refresh',
    destination_sync_mode: 'overwrite',
  })),
});

interface Emitted {
  docs: Record<string, unknown>[];
  users: Record<string, unknown>[];
  groupsOf: (a: string) => string[];
}

async function sync(config: Record<string, unknown>, names = STREAMS): Promise<Emitted> {
  const run = await runConnector(['read'], { config, catalog: catalog(names) });
  if (run.exitCode !== 0) throw new Error(run.stderr + run.stdout.slice(-2000));
  const memberships = records(run.messages, 'group_memberships');
  const byUser = new Map<string, string[]>();
  for (const m of memberships)
    byUser.set(m.account_id as string, [...(byUser.get(m.account_id as string) ?? []), m.group_id as string]);
  return {
    docs: records(run.messages, 'document_permissions'),
    users: records(run.messages, 'users'),
    groupsOf: (a) => byUser.get(a) ?? [],
  };
}

/** What a search index would decide from our records: an active user who passes the ACL. */
function ourAnswer(e: Emitted, doc: Record<string, unknown>, accountId: string): boolean {
  const acl = {
    public: doc.public as boolean,
    users: doc.users as string[],
    groups: (doc.groups as { id: string }[]).map((g) => g.id),
  };
  if (accountId === 'anonymous') return acl.public;
  const user = e.users.find((u) => u.account_id === accountId);
  return user?.active === true && canOpen(acl, accountId, e.groupsOf);
}

function mismatches(sim: Simulator, e: Emitted, withAnonymous = true): string[] {
  const out: string[] = [];
  const people = [
    ...sim.model.directory.users
      .map((u) => u.accountId)
      .filter((a) => a !== sim.model.directory.serviceAccount.accountId),
    ...(withAnonymous ? ['anonymous'] : []),
  ];
  for (const doc of e.docs) {
    const kind = SIM_KIND_OF_DOCUMENT[doc.document_type as string]!;
    for (const a of people) {
      const truth = sim.truth.canSee(a, kind, doc.document_id as string);
      if (truth !== ourAnswer(e, doc, a))
        out.push(`${kind} ${String(doc.document_id)} user ${a}: sim ${truth}, ours ${!truth}`);
    }
  }
  return out;
}

describe.each([
  ['tiny', 11],
  ['small', 3],
] as const)('confluence document_permissions against the simulator (%s scale)', (scale, seed) => {
  let sim: Simulator;
  let config: Record<string, unknown>;
  beforeAll(async () => {
    sim = await startSimulator({ scale, seed });
    config = sim.connectorConfig({ jira: { enabled: false }, confluence: { include_archived_spaces: true } });
  });
  afterAll(() => sim.close());

  it('agrees with the simulator for every document and every user (org Admin API directory)', async () => {
    const e = await sync(config);
    expect(e.docs.length).toBeGreaterThan(10);
    const types = new Set(e.docs.map((d) => d.document_type));
    expect([...types].sort()).toEqual([
      'confluence_attachment',
      'confluence_blogpost',
      'confluence_comment',
      'confluence_page',
    ]);
    expect(mismatches(sim, e)).toEqual([]);
    // The service account is in no list (it sees everything we emit, by construction).
    const svc = sim.model.directory.serviceAccount.accountId;
    expect(e.docs.filter((d) => (d.users as string[]).includes(svc))).toEqual([]);
    expect(e.groupsOf(svc)).toEqual([]);
    // The fixtures the table must cover are really among the compared documents.
    const model = sim.model.confluence;
    const emitted = new Set(e.docs.map((d) => d.document_id as string));
    const restricted = (c: { readRestriction: { users: string[]; groups: string[] } }) =>
      c.readRestriction.users.length + c.readRestriction.groups.length > 0;
    const pagesSeen = [...model.contents.values()].filter((c) => c.kind === 'page' && emitted.has(c.id));
    expect(
      pagesSeen.some((c) => !restricted(c) && c.parentId && restricted(model.contents.get(c.parentId)!)),
    ).toBe(true);
    expect(
      pagesSeen.some(
        (c) =>
          !restricted(c) &&
          model
            .ancestors(c)
            .slice(0, -1)
            .some((a) => restricted(a)),
      ),
    ).toBe(true);
    // Restrictions inherited through folders, which CQL does not list: a page under a restricted folder,
    // and an archived page whose parent chain passes through a folder up to a restricted page.
    const folders = (c: (typeof pagesSeen)[number]) => model.ancestors(c).filter((a) => a.kind === 'folder');
    expect(pagesSeen.some((c) => !restricted(c) && folders(c).some(restricted))).toBe(true);
    expect(
      pagesSeen.some(
        (c) =>
          c.status === 'archived' &&
          folders(c).length > 0 &&
          model.ancestors(c).some((a) => a.kind === 'page' && restricted(a)),
      ),
    ).toBe(true);
    const spaceOf = (id: string) => model.spaces.get(model.contents.get(id)!.spaceId)!;
    expect(pagesSeen.some((c) => spaceOf(c.id).type === 'personal')).toBe(true);
    expect(pagesSeen.some((c) => spaceOf(c.id).status === 'archived')).toBe(true);
    expect(e.docs.some((d) => d.public === true)).toBe(true);
    expect(sim.model.directory.users.some((u) => !u.active)).toBe(true);
    expect(sim.model.directory.users.some((u) => !u.emailVisible && u.accountType === 'atlassian')).toBe(
      true,
    );
    // Emitted documents are exactly those the service account can see.
    for (const kind of ['page', 'blogpost', 'comment', 'attachment']) {
      const ours = e.docs
        .filter((d) => d.document_type === `confluence_${kind}`)
        .map((d) => d.document_id as string);
      expect(new Set(ours)).toEqual(sim.truth.visibleIds(`confluence_${kind}s`));
    }
  });

  it('fetches restrictions in bulk, not one request per page', async () => {
    sim.clearRequests();
    const e = await sync(config, ['document_permissions']);
    // Only archived pages and folders (outside CQL search) have their restriction read one by one, once.
    const restrictionReads = sim
      .requests()
      .filter((r) => /\/restriction/.test(r.path))
      .map((r) => /content\/(\d+)\//.exec(r.path)?.[1] ?? '');
    for (const id of restrictionReads) {
      const c = sim.model.confluence.contents.get(id);
      expect(c?.status === 'archived' || c?.kind === 'folder').toBe(true);
    }
    expect(new Set(restrictionReads).size).toBe(restrictionReads.length);
    const docs = e.docs.length;
    expect(docs).toBeGreaterThan(10);
    expect(sim.requests().length).toBeLessThan(docs / 2);
  });
});

describe.each([
  ['tiny', 11],
  ['small', 7],
] as const)('jira document_permissions against the simulator (%s scale)', (scale, seed) => {
  let sim: Simulator;
  let config: Record<string, unknown>;
  beforeAll(async () => {
    sim = await startSimulator({ scale, seed });
    config = sim.connectorConfig({ confluence: { enabled: false } });
  });
  afterAll(() => sim.close());

  it('agrees with the simulator for every issue, comment and attachment and every user', async () => {
    const e = await sync(config);
    const types = new Set(e.docs.map((d) => d.document_type));
    expect([...types].sort()).toEqual(['jira_attachment', 'jira_comment', 'jira_issue']);
    // An application-role grant cannot be resolved through the APIs the simulator offers: those documents
    // must fail closed (fewer people, never more); every other document must match exactly.
    const unresolved = (d: Record<string, unknown>) =>
      (d.sources as { kind: string }[]).some((s) => s.kind === 'application_role');
    const exact = e.docs.filter((d) => !unresolved(d));
    expect(exact.length).toBeGreaterThan(10);
    // Jira's `anyone` grant is public in Jira Cloud; the simulator has no anonymous Jira caller, so anonymous
    // visitors are compared on Confluence only.
    expect(mismatches(sim, { ...e, docs: exact }, false)).toEqual([]);
    expect(
      mismatches(sim, { ...e, docs: e.docs.filter(unresolved) }, false).filter((m) =>
        m.includes('sim false'),
      ),
    ).toEqual([]);
    // Fixture coverage: security levels, restricted comments, reporter-style issue holders, anyone, role actors.
    const kinds = new Set(e.docs.flatMap((d) => (d.sources as { kind: string }[]).map((s) => s.kind)));
    expect([...kinds]).toEqual(
      expect.arrayContaining([
        'security_level',
        'comment_visibility',
        'issue_field',
        'project_role',
        'anyone',
      ]),
    );
    for (const kind of ['issue', 'comment', 'attachment']) {
      const ours = e.docs
        .filter((d) => d.document_type === `jira_${kind}`)
        .map((d) => d.document_id as string);
      expect(new Set(ours)).toEqual(sim.truth.visibleIds(`jira_${kind}s`));
    }
  });

  it('needs no request per issue: one search walk per project plus per-project scheme, roles and levels', async () => {
    sim.clearRequests();
    const e = await sync(config, ['document_permissions']);
    const perIssue = sim.requests().filter((r) => /\/rest\/api\/3\/issue\//.test(r.path)).length;
    expect(perIssue).toBe(0);
    expect(e.docs.length).toBeGreaterThan(20);
    expect(sim.requests().length).toBeLessThan(e.docs.length);
  });
});
