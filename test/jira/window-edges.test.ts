// Parallel time windows of jira_issues: the first page is read before the windows are planned, and the
// first window starts at the whole minute of that page's last issue; issues of that minute already emitted
// are not emitted again (a full refresh in overwrite mode would keep both rows).
import { harnessSite, readStream, streamOf } from './harness-client';

test('a full refresh split into windows emits each issue once', async () => {
  for (const seed of [7, 11, 13]) {
    const site = harnessSite({ scale: 'small', seed });
    const run = await readStream(streamOf(site, { page_size: { jira: 10 } }, 'jira_issues'), {
      syncMode: 'full_refresh',
    });
    const ids = run.records.map((r) => r.id as string);
    expect([seed, ids.length]).toEqual([seed, new Set(ids).size]);
    expect(new Set(ids)).toEqual(site.harness.module.visibleIds('jira_issues'));
  }
});
