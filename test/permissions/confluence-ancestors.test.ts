// Where a page sits comes from the v2 page listing (parents of every type); ancestors outside it (folders,
// whiteboards, databases, embeds) have their read restriction and their own ancestors read once per sync,
// whichever permission stream asks first. One that cannot be read closes every page under it, with WARNs
// naming the ancestor and each page, and shows as an `unreadable` restriction row. Refusals, so nock.
import nock from '../helpers/nock';
import { permissionStreams } from '../../src/permissions';
import { canOpen } from '../../src/permissions/acl';
import { validateConfig } from '../../src/config';
import { CONFLUENCE, JIRA, harness } from '../atlassian/harness';

const config = validateConfig({
  domain: 'acme.atlassian.net',
  credentials: { auth_type: 'api_token', email: 'bot@acme.example', api_token: 'token' },
  jira: { enabled: false },
});
const list = <T>(results: T[]) => ({ results, start: 0, limit: 100, size: results.length });
const unrestricted = { read: { restrictions: { user: list([]), group: list([]) } } };

/** alice is in `all` and `staff`, bob in `all` only; the connector runs as svc. */
function directoryRoutes(): void {
  const user = (accountId: string) => ({ accountId, accountType: 'atlassian', active: true });
  nock(JIRA)
    .get('/rest/api/3/myself')
    .reply(200, { accountId: 'svc' })
    .get('/rest/api/3/users/search')
    .query((q) => q.startAt === '0')
    .reply(200, [user('alice'), user('bob'), user('svc')])
    .get('/rest/api/3/users/search')
    .query((q) => q.startAt !== '0')
    .reply(200, [])
    .get('/rest/api/3/group/bulk')
    .query(true)
    .reply(200, {
      values: [
        { groupId: 'g-all', name: 'all' },
        { groupId: 'g-staff', name: 'staff' },
      ],
      isLast: true,
    })
    .get('/rest/api/3/group/member')
    .query((q) => q.groupId === 'g-all')
    .reply(200, { values: [{ accountId: 'alice' }, { accountId: 'bob' }], isLast: true })
    .get('/rest/api/3/group/member')
    .query((q) => q.groupId === 'g-staff')
    .reply(200, { values: [{ accountId: 'alice' }], isLast: true });
  nock(CONFLUENCE).post('/wiki/api/v2/users-bulk').reply(200, { results: [] }).persist();
}

/**
 * Space OPS, readable by group `all`: page 1 in folder 50 (its restriction refused), page 2 in folder 51
 * (restricted to `staff`), page 3 at the root; archived page 9 in folder 52 (whose ancestors are refused),
 * archived page 10 under page 3 and archived page 11 in folder 51. CQL's results carry no ancestors: the
 * tree is v2's. Every route answers as often as the two streams need it, no more.
 */
function spaceRoutes(): void {
  nock(CONFLUENCE)
    .get('/wiki/api/v2/spaces')
    .query((q) => q.status === 'current')
    .times(2)
    .reply(200, { results: [{ id: '77', key: 'OPS', type: 'global' }], _links: {} })
    .get('/wiki/api/v2/spaces/77/permissions')
    .query(true)
    .reply(200, {
      results: [
        {
          id: '1',
          principal: { type: 'group', id: 'g-all' },
          operation: { key: 'read', targetType: 'space' },
        },
      ],
      _links: {},
    })
    .get('/wiki/api/v2/spaces/77/pages')
    .query((q) => String(q.status) === 'current,archived')
    .times(2)
    .reply(200, {
      results: [
        { id: '1', status: 'current', parentId: '50', parentType: 'folder' },
        { id: '2', status: 'current', parentId: '51', parentType: 'folder' },
        { id: '3', status: 'current', parentId: null },
        { id: '9', status: 'archived', parentId: '52', parentType: 'folder' },
        { id: '10', status: 'archived', parentId: '3', parentType: 'page' },
        { id: '11', status: 'archived', parentId: '51', parentType: 'folder' },
      ],
      _links: {},
    })
    .get('/wiki/rest/api/content/search')
    .query((q) => String(q.cql).includes('type in (page, blogpost)'))
    .times(2)
    .reply(200, {
      results: [
        { id: '1', type: 'page', restrictions: unrestricted },
        { id: '2', type: 'page', restrictions: unrestricted },
        { id: '3', type: 'page', restrictions: unrestricted },
      ],
      _links: {},
    })
    .get(/\/wiki\/api\/v2\/folders\/(50|51)\/ancestors/)
    .query(true)
    .times(2)
    .reply(200, { results: [] })
    .get('/wiki/api/v2/folders/52/ancestors')
    .query(true)
    .reply(403, { errors: [{ status: 403, title: 'Forbidden' }] })
    .get('/wiki/rest/api/content/50/restriction/byOperation/read')
    .query(true)
    .reply(403, { statusCode: 403, message: 'Forbidden' })
    .get('/wiki/rest/api/content/51/restriction/byOperation/read')
    .query(true)
    .reply(200, {
      operation: 'read',
      restrictions: { user: list([]), group: list([{ id: 'g-staff', name: 'staff' }]) },
    })
    .get(/\/wiki\/rest\/api\/content\/(9|10|11)\/restriction\/byOperation\/read/)
    .query(true)
    .times(3)
    .reply(200, { operation: 'read', restrictions: { user: list([]), group: list([]) } })
    .get('/wiki/rest/api/content/search')
    .query((q) => String(q.cql).includes('type in (comment, attachment)'))
    .reply(200, { results: [], _links: {} });
}

test('an ancestor folder whose restriction cannot be read, or an archived page whose ancestors cannot be listed, closes what is under it; each folder is read once per sync', async () => {
  directoryRoutes();
  spaceRoutes();
  const { site } = harness();
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
  const streams = permissionStreams({ config, site: async () => site, logger });
  const ctx = { syncMode: 'full_refresh' as const, logger, signal: new AbortController().signal };
  const read = async (name: string) => {
    const out: Record<string, unknown>[] = [];
    for await (const e of streams.find((s) => s.name === name)!.read(ctx))
      if (e.type === 'record') out.push(e.data);
    return out;
  };
  const rows = await read('confluence_content_restrictions');
  const docs = new Map((await read('document_permissions')).map((d) => [d.document_id as string, d]));

  expect(
    rows.map((r) => [r.content_id, r.source_content_id, r.inherited, r.principal_type, r.principal_id]),
  ).toEqual([
    ['1', '50', true, 'unreadable', 'unreadable'],
    ['2', '51', true, 'group', 'g-staff'],
  ]);
  const opens = (id: string, who: string) => {
    const d = docs.get(id)!;
    const acl = {
      public: d.public as boolean,
      users: d.users as string[],
      groups: (d.groups as { id: string }[]).map((g) => g.id),
    };
    return canOpen(acl, who, (a) => (a === 'alice' ? ['g-all', 'g-staff'] : ['g-all']));
  };
  const access = (id: string) => ({ id, alice: opens(id, 'alice'), bob: opens(id, 'bob') });
  expect(['1', '2', '3', '9', '10', '11'].map(access)).toEqual([
    { id: '1', alice: false, bob: false },
    { id: '2', alice: true, bob: false },
    { id: '3', alice: true, bob: true },
    { id: '9', alice: false, bob: false },
    { id: '10', alice: true, bob: true },
    { id: '11', alice: true, bob: false },
  ]);
  expect(docs.get('1')!.readable).toBe(false);
  expect(docs.get('9')!.readable).toBe(false);
  expect(warnings).toEqual(
    expect.arrayContaining([
      'cannot read the read restriction of folder 50 in space OPS (403): nobody gets access to what is under it',
      expect.stringMatching(
        /^confluence page 1 \(space OPS\): read restriction of ancestor folder 50 could not be read; nobody gets access/,
      ),
      expect.stringMatching(
        /^cannot read the ancestors of folder 52 in space OPS \(403\): nobody gets access/,
      ),
      expect.stringMatching(/^confluence page 9 \(space OPS\): the ancestors of 9 could not be listed/),
    ]),
  );
  expect(warnings.filter((w) => / page (2|3|10|11) /.test(w))).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
});
