// Control API mutations show up through the REST API the way Jira would show them: new and edited issues
// move `updated` forward, deleting comments or attachments bumps the issue, moves keep the id.
import { jiraHarness, type JiraHarness } from './jira-harness';

let h: JiraHarness;
beforeEach(() => {
  h = jiraHarness({ scale: 'tiny' });
});

interface IssueJson {
  id: string;
  key: string;
  fields: Record<string, unknown>;
}

const parseJiraTime = (s: string): number => Date.parse(s.replace(/(\d\d)(\d\d)$/, '$1:$2'));

async function getIssue(
  idOrKey: string,
  fields = 'updated,summary,project,security,comment,attachment',
): Promise<{ status: number; body: IssueJson }> {
  const r = await h.call('GET', `/rest/api/3/issue/${idOrKey}?fields=${fields}`);
  return { status: r.status, body: r.body as IssueJson };
}

function visibleIssue(): { id: string; key: string; updated: number } {
  const id = [...h.module.visibleIds('jira_issues')!][0]!;
  const issue = h.module.model.issues.get(id)!;
  return { id, key: issue.key, updated: issue.updated };
}

async function searchIds(jql: string): Promise<string[]> {
  const r = await h.call('POST', '/rest/api/3/search/jql', { body: { jql, maxResults: 5000 } });
  return (r.body as { issues: { id: string }[] }).issues.map((i) => i.id);
}

test('createIssue: a new issue, dated after all seeded data, found by an incremental query', async () => {
  const created = h.module.control.createIssue({
    projectKey: 'PLAT',
    summary: 'Created by a test',
    description: 'Body text',
  });
  const got = await getIssue(created.key, 'summary,updated,description,reporter');
  expect(got.status).toBe(200);
  expect(got.body.fields.summary).toBe('Created by a test');
  expect(parseJiraTime(String(got.body.fields.updated))).toBeGreaterThanOrEqual(h.clock.epoch);
  expect(await searchIds(`project = PLAT AND updated >= ${h.clock.epoch}`)).toEqual([created.id]);
});

test('updateIssue bumps updated to the clock and changes the fields', async () => {
  const target = visibleIssue();
  const result = h.module.control.updateIssue({ issue: target.key, summary: 'Renamed', labels: ['edited'] });
  expect(result.updated).toBeGreaterThan(target.updated);
  const got = await getIssue(target.key, 'summary,labels,updated');
  expect(got.body.fields.summary).toBe('Renamed');
  expect(got.body.fields.labels).toEqual(['edited']);
  expect(parseJiraTime(String(got.body.fields.updated))).toBe(result.updated);
});

test('deleteIssue removes the issue, its sub-tasks, comments and attachments', async () => {
  const parent = [...h.module.model.issues.values()].find((i) =>
    [...h.module.model.issues.values()].some((c) => c.parentId === i.id && c.issueTypeId === '10004'),
  )!;
  const children = [...h.module.model.issues.values()].filter(
    (c) => c.parentId === parent.id && c.issueTypeId === '10004',
  );
  const { deleted } = h.module.control.deleteIssue({ issue: parent.key });
  expect(deleted.sort()).toEqual([parent.id, ...children.map((c) => c.id)].sort());
  expect((await getIssue(parent.key)).status).toBe(404);
  for (const c of parent.commentIds) expect(h.module.canSee(h.serviceAccount, 'jira_comment', c)).toBe(false);
});

test('moveIssue gives a new key in the target project, keeps the id, and the old key still resolves', async () => {
  const source = [...h.module.model.issues.values()].find(
    (i) =>
      h.module.model.projects.get(i.projectId)!.key === 'PLAT' &&
      h.module.canSee(h.serviceAccount, 'issue', i.id),
  )!;
  const oldKey = source.key;
  const moved = h.module.control.moveIssue({ issue: oldKey, toProjectKey: 'DISC' });
  expect(moved.id).toBe(source.id);
  expect(moved.key).toMatch(/^DISC-\d+$/);
  const viaOld = await getIssue(oldKey, 'project');
  expect(viaOld.status).toBe(200);
  expect(viaOld.body.key).toBe(moved.key);
  expect((viaOld.body.fields.project as { key: string }).key).toBe('DISC');
  expect(await searchIds(`project = DISC AND id = ${source.id}`)).toEqual([source.id]);
});

test('setSecurityLevel hides an issue from the service account and bumps updated', async () => {
  const target = [...h.module.model.issues.values()].find(
    (i) =>
      i.projectId === '10000' &&
      i.securityLevelId === undefined &&
      h.module.canSee(h.serviceAccount, 'issue', i.id),
  )!;
  const before = target.updated;
  h.module.control.setSecurityLevel({ issue: target.key, levelId: '10102' });
  expect(target.updated).toBeGreaterThan(before);
  expect((await getIssue(target.key)).status).toBe(404);
  expect(h.module.visibleIds('jira_issues')!.has(target.id)).toBe(false);
  h.module.control.setSecurityLevel({ issue: target.key, levelId: null });
  expect((await getIssue(target.key)).status).toBe(200);
});

test('comments: add, update, delete; each bumps the issue', async () => {
  const target = visibleIssue();
  const { id } = h.module.control.addComment({ issue: target.key, body: 'First words' });
  const afterAdd = h.module.model.issues.get(target.id)!.updated;
  expect(afterAdd).toBeGreaterThan(target.updated);
  let list = (await h.call('GET', `/rest/api/3/issue/${target.key}/comment`)).body as {
    comments: { id: string; body: unknown }[];
  };
  expect(JSON.stringify(list.comments.find((c) => c.id === id)?.body)).toContain('First words');
  h.module.control.updateComment({ commentId: id, body: 'Second words' });
  const afterEdit = h.module.model.issues.get(target.id)!.updated;
  expect(afterEdit).toBeGreaterThan(afterAdd);
  list = (await h.call('GET', `/rest/api/3/issue/${target.key}/comment`)).body as typeof list;
  expect(JSON.stringify(list.comments.find((c) => c.id === id)?.body)).toContain('Second words');
  h.module.control.deleteComment({ commentId: id });
  expect(h.module.model.issues.get(target.id)!.updated).toBeGreaterThan(afterEdit);
  list = (await h.call('GET', `/rest/api/3/issue/${target.key}/comment`)).body as typeof list;
  expect(list.comments.map((c) => c.id)).not.toContain(id);
  expect(await searchIds(`updated >= ${afterEdit}`)).toContain(target.id);
});

test('attachments: add then delete; delete bumps the issue and the content is gone', async () => {
  const target = visibleIssue();
  const { id } = h.module.control.addAttachment({ issue: target.key, kind: 'docx' });
  const content = await h.call('GET', `/rest/api/3/attachment/content/${id}?redirect=false`);
  expect(content.status).toBe(200);
  expect(content.raw!.subarray(0, 2).toString('latin1')).toBe('PK');
  const before = h.module.model.issues.get(target.id)!.updated;
  h.module.control.deleteAttachment({ attachmentId: id });
  expect(h.module.model.issues.get(target.id)!.updated).toBeGreaterThan(before);
  expect((await h.call('GET', `/rest/api/3/attachment/content/${id}`)).status).toBe(404);
});

test('role actors and permission grants change visibility without touching updated', async () => {
  const comment = [...h.module.model.comments.values()].find(
    (c) =>
      c.visibility?.type === 'role' &&
      c.visibility.identifier === 'Developers' &&
      h.module.canSee(h.serviceAccount, 'issue', c.issueId),
  );
  const issue = comment ? h.module.model.issues.get(comment.issueId)! : visibleIssue();
  const project = h.module.model.projects.get(h.module.model.issues.get(issue.id)!.projectId)!;
  const restricted =
    comment ??
    h.module.model.comments.get(
      h.module.control.addComment({
        issue: issue.id,
        body: 'devs only',
        visibility: { type: 'role', value: 'Developers', identifier: 'Developers' },
      }).id,
    )!;
  const updated = h.module.model.issues.get(issue.id)!.updated;
  expect(h.module.canSee(h.serviceAccount, 'jira_comment', restricted.id)).toBe(false);
  h.module.control.addRoleActor({ project: project.key, roleId: 10003, accountId: h.serviceAccount });
  expect(h.module.canSee(h.serviceAccount, 'jira_comment', restricted.id)).toBe(true);
  h.module.control.removeRoleActor({ project: project.key, roleId: 10003, accountId: h.serviceAccount });
  expect(h.module.canSee(h.serviceAccount, 'jira_comment', restricted.id)).toBe(false);
  expect(h.module.model.issues.get(issue.id)!.updated).toBe(updated);

  // Dropping every role grant of the default scheme hides PLAT's issues from the service account.
  for (const roleId of ['10002', '10003', '10004', '10005']) {
    h.module.control.setPermissionGrant({
      schemeId: 10000,
      permission: 'BROWSE_PROJECTS',
      holder: { type: 'projectRole', parameter: roleId, value: roleId },
      granted: false,
    });
  }
  expect(await searchIds('project = PLAT')).toEqual([]);
  h.module.control.setPermissionGrant({
    schemeId: 10000,
    permission: 'BROWSE_PROJECTS',
    holder: { type: 'anyone' },
    granted: true,
  });
  expect((await searchIds('project = PLAT')).length).toBeGreaterThan(0);
});

test('archiveProject: gone from default project search and from JQL results, listed with status=archived', async () => {
  const keys = async (q = ''): Promise<string[]> =>
    (
      (await h.call('GET', `/rest/api/3/project/search${q}`)).body as { values: { key: string }[] }
    ).values.map((p) => p.key);
  expect(await keys()).toContain('PLAT');
  h.module.control.archiveProject({ project: 'PLAT' });
  expect(await keys()).not.toContain('PLAT');
  expect(await keys('?status=archived')).toContain('PLAT');
  expect(await searchIds('project = PLAT')).toEqual([]);
  h.module.control.archiveProject({ project: 'PLAT', archived: false });
  expect((await searchIds('project = PLAT')).length).toBeGreaterThan(0);
});

test('deleting an epic keeps its stories, without the parent link', async () => {
  const epic = [...h.module.model.issues.values()].find(
    (i) =>
      i.issueTypeId === '10000' && h.module.model.childrenOf(i.id).some((c) => c.issueTypeId !== '10004'),
  );
  const target =
    epic ??
    h.module.model.issues.get(
      h.module.control.createIssue({ projectKey: 'PLAT', summary: 'Epic', issueTypeId: '10000' }).id,
    )!;
  const story = epic
    ? h.module.model.childrenOf(target.id).find((c) => c.issueTypeId !== '10004')!
    : h.module.model.issues.get(
        h.module.control.createIssue({
          projectKey: 'PLAT',
          summary: 'Story',
          issueTypeId: '10001',
          parent: target.key,
        }).id,
      )!;
  h.module.control.deleteIssue({ issue: target.key });
  expect(h.module.model.issues.has(story.id)).toBe(true);
  const r = await h.call('POST', '/rest/api/3/search/jql', {
    body: { jql: `id = ${story.id} AND parent IS EMPTY` },
  });
  const visible = h.module.canSee(h.serviceAccount, 'issue', story.id);
  expect((r.body as { issues: unknown[] }).issues).toHaveLength(visible ? 1 : 0);
  expect(story.parentId).toBeUndefined();
});

describe('search index lag (eventual consistency)', () => {
  let wall = 0;
  let lagged: JiraHarness;
  beforeEach(() => {
    wall = 0;
    lagged = jiraHarness({ scale: 'tiny', wallClock: () => wall });
    wall = lagged.clock.epoch + 1000;
    lagged.module.control.setSearchIndexLag({ ms: 60_000 });
  });

  const found = async (jql: string, reconcileIssues?: number[]): Promise<string[]> => {
    const r = await lagged.call('POST', '/rest/api/3/search/jql', {
      body: { jql, maxResults: 5000, ...(reconcileIssues ? { reconcileIssues } : {}) },
    });
    expect(r.status).toBe(200);
    return (r.body as { issues: { id: string }[] }).issues.map((i) => i.id);
  };

  test('an edit reaches JQL results only after the lag, unless the issue is reconciled', async () => {
    const id = [...lagged.module.visibleIds('jira_issues')!][0]!;
    const { updated } = lagged.module.control.updateIssue({ issue: id, summary: 'late' });
    const jql = `updated >= ${updated - (updated % 60_000)}`;
    expect(await found(jql)).not.toContain(id);
    expect(await found(jql, [Number(id)])).toContain(id);
    // Fields are read fresh even while the index is behind.
    const got = await lagged.call('GET', `/rest/api/3/issue/${id}?fields=summary`);
    expect((got.body as { fields: { summary: string } }).fields.summary).toBe('late');
    wall += 61_000;
    expect(await found(jql)).toContain(id);
  });

  test('a new issue is not searchable until indexed', async () => {
    const { id, key } = lagged.module.control.createIssue({ projectKey: 'PLAT', summary: 'fresh' });
    expect(await found('project = PLAT')).not.toContain(id);
    expect((await lagged.call('GET', `/rest/api/3/issue/${key}`)).status).toBe(200);
    wall += 61_000;
    expect(await found('project = PLAT')).toContain(id);
  });
});
