// Finding issues by id (`id in (…)`) when Jira refuses a query naming an issue that no longer exists: the
// batch is split until the refused id stands alone, and that id counts as gone only if the issue answers 404.
import nock from '../helpers/nock';
import { JIRA, harness, thrown } from '../atlassian/harness';
import { locate, type ReaderContext } from '../../src/jira/reader-context';

const context = (): ReaderContext =>
  ({ client: harness().site.jira, signal: new AbortController().signal }) as unknown as ReaderContext;
const jqlOf = (body: nock.Body) => (body as { jql: string }).jql;
const issue = (id: string) => ({ id, fields: { project: { id: '10000' } } });

test('a batch refused for a deleted id is split; the deleted id is gone, the others are found', async () => {
  const asked: string[] = [];
  nock(JIRA)
    .post('/rest/api/3/search/jql', (body) => asked.push(jqlOf(body)) > 0)
    .times(5)
    .reply(function (_uri, body) {
      const jql = jqlOf(body as nock.Body);
      if (jql.includes('3'))
        return [400, { errorMessages: ["An issue with key '3' does not exist for field 'id'."] }];
      const ids = /id in \(([^)]*)\)/.exec(jql)![1]!.split(', ');
      return [200, { issues: ids.map(issue), isLast: true }];
    })
    .get('/rest/api/3/issue/3')
    .query({ fields: 'id' })
    .reply(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'] });
  const found = await locate(['1', '2', '3', '4'], [], context());
  expect([...found.keys()].sort()).toEqual(['1', '2', '4']);
  expect(asked).toEqual(['id in (1, 2, 3, 4)', 'id in (1, 2)', 'id in (3, 4)', 'id in (3)', 'id in (4)']);
});

test('a lone id refused while the issue exists is an error, not a deletion', async () => {
  nock(JIRA)
    .post('/rest/api/3/search/jql')
    .reply(400, { errorMessages: ['The value of field id is invalid.'] })
    .get('/rest/api/3/issue/7')
    .query({ fields: 'id' })
    .reply(200, { id: '7' });
  const error = await thrown(() => locate(['7'], [], context()));
  expect(error.message).toMatch(/400/);
});
