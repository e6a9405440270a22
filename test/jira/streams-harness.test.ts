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

describe('an issue deleted between the search and its comment fetch', () => {
  it('keeps the comments the search embedded and carries on', async () => {
    const truncate = (method: string, path: string, body: unknown) => {
      if (method !== 'POST' || path !== '/rest/api/3/search/jql') return body;
      for (const issue of (body as { issues?: { fields?: { comment?: { comments: unknown[] } } }[] })
        .issues ?? []) {
        const c = issue.fields?.comment;
        if (c && c.comments.length > 1) c.comments = c.comments.slice(0, 1);
      }
      return body;
    };
    const probe = harnessSite({ scale: 'small' });
    const model = probe.harness.module.model;
    const visibleComments = probe.harness.module.visibleIds('jira_comments')!;
    const victim = [...probe.harness.module.visibleIds('jira_issues')!]
      .map((id) => model.issues.get(id)!)
      .find((i) => i.commentIds.filter((c) => visibleComments.has(c)).length > 1)!;
    const site = harnessSite({
      scale: 'small',
      transform: truncate,
      failPath: (_m, path) => (path === `/rest/api/3/issue/${victim.id}/comment` ? 404 : undefined),
    });
    const { records } = await readStream(byName(site.deps(), 'jira_comments'), { syncMode: 'full_refresh' });
    expect(records.filter((r) => r.issue_id === victim.id)).toHaveLength(1);
    expect(records.length).toBe(
      visibleComments.size - (victim.commentIds.filter((c) => visibleComments.has(c)).length - 1),
    );
  });
});

describe('a project that disappears during the sync', () => {
  const victimOf = () => {
    const probe = harnessSite({ scale: 'small' });
    const issue = probe.harness.module.model.issues.get(
      [...probe.harness.module.visibleIds('jira_issues')!][0]!,
    )!;
    return issue.projectId;
  };
  const jqlOf = (body: unknown) => String((body as { jql?: string } | undefined)?.jql ?? '');

  it('is skipped with a warning when it is gone, the other projects complete', async () => {
    const victim = victimOf();
    const site = harnessSite({
      scale: 'small',
      failPath: (method, path, body) => {
        if (
          method === 'POST' &&
          path === '/rest/api/3/search/jql' &&
          jqlOf(body).startsWith(`project = ${victim}`)
        )
          return 400;
        if (method === 'GET' && path === `/rest/api/3/project/${victim}`) return 404;
        return undefined;
      },
    });
    const { records } = await readStream(byName(site.deps(), 'jira_issues'), { logger: site.logger });
    const model = site.harness.module.model;
    const expected = [...site.harness.module.visibleIds('jira_issues')!].filter(
      (id) => model.issues.get(id)!.projectId !== victim,
    );
    expect(records.map((r) => r.id as string).sort()).toEqual(expected.sort());
    expect(site.warnings.some((w) => w.includes('deleted or hidden during the sync'))).toBe(true);
  });

  it('fails the stream when the search is refused for another reason', async () => {
    const victim = victimOf();
    const site = harnessSite({
      scale: 'small',
      failPath: (method, path, body) =>
        method === 'POST' &&
        path === '/rest/api/3/search/jql' &&
        jqlOf(body).startsWith(`project = ${victim}`)
          ? 400
          : undefined,
    });
    await expect(readStream(byName(site.deps(), 'jira_issues'))).rejects.toMatchObject({ status: 400 });
  });
});
