// The resumable issue search chain over HTTP (nock): when it stops, and which token goes with each page.
import nock from '../helpers/nock';
import { JIRA, harness, thrown } from '../atlassian/harness';
import { searchChain, type SearchPage } from '../../src/jira/search';

const options = { jql: 'project = 1 ORDER BY id ASC', fields: ['comment'], maxResults: 2 };

async function collect(pages: AsyncIterable<SearchPage>): Promise<SearchPage[]> {
  const out: SearchPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('searchChain', () => {
  test('an empty page with a next page token is not the end: the chain goes on to isLast', async () => {
    const scope = nock(JIRA)
      .post('/rest/api/3/search/jql', { ...options })
      .reply(200, { issues: [{ id: '1' }, { id: '2' }], nextPageToken: 't1', isLast: false })
      .post('/rest/api/3/search/jql', { ...options, nextPageToken: 't1' })
      .reply(200, { issues: [], nextPageToken: 't2', isLast: false })
      .post('/rest/api/3/search/jql', { ...options, nextPageToken: 't2' })
      .reply(200, { issues: [{ id: '5' }], nextPageToken: 't3', isLast: false })
      .post('/rest/api/3/search/jql', { ...options, nextPageToken: 't3' })
      .reply(200, { issues: [], isLast: true });
    const pages = await collect(searchChain(harness().site.jira, options));
    // Each page carries the token to continue after it; the empty pages hold nothing to checkpoint.
    expect(pages).toEqual([
      { issues: [{ id: '1' }, { id: '2' }], nextPageToken: 't1' },
      { issues: [{ id: '5' }], nextPageToken: 't3' },
    ]);
    expect(scope.isDone()).toBe(true);
  });

  test('starts at a saved token and ends on the page without one', async () => {
    nock(JIRA)
      .post('/rest/api/3/search/jql', { ...options, nextPageToken: 'saved' })
      .reply(200, { issues: [], nextPageToken: 't4' })
      .post('/rest/api/3/search/jql', { ...options, nextPageToken: 't4' })
      .reply(200, { issues: [{ id: '9' }] });
    const pages = await collect(searchChain(harness().site.jira, { ...options, startToken: 'saved' }));
    expect(pages).toEqual([{ issues: [{ id: '9' }] }]);
  });

  test('a token handed back again on empty pages is an error, not an endless walk', async () => {
    nock(JIRA)
      .post('/rest/api/3/search/jql')
      .times(3)
      .reply(200, { issues: [], nextPageToken: 'same', isLast: false });
    const error = await thrown(() => collect(searchChain(harness().site.jira, options)));
    expect(error.message).toMatch(/same nextPageToken twice/);
  });
});
