import { jiraStreams } from '../../src/jira';
import { harnessSite, readStream } from './harness-client';

const byName = (deps: ReturnType<ReturnType<typeof harnessSite>['deps']>, name: string) =>
  jiraStreams(deps).find((s) => s.name === name)!;

describe('jira streams against the simulator (in-process)', () => {
  it('full read: id sets equal the ground truth', async () => {
    const site = harnessSite({ scale: 'small' });
    const deps = site.deps();
    for (const name of ['jira_projects', 'jira_issues', 'jira_comments', 'jira_attachments']) {
      const { records } = await readStream(byName(deps, name));
      const ids = new Set(records.map((r) => r.id as string));
      expect(ids.size).toBe(records.length);
      expect([...ids].sort()).toEqual([...site.harness.module.visibleIds(name)!].sort());
    }
  });
});

describe('jira_comments beyond the embedded page', () => {
  it('fetches the rest of a truncated comment list per issue, and only then', async () => {
    // The search embeds only the first comment of each issue (total says how many there are).
    const truncate = (method: string, path: string, body: unknown) => {
      if (method !== 'POST' || path !== '/rest/api/3/search/jql') return body;
      const page = body as {
        issues?: { fields?: { comment?: { comments: unknown[]; total: number; maxResults: number } } }[];
      };
      for (const issue of page.issues ?? []) {
        const c = issue.fields?.comment;
        if (c && c.comments.length > 1) {
          c.comments = c.comments.slice(0, 1);
          c.maxResults = 1;
        }
      }
      return body;
    };
    const site = harnessSite({ scale: 'small', transform: truncate });
    const { records } = await readStream(byName(site.deps(), 'jira_comments'), { syncMode: 'full_refresh' });
    expect(records.map((r) => r.id as string).sort()).toEqual(
      [...site.harness.module.visibleIds('jira_comments')!].sort(),
    );
    const perIssue = site.requests.filter((r) => /^\/rest\/api\/3\/issue\/\d+\/comment$/.test(r.path));
    const truncated = new Set(
      records.map((r) => r.issue_id as string).filter((id, i, all) => all.indexOf(id) !== i),
    );
    expect(new Set(perIssue.map((r) => r.path.split('/')[5]))).toEqual(truncated);
    expect(perIssue.every((r) => r.query.includes('maxResults=100'))).toBe(true);
    expect(truncated.size).toBeGreaterThan(0);
  });
});
