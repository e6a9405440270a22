// Offset-paged Jira endpoints: PageBean walks via `nextPage`, silent clamping of maxResults, the bare-array
// user listing and the legacy comment envelope.
import { jiraHarness, type JiraHarness } from './jira-harness';

let h: JiraHarness;
beforeAll(() => {
  h = jiraHarness({ scale: 'small' });
});

interface PageBean<T> {
  startAt: number;
  maxResults: number;
  total: number;
  isLast: boolean;
  nextPage?: string;
  values: T[];
}

async function walkPageBean<T>(first: string): Promise<{ items: T[]; pages: PageBean<T>[] }> {
  const items: T[] = [];
  const pages: PageBean<T>[] = [];
  let next: string | undefined = first;
  while (next) {
    const r = await h.call('GET', next);
    expect(r.status).toBe(200);
    const page = r.body as PageBean<T>;
    pages.push(page);
    items.push(...page.values);
    next = page.isLast ? undefined : page.nextPage;
  }
  return { items, pages };
}

test('project/search: nextPage walks every live project once; maxResults above 100 becomes 100', async () => {
  const { items, pages } = await walkPageBean<{ id: string }>('/rest/api/3/project/search?maxResults=1');
  expect(items.map((p) => p.id).sort()).toEqual([...h.module.visibleIds('jira_projects')!].sort());
  expect(pages[0]!.total).toBe(items.length);
  expect(pages[pages.length - 1]!.nextPage).toBeUndefined();
  const big = (await h.call('GET', '/rest/api/3/project/search?maxResults=500')).body as PageBean<unknown>;
  expect(big.maxResults).toBe(100);
  const bad = await h.call('GET', '/rest/api/3/project/search?maxResults=lots');
  expect(bad.status).toBe(400);
});

test('project/search filters by keys, ids, type and status', async () => {
  const byKeys = (await h.call('GET', '/rest/api/3/project/search?keys=PLAT&keys=MKT')).body as PageBean<{
    key: string;
  }>;
  expect(byKeys.values.map((p) => p.key).sort()).toEqual(['MKT', 'PLAT']);
  const byId = (await h.call('GET', '/rest/api/3/project/search?id=10000')).body as PageBean<{ key: string }>;
  expect(byId.values.map((p) => p.key)).toEqual(['PLAT']);
  const archived = (await h.call('GET', '/rest/api/3/project/search?status=archived')).body as PageBean<{
    archived: boolean;
  }>;
  expect(archived.values.length).toBeGreaterThan(0);
  expect(archived.values.every((p) => p.archived)).toBe(true);
  const sd = (await h.call('GET', '/rest/api/3/project/search?typeKey=service_desk')).body as PageBean<{
    projectTypeKey: string;
  }>;
  expect(sd.values.every((p) => p.projectTypeKey === 'service_desk')).toBe(true);
});

test('users/search is a bare array clamped at 1000; a short page ends the walk', async () => {
  const all: string[] = [];
  for (let startAt = 0; ; startAt += 7) {
    const r = await h.call('GET', `/rest/api/3/users/search?startAt=${startAt}&maxResults=7`);
    const page = r.body as { accountId: string }[];
    expect(Array.isArray(page)).toBe(true);
    all.push(...page.map((u) => u.accountId));
    if (page.length < 7) break;
  }
  expect(all).toEqual(h.directory.users.map((u) => u.accountId));
  const hidden = h.directory.users.find((u) => !u.emailVisible)!;
  const listed = (await h.call('GET', '/rest/api/3/users/search?maxResults=5000')).body as {
    accountId: string;
    emailAddress?: string;
  }[];
  expect(listed.length).toBe(Math.min(1000, h.directory.users.length));
  expect(listed.find((u) => u.accountId === hidden.accountId)).not.toHaveProperty('emailAddress');
});

test('group/member pages at most 50 and hides inactive users unless asked', async () => {
  const group = [...h.directory.members].sort((a, b) => b[1].size - a[1].size)[0]!;
  const { items, pages } = await walkPageBean<{ accountId: string }>(
    `/rest/api/3/group/member?groupId=${group[0]}&maxResults=500&includeInactiveUsers=true`,
  );
  expect(pages[0]!.maxResults).toBe(50);
  expect(new Set(items.map((u) => u.accountId))).toEqual(group[1]);
  const active = await walkPageBean<{ accountId: string }>(`/rest/api/3/group/member?groupId=${group[0]}`);
  const activeIds = [...group[1]].filter((id) => h.directory.userById(id)?.active);
  expect(active.items.map((u) => u.accountId).sort()).toEqual(activeIds.sort());
});

test('issue comments: legacy envelope, startAt/maxResults, orderBy -created', async () => {
  const issue = [...h.module.model.issues.values()].find(
    (i) =>
      i.commentIds.length >= 3 &&
      h.module.canSee(h.serviceAccount, 'issue', i.id) &&
      i.commentIds.every((c) => h.module.canSee(h.serviceAccount, 'jira_comment', c)),
  )!;
  const r = await h.call('GET', `/rest/api/3/issue/${issue.key}/comment?startAt=1&maxResults=1`);
  const body = r.body as { startAt: number; maxResults: number; total: number; comments: { id: string }[] };
  expect(Object.keys(body).sort()).toEqual(['comments', 'maxResults', 'startAt', 'total']);
  expect(body).toMatchObject({ startAt: 1, maxResults: 1, total: issue.commentIds.length });
  expect(body.comments.map((c) => c.id)).toEqual([issue.commentIds[1]]);
  const desc = (await h.call('GET', `/rest/api/3/issue/${issue.key}/comment?orderBy=-created`))
    .body as typeof body;
  expect(desc.comments.map((c) => c.id)).toEqual([...issue.commentIds].reverse());
});

test('security level members page, and filter by level', async () => {
  const { items } = await walkPageBean<{ issueSecurityLevelId: number; holder: { type: string } }>(
    '/rest/api/3/issuesecurityschemes/10000/members?maxResults=1',
  );
  expect(new Set(items.map((m) => m.issueSecurityLevelId))).toEqual(new Set([10100, 10101, 10102]));
  expect(new Set(items.map((m) => m.holder.type))).toEqual(
    new Set(['projectRole', 'group', 'reporter', 'assignee', 'user', 'projectLead']),
  );
  const one = (
    await h.call('GET', '/rest/api/3/issuesecurityschemes/10000/members?issueSecurityLevelId=10102')
  ).body as PageBean<{ issueSecurityLevelId: number }>;
  expect(one.values.every((m) => m.issueSecurityLevelId === 10102)).toBe(true);
});
