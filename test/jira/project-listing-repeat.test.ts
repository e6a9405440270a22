// Offset paging repeats an item when one is inserted before the offset between two pages (a project created
// while the listing is read): a project listed twice is read once, never as two partitions side by side.
import { harnessSite, readStream, streamOf } from './harness-client';

test('a project the listing gives twice is one partition: its issues and its record come once', async () => {
  let repeat = true;
  const site = harnessSite({
    scale: 'small',
    seed: 7,
    transform: (_method, path, body) => {
      if (!repeat || !path.endsWith('/project/search')) return body;
      const bean = body as { values: { id: string }[] };
      return { ...bean, values: [...bean.values, bean.values[0]!] };
    },
  });
  for (const name of ['jira_projects', 'jira_issues', 'jira_comments']) {
    repeat = true;
    const { records } = await readStream(streamOf(site, {}, name));
    const ids = records.map((r) => r.id as string);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBe(new Set(ids).size);
  }
});
