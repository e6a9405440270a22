// Space filters from the config: include / exclude keys, archived spaces off by default, personal spaces
// on by default, excluded users' personal spaces skipped, unknown include keys reported with a WARN.
import { startSimulator, type Simulator } from '../../sim';
import type { ConfluenceModel } from '../../sim/confluence/model';
import type { AirbyteMessage } from '../../src/generated/protocol';
import { records, runConnector } from '../helpers/run-connector';
import { catalog } from './helpers';

const READ = catalog(['confluence_spaces', 'confluence_pages'], 'full_refresh');
const warnings = (messages: AirbyteMessage[]) =>
  messages.filter((m) => m.type === 'LOG' && m.log?.level === 'WARN').map((m) => m.log!.message);

describe('confluence space filters', () => {
  let sim: Simulator;
  let m: ConfluenceModel;
  let base: Record<string, unknown>;
  const read = async (overrides: Record<string, unknown>) => {
    const run = await runConnector(['read'], { config: { ...base, ...overrides }, catalog: READ });
    expect(run.exitCode).toBe(0);
    const spaces = records(run.messages, 'confluence_spaces').map((r) => r.key as string);
    const pageSpaces = new Set(records(run.messages, 'confluence_pages').map((r) => r.space_key as string));
    return { spaces, pageSpaces, warnings: warnings(run.messages) };
  };
  const spaces = () => [...m.spaces.values()];

  beforeAll(async () => {
    sim = await startSimulator({ scale: 'small', seed: 5 });
    m = sim.model.confluence as ConfluenceModel;
    base = sim.connectorConfig({ jira: { enabled: false } });
  });
  afterAll(() => sim.close());

  it('by default reads personal spaces and skips archived ones', async () => {
    const archived = spaces().find((s) => s.status === 'archived')!;
    const personal = spaces().find((s) => s.type === 'personal')!;
    const { spaces: keys, pageSpaces } = await read({});
    expect(keys).toContain(personal.key);
    expect(keys).not.toContain(archived.key);
    expect(pageSpaces.has(archived.key)).toBe(false);
    const withArchived = await read({ confluence: { include_archived_spaces: true } });
    expect(withArchived.spaces).toContain(archived.key);
    expect(withArchived.pageSpaces.has(archived.key)).toBe(true);
    const noPersonal = await read({ confluence: { include_personal_spaces: false } });
    expect(noPersonal.spaces).not.toContain(personal.key);
  });

  it('include keys keep only those spaces and name the ones that do not exist; exclude keys drop spaces', async () => {
    const [a, b] = spaces().filter((s) => s.type === 'global' && s.status === 'current');
    const included = await read({ confluence: { spaces: { include: [a!.key, 'NOPE'] } } });
    expect(included.spaces).toEqual([a!.key]);
    expect([...included.pageSpaces]).toEqual([a!.key]);
    expect(included.warnings.filter((w) => /confluence\.spaces\.include.*NOPE/.test(w))).toHaveLength(1);
    const excluded = await read({ confluence: { spaces: { exclude: [b!.key] } } });
    expect(excluded.spaces).not.toContain(b!.key);
    expect(excluded.spaces).toContain(a!.key);
    expect(excluded.pageSpaces.has(b!.key)).toBe(false);
  });

  it('skips the personal space of an excluded user, by account id or by email', async () => {
    const personal = spaces().find((s) => s.type === 'personal')!;
    const byId = await read({ users: { exclude: [personal.authorId] } });
    expect(byId.spaces).not.toContain(personal.key);
    const owner = sim.model.directory.users.find((u) => u.accountId === personal.authorId)!;
    owner.emailVisible = true;
    sim.clearRequests();
    const byEmail = await read({ users: { exclude: [owner.email.toUpperCase()] } });
    expect(byEmail.spaces).not.toContain(personal.key);
    expect(byEmail.spaces.length).toBeGreaterThan(0);
    // The owners of a page of spaces are looked up together, once for every stream that lists spaces.
    const owners = spaces()
      .filter((s) => s.type === 'personal')
      .map((s) => s.authorId!);
    const lookups = sim
      .requests()
      .filter((r) => r.path.endsWith('/users-bulk'))
      .map((r) => JSON.parse(r.body!).accountIds as string[])
      .filter((ids) => ids.every((id) => owners.includes(id)));
    expect(lookups).toEqual([owners]);
  });

  it('gives ACLs to the documents of exactly the spaces it reads content from, whoever users.include keeps', async () => {
    const personal = spaces().find((s) => s.type === 'personal')!;
    const someoneElse = sim.model.directory.users.find((u) => u.active && u.accountId !== personal.authorId)!;
    const aclsOfPages = async (overrides: Record<string, unknown>) => {
      const run = await runConnector(['read'], {
        config: { ...base, ...overrides },
        catalog: catalog(['confluence_pages', 'document_permissions'], 'full_refresh'),
      });
      expect(run.exitCode).toBe(0);
      const pages = records(run.messages, 'confluence_pages');
      const withAcl = new Set(
        records(run.messages, 'document_permissions')
          .filter((r) => r.document_type === 'confluence_page')
          .map((r) => r.document_id),
      );
      return {
        personalPages: pages.filter((p) => p.space_key === personal.key).length,
        withoutAcl: pages
          .filter((p) => !withAcl.has(p.id))
          .map((p) => `${String(p.space_key)}/${String(p.id)}`),
        acls: withAcl.size,
      };
    };
    // The owner is not among the users kept in ACLs, yet the space is read: its pages need their ACLs.
    const kept = await aclsOfPages({ users: { include: [someoneElse.accountId] } });
    expect(kept.personalPages).toBeGreaterThan(0);
    expect(kept.withoutAcl).toEqual([]);
    // An excluded owner's personal space is skipped by both.
    const excluded = await aclsOfPages({ users: { exclude: [personal.authorId] } });
    expect(excluded.personalPages).toBe(0);
    expect(excluded.withoutAcl).toEqual([]);
    expect(excluded.acls).toBe(kept.acls - kept.personalPages);
  });
});

describe('confluence page size', () => {
  let sim: Simulator;
  afterAll(() => sim.close());

  it('page_size.confluence sets the limit of every content listing, and paging still reads everything', async () => {
    sim = await startSimulator({ scale: 'small', seed: 5 });
    const config = sim.connectorConfig({ jira: { enabled: false } });
    const read = async (overrides: Record<string, unknown>) => {
      sim.clearRequests();
      const run = await runConnector(['read'], { config: { ...config, ...overrides }, catalog: READ });
      expect(run.exitCode).toBe(0);
      const listings = sim
        .requests()
        .filter((r) => r.path.endsWith('/wiki/rest/api/content/search'))
        .map((r) => new URLSearchParams(r.query).get('limit'))
        .filter((limit) => limit !== '1'); // the one-item count request of the estimate
      return {
        ids: records(run.messages, 'confluence_pages')
          .map((r) => r.id)
          .sort(),
        listings,
      };
    };
    const byDefault = await read({});
    const small = await read({ page_size: { confluence: 7 } });
    // Later pages follow the server's `next` link, which carries the limit it applied (50 with bodies).
    expect(byDefault.listings).toContain('250');
    expect(new Set(small.listings)).toEqual(new Set(['7']));
    expect(small.listings.length).toBeGreaterThan(byDefault.listings.length);
    expect(small.ids).toEqual(byDefault.ids);
    expect(small.ids.length).toBeGreaterThan(7);
  });
});
