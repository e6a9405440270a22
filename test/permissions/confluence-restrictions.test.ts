// A read restriction whose user and group lists did not come back expanded says nothing about who is
// restricted: the page must fail closed (and a WARN name it), never read as "unrestricted". Only two
// expanded, empty lists mean "no restriction". Misbehaving responses, so nock.
import nock from '../helpers/nock';
import { archivedPages, pageTree, spaceContent, type ContentItem } from '../../src/permissions/confluence';
import { CONFLUENCE, harness } from '../atlassian/harness';

const space = { id: '77', key: 'OPS' };
const unexpanded = {
  _expandable: {
    user: '/rest/api/content/1/restriction/byOperation/read/user',
    group: '/rest/api/content/1/restriction/byOperation/read/group',
  },
};
const list = <T>(results: T[], limit = 100) => ({ results, start: 0, limit, size: results.length });

function recorder() {
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
  return { logger, warnings };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const restrictionOf = (items: ContentItem[], id: string) => items.find((i) => i.id === id)!.restriction;

test('restriction lists that came back unexpanded close the page, naming it; two empty lists do not', async () => {
  nock(CONFLUENCE)
    .get('/wiki/rest/api/content/search')
    .query(true)
    .reply(200, {
      results: [
        { id: '1', type: 'page', restrictions: { read: { restrictions: unexpanded } } },
        {
          id: '2',
          type: 'page',
          restrictions: { read: { restrictions: { user: list([]), group: unexpanded } } },
        },
        {
          id: '3',
          type: 'blogpost',
          restrictions: { read: { restrictions: { user: list([]), group: list([]) } } },
        },
        {
          id: '4',
          type: 'page',
          restrictions: {
            read: { restrictions: { user: list([]), group: list([{ id: 'g-1', name: 'ops' }]) } },
          },
        },
      ],
      _links: {},
    });
  const { logger, warnings } = recorder();
  const items = await collect(spaceContent(harness().site, space, logger));
  expect(restrictionOf(items, '1')).toBe('unreadable');
  expect(restrictionOf(items, '2')).toBe('unreadable');
  expect(restrictionOf(items, '3')).toBeUndefined();
  expect(restrictionOf(items, '4')).toEqual({ users: [], groups: [{ id: 'g-1', name: 'ops' }] });
  expect(warnings).toEqual([
    expect.stringMatching(
      /^the read restriction of page 1 in space OPS came back without its user and group lists: nobody gets access/,
    ),
    expect.stringMatching(/^the read restriction of page 2 in space OPS came back without/),
  ]);
});

test('a full restriction read (truncated list) whose body has no restrictions closes the page', async () => {
  nock(CONFLUENCE)
    .get('/wiki/rest/api/content/search')
    .query(true)
    .reply(200, {
      results: [
        {
          id: '5',
          type: 'page',
          restrictions: {
            read: { restrictions: { user: list([{ accountId: 'u-1' }], 1), group: list([]) } },
          },
        },
      ],
      _links: {},
    })
    .get('/wiki/rest/api/content/5/restriction/byOperation/read')
    .query(true)
    .reply(200, { operation: 'read', _expandable: { restrictions: '', content: '/rest/api/content/5' } });
  const { logger, warnings } = recorder();
  const items = await collect(spaceContent(harness().site, space, logger));
  expect(restrictionOf(items, '5')).toBe('unreadable');
  expect(warnings).toEqual([
    expect.stringMatching(/read restriction of page 5 in space OPS came back without/),
  ]);
});

test('an archived page whose byOperation/read body has no restrictions is closed, not unrestricted', async () => {
  nock(CONFLUENCE)
    .get('/wiki/api/v2/spaces/77/pages')
    .query(true)
    .reply(200, {
      results: [
        { id: '8', status: 'archived', parentId: null },
        { id: '9', status: 'archived', parentId: '8' },
      ],
      _links: {},
    })
    .get('/wiki/rest/api/content/8/restriction/byOperation/read')
    .query(true)
    .reply(200, { operation: 'read', _expandable: { restrictions: '' } })
    .get('/wiki/rest/api/content/9/restriction/byOperation/read')
    .query(true)
    .reply(200, { operation: 'read', restrictions: { user: list([]), group: list([]) } });
  const { logger, warnings } = recorder();
  const site = harness().site;
  const items = await collect(archivedPages(site, space, await pageTree(site, space), logger));
  expect(restrictionOf(items, '8')).toBe('unreadable');
  expect(restrictionOf(items, '9')).toBeUndefined();
  expect(warnings).toEqual([
    expect.stringMatching(/read restriction of archived page 8 in space OPS came back without/),
  ]);
});
