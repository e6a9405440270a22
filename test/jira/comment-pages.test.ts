// An issue's comments beyond the page the search embeds, read by offset: a comment skipped because an
// earlier one was deleted between two pages is not lost (the next pass would have tombstoned it for good).
import nock from '../helpers/nock';
import { JIRA, harness } from '../atlassian/harness';
import { allComments } from '../../src/jira/comments';
import type { IssueBean } from '../../src/jira/issue-fields';

const comment = (id: string) => ({ id, created: '2026-01-02T10:00:00.000+0000', body: null });

test('a listing that comes back short of the search’s count is read again, and nothing is dropped', async () => {
  const issue = { id: '7', fields: { comment: { comments: [comment('1'), comment('2')], total: 5 } } };
  const list = (ids: string[]) => ({
    startAt: 0,
    maxResults: 100,
    total: ids.length,
    comments: ids.map(comment),
  });
  nock(JIRA)
    .get('/rest/api/3/issue/7/comment')
    .query(true)
    .reply(200, list(['1', '2', '4', '5'])) // 3 fell between two pages
    .get('/rest/api/3/issue/7/comment')
    .query(true)
    .reply(200, list(['1', '2', '3', '4', '5']));
  const client = harness().site.jira;
  const comments = await allComments(issue as unknown as IssueBean, {
    client,
    signal: new AbortController().signal,
  });
  expect(comments.map((c) => c.id).sort()).toEqual(['1', '2', '3', '4', '5']);
});

test('a complete listing is read once', async () => {
  const issue = { id: '8', fields: { comment: { comments: [comment('1')], total: 2 } } };
  const scope = nock(JIRA)
    .get('/rest/api/3/issue/8/comment')
    .query(true)
    .reply(200, { startAt: 0, maxResults: 100, total: 2, comments: [comment('1'), comment('2')] });
  const client = harness().site.jira;
  const comments = await allComments(issue as unknown as IssueBean, {
    client,
    signal: new AbortController().signal,
  });
  expect(comments.map((c) => c.id)).toEqual(['1', '2']);
  expect(scope.isDone()).toBe(true);
});
