// Every paging style over HTTP (nock): what is requested next, when the walk stops, clamped page sizes, loops.
import nock from '../helpers/nock';
import {
  adminCursorPages,
  confluenceCursorPages,
  offsetPages,
  tokenPages,
} from '../../src/atlassian/pagination';
import { CONFLUENCE, GATEWAY, JIRA, harness, thrown } from './harness';

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('confluenceCursorPages', () => {
  test('v2: follows the relative _links.next (with /wiki) on the gateway, never _links.base', async () => {
    nock(CONFLUENCE)
      .get('/wiki/api/v2/spaces/9/pages')
      .query({ limit: '2' })
      .reply(200, {
        results: [1, 2],
        _links: {
          next: '/wiki/api/v2/spaces/9/pages?limit=2&cursor=c1',
          base: 'https://acme.atlassian.net/wiki',
        },
      })
      .get('/wiki/api/v2/spaces/9/pages')
      .query({ limit: '2', cursor: 'c1' })
      .reply(200, { results: [3], _links: { base: 'https://acme.atlassian.net/wiki' } });
    const pages = await collect(
      confluenceCursorPages(harness().site.confluence, '/wiki/api/v2/spaces/9/pages', {
        params: { limit: 2 },
      }),
    );
    expect(pages).toEqual([[1, 2], [3]]);
  });

  test('v2: uses the Link header when the body has no next link', async () => {
    nock(CONFLUENCE)
      .get('/wiki/api/v2/pages')
      .reply(200, { results: ['a'] }, { Link: '</wiki/api/v2/pages?cursor=c2>; rel="next"' })
      .get('/wiki/api/v2/pages')
      .query({ cursor: 'c2' })
      .reply(200, { results: ['b'] });
    expect(await collect(confluenceCursorPages(harness().site.confluence, '/wiki/api/v2/pages'))).toEqual([
      ['a'],
      ['b'],
    ]);
  });

  test('v1 search: a next link relative to the /wiki context gets /wiki prepended', async () => {
    nock(CONFLUENCE)
      .get('/wiki/rest/api/search')
      .query({ cql: 'type=page' })
      .reply(200, {
        results: ['x'],
        _links: { next: '/rest/api/search?cql=type%3Dpage&cursor=n1', context: '/wiki' },
      })
      .get('/wiki/rest/api/search')
      .query({ cql: 'type=page', cursor: 'n1' })
      .reply(200, { results: ['y'], _links: { context: '/wiki' } });
    const pages = await collect(
      confluenceCursorPages(harness().site.confluence, '/wiki/rest/api/search', {
        params: { cql: 'type=page' },
      }),
    );
    expect(pages).toEqual([['x'], ['y']]);
  });

  test('an empty page with a next link is not the end (results filtered by permissions)', async () => {
    nock(CONFLUENCE)
      .get('/wiki/api/v2/pages')
      .reply(200, { results: [], _links: { next: '/wiki/api/v2/pages?cursor=c' } })
      .get('/wiki/api/v2/pages')
      .query({ cursor: 'c' })
      .reply(200, { results: ['z'] });
    expect(await collect(confluenceCursorPages(harness().site.confluence, '/wiki/api/v2/pages'))).toEqual([
      ['z'],
    ]);
  });

  test('a server repeating the same next link is an error, not an endless loop', async () => {
    nock(CONFLUENCE)
      .get('/wiki/api/v2/pages')
      .query(true)
      .times(3)
      .reply(200, { results: [1], _links: { next: '/wiki/api/v2/pages?cursor=same' } });
    const error = await thrown(() =>
      collect(confluenceCursorPages(harness().site.confluence, '/wiki/api/v2/pages')),
    );
    expect(error.message).toMatch(/Pagination loop on \/wiki\/api\/v2\/pages/);
  });
});

describe('offsetPages', () => {
  test('Jira PageBean: walks by isLast and advances by the items returned when the server clamps maxResults', async () => {
    nock(JIRA)
      .get('/rest/api/3/project/search')
      .query({ startAt: '0', maxResults: '500' })
      .reply(200, { values: [1, 2, 3], maxResults: 3, isLast: false })
      .get('/rest/api/3/project/search')
      .query({ startAt: '3', maxResults: '500' })
      .reply(200, { values: [4, 5], maxResults: 3, isLast: true });
    const pages = await collect(
      offsetPages(harness().site.jira, '/rest/api/3/project/search', { style: 'startAt', pageSize: 500 }),
    );
    expect(pages).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  test('Jira bare arrays: a short first page may be a clamp, so one more page is asked; a shorter one ends it', async () => {
    nock(JIRA)
      .get('/rest/api/3/users/search')
      .query({ startAt: '0', maxResults: '1000' })
      .reply(200, [1, 2])
      .get('/rest/api/3/users/search')
      .query({ startAt: '2', maxResults: '1000' })
      .reply(200, [3, 4])
      .get('/rest/api/3/users/search')
      .query({ startAt: '4', maxResults: '1000' })
      .reply(200, [5]);
    const pages = await collect(
      offsetPages(harness().site.jira, '/rest/api/3/users/search', { style: 'startAt', pageSize: 1000 }),
    );
    expect(pages).toEqual([[1, 2], [3, 4], [5]]);
  });

  test('Jira bare arrays: an empty page ends the walk', async () => {
    nock(JIRA)
      .get('/rest/api/3/users/search')
      .query({ startAt: '0', maxResults: '2' })
      .reply(200, [1, 2])
      .get('/rest/api/3/users/search')
      .query({ startAt: '2', maxResults: '2' })
      .reply(200, []);
    const pages = await collect(
      offsetPages(harness().site.jira, '/rest/api/3/users/search', { style: 'startAt', pageSize: 2 }),
    );
    expect(pages).toEqual([[1, 2]]);
  });

  test('legacy envelope via itemsKey: stops at total', async () => {
    nock(JIRA)
      .get('/rest/api/3/issue/A-1/comment')
      .query({ startAt: '0', maxResults: '2', orderBy: 'created' })
      .reply(200, { comments: ['c1', 'c2'], startAt: 0, maxResults: 2, total: 3 })
      .get('/rest/api/3/issue/A-1/comment')
      .query({ startAt: '2', maxResults: '2', orderBy: 'created' })
      .reply(200, { comments: ['c3'], startAt: 2, maxResults: 2, total: 3 });
    const pages = await collect(
      offsetPages(harness().site.jira, '/rest/api/3/issue/A-1/comment', {
        style: 'startAt',
        pageSize: 2,
        itemsKey: 'comments',
        params: { orderBy: 'created' },
      }),
    );
    expect(pages).toEqual([['c1', 'c2'], ['c3']]);
  });

  test('Confluence v1 start/limit: follows while _links.next is present, advancing by the clamped size', async () => {
    nock(CONFLUENCE)
      .get('/wiki/rest/api/group')
      .query({ start: '0', limit: '1000' })
      .reply(200, {
        results: ['g1', 'g2'],
        start: 0,
        limit: 2,
        size: 2,
        _links: { next: '/rest/api/group?start=2&limit=2' },
      })
      .get('/wiki/rest/api/group')
      .query({ start: '2', limit: '1000' })
      .reply(200, { results: ['g3'], start: 2, limit: 2, size: 1, _links: {} });
    const pages = await collect(
      offsetPages(harness().site.confluence, '/wiki/rest/api/group', { style: 'start', pageSize: 1000 }),
    );
    expect(pages).toEqual([['g1', 'g2'], ['g3']]);
  });
});

describe('tokenPages', () => {
  test('POSTs the body with each nextPageToken until isLast', async () => {
    nock(JIRA)
      .post('/rest/api/3/search/jql', { jql: 'project = A', fields: ['id'] })
      .reply(200, { issues: [{ id: '1' }], nextPageToken: 't1', isLast: false })
      .post('/rest/api/3/search/jql', { jql: 'project = A', fields: ['id'], nextPageToken: 't1' })
      .reply(200, { issues: [{ id: '2' }], isLast: true });
    const pages = await collect(
      tokenPages(harness().site.jira, '/rest/api/3/search/jql', { jql: 'project = A', fields: ['id'] }),
    );
    expect(pages).toEqual([[{ id: '1' }], [{ id: '2' }]]);
  });

  test('a repeated nextPageToken is an error', async () => {
    nock(JIRA)
      .post('/rest/api/3/search/jql')
      .times(3)
      .reply(200, { issues: [{ id: '1' }], nextPageToken: 'same', isLast: false });
    const error = await thrown(() =>
      collect(tokenPages(harness().site.jira, '/rest/api/3/search/jql', { jql: 'x' })),
    );
    expect(error.message).toMatch(/same nextPageToken twice/);
  });

  test('itemsKey picks another array (changelog bulkfetch)', async () => {
    nock(JIRA)
      .post('/rest/api/3/changelog/bulkfetch')
      .reply(200, { issueChangeLogs: [{ issueId: '1' }] });
    const pages = await collect(
      tokenPages(
        harness().site.jira,
        '/rest/api/3/changelog/bulkfetch',
        { issueIdsOrKeys: ['1'] },
        { itemsKey: 'issueChangeLogs' },
      ),
    );
    expect(pages).toEqual([[{ issueId: '1' }]]);
  });
});

describe('adminCursorPages', () => {
  const admin = () =>
    harness({ organization_id: 'org1', organization_admin_api_key: 'org-key-0123456789abcdef' }).site.admin!
      .client;

  test('v2 GET: links.next is a cursor token sent back as the cursor query parameter', async () => {
    nock(`${GATEWAY}/admin`)
      .get('/v2/orgs/org1/directories')
      .query({ limit: '100' })
      .reply(200, { data: ['d1'], links: { next: 'kloHX1' } })
      .get('/v2/orgs/org1/directories')
      .query({ limit: '100', cursor: 'kloHX1' })
      .reply(200, { data: ['d2'], links: {} });
    expect(
      await collect(adminCursorPages(admin(), '/v2/orgs/org1/directories', { params: { limit: 100 } })),
    ).toEqual([['d1'], ['d2']]);
  });

  test('v1 GET: links.next as a URL is reduced to its cursor', async () => {
    nock(`${GATEWAY}/admin`)
      .get('/v1/orgs')
      .reply(200, { data: ['o1'], links: { next: 'https://api.atlassian.com/admin/v1/orgs?cursor=abc' } })
      .get('/v1/orgs')
      .query({ cursor: 'abc' })
      .reply(200, { data: ['o2'], links: {} });
    expect(await collect(adminCursorPages(admin(), '/v1/orgs'))).toEqual([['o1'], ['o2']]);
  });

  test('POST search: the cursor goes in the body next to the filters; workspaces sends the cursor alone', async () => {
    nock(`${GATEWAY}/admin`)
      .post('/v2/orgs/org1/directories/-/users/search', { limit: 100, expand: ['groups'] })
      .reply(200, { data: ['u1'], links: { next: 'c1' } })
      .post('/v2/orgs/org1/directories/-/users/search', { limit: 100, expand: ['groups'], cursor: 'c1' })
      .reply(200, { data: ['u2'], links: { next: null } })
      .post('/v2/orgs/org1/workspaces', { limit: 1000 })
      .reply(200, { data: ['w1'], links: { next: 'w' } })
      .post('/v2/orgs/org1/workspaces', { cursor: 'w' })
      .reply(200, { data: ['w2'], links: {} });
    const body = { limit: 100, expand: ['groups'] };
    expect(
      await collect(adminCursorPages(admin(), '/v2/orgs/org1/directories/-/users/search', { body })),
    ).toEqual([['u1'], ['u2']]);
    expect(
      await collect(adminCursorPages(admin(), '/v2/orgs/org1/workspaces', { body: { limit: 1000 } })),
    ).toEqual([['w1'], ['w2']]);
  });
});
