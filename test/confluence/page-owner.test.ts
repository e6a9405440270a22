// confluence_pages.owner_account_id comes from `history.ownedBy`, expanded on the page listing
// itself: a page's owner can differ from its creator (ownership is transferable).
import { startSimulator, type Simulator } from '../../sim';
import type { ConfluenceModel } from '../../sim/confluence/model';
import { records, runConnector } from '../helpers/run-connector';
import { catalog } from './helpers';

describe('confluence_pages owner', () => {
  let sim: Simulator;
  let base: Record<string, unknown>;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 'small', seed: 7 });
    base = sim.connectorConfig({ jira: { enabled: false } });
  });
  afterAll(() => sim.close());

  it('gives each page its owner, also when the owner is not the creator, with no extra requests', async () => {
    const m = sim.model.confluence as ConfluenceModel;
    const pages = [...m.contents.values()].filter((c) => c.kind === 'page');
    const handedOver = pages[0]!;
    const newOwner = sim.model.directory.users.find((u) => u.accountId !== handedOver.authorId)!.accountId;
    handedOver.ownerId = newOwner;

    sim.clearRequests();
    const run = await runConnector(['read'], {
      config: base,
      catalog: catalog(['confluence_pages'], 'full_refresh'),
    });
    expect(run.exitCode).toBe(0);
    const rs = records(run.messages, 'confluence_pages');
    expect(rs.length).toBeGreaterThan(1);
    for (const r of rs) expect(r.owner_account_id).toBe(m.contents.get(r.id as string)!.ownerId);
    const record = rs.find((r) => r.id === handedOver.id)!;
    expect(record.owner_account_id).toBe(newOwner);
    expect(record.author_account_id).toBe(handedOver.authorId);
    // The owner comes with the listing: no per-page history requests.
    expect(sim.requests().filter((r) => r.path.includes('/history'))).toEqual([]);
  });
});
