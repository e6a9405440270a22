// Only what the caller may see: project browse grants, issue security levels, comment visibility, and the
// admin-only configuration endpoints. Ground truth (visibleIds / canSee) agrees with what the API returns.
import type { JiraComment, JiraIssue } from '../../sim/jira/model';
import { jiraHarness, type JiraHarness } from './jira-harness';

let h: JiraHarness;
beforeAll(() => {
  h = jiraHarness({ scale: 'small' });
});

const ROLE_DEVELOPERS = '10003';

function find<T>(items: Iterable<T>, pred: (x: T) => boolean): T {
  for (const x of items) if (pred(x)) return x;
  throw new Error('no fixture');
}

async function commentIdsVia(issueKey: string, caller?: string): Promise<string[]> {
  const r = await h.call(
    'GET',
    `/rest/api/3/issue/${issueKey}/comment?maxResults=5000`,
    caller ? { caller } : {},
  );
  expect(r.status).toBe(200);
  return (r.body as { comments: { id: string }[] }).comments.map((c) => c.id);
}

describe('comment visibility', () => {
  let restricted: JiraComment;
  let issue: JiraIssue;
  beforeAll(() => {
    restricted = find(
      h.module.model.comments.values(),
      (c) =>
        c.visibility?.type === 'role' &&
        c.visibility.identifier === 'Developers' &&
        h.module.canSee(h.serviceAccount, 'issue', c.issueId) === true,
    );
    issue = h.module.model.issues.get(restricted.issueId)!;
  });

  test('a comment restricted to a role the service account lacks is invisible to it everywhere', async () => {
    expect(h.module.canSee(h.serviceAccount, 'jira_comment', restricted.id)).toBe(false);
    expect(h.module.visibleIds('jira_comments')!.has(restricted.id)).toBe(false);
    expect(await commentIdsVia(issue.key)).not.toContain(restricted.id);
    const list = await h.call('POST', '/rest/api/3/comment/list', { body: { ids: [Number(restricted.id)] } });
    expect((list.body as { values: unknown[]; total: number }).total).toBe(0);
    const viaField = await h.call('GET', `/rest/api/3/issue/${issue.key}?fields=comment`);
    const embedded = (viaField.body as { fields: { comment: { comments: { id: string }[] } } }).fields.comment
      .comments;
    expect(embedded.map((c) => c.id)).not.toContain(restricted.id);
  });

  test('a member of the role sees it, with its visibility', async () => {
    const devs = h.module.model.roleActors.get(issue.projectId)!.get(Number(ROLE_DEVELOPERS))!;
    const member = find(devs.users, (u) => h.module.canSee(u, 'issue', issue.id) === true);
    expect(h.module.canSee(member, 'jira_comment', restricted.id)).toBe(true);
    const r = await h.call('GET', `/rest/api/3/issue/${issue.key}/comment?maxResults=5000`, {
      caller: member,
    });
    const seen = (r.body as { comments: { id: string; visibility?: unknown }[] }).comments.find(
      (c) => c.id === restricted.id,
    );
    expect(seen?.visibility).toEqual({ type: 'role', value: 'Developers', identifier: 'Developers' });
  });

  test('a comment restricted to a group the service account is in is visible to it', async () => {
    const mine = h.directory.groupsOf(h.serviceAccount);
    const grouped = find(
      h.module.model.comments.values(),
      (c) =>
        c.visibility?.type === 'group' &&
        mine.has(c.visibility.identifier) &&
        h.module.canSee(h.serviceAccount, 'issue', c.issueId) === true,
    );
    expect(await commentIdsVia(h.module.model.issues.get(grouped.issueId)!.key)).toContain(grouped.id);
  });
});

describe('issue visibility', () => {
  test('an issue at a security level the service account is not in: not searched, 404 on GET, open to its members', async () => {
    const secret = find(
      h.module.model.issues.values(),
      (i) => i.securityLevelId === '10102' && !h.module.model.projects.get(i.projectId)!.archived,
    );
    expect(h.module.visibleIds('jira_issues')!.has(secret.id)).toBe(false);
    const search = await h.call('POST', '/rest/api/3/search/jql', { body: { jql: `id = ${secret.id}` } });
    expect((search.body as { issues: unknown[] }).issues).toEqual([]);
    expect((await h.call('GET', `/rest/api/3/issue/${secret.key}`)).status).toBe(404);
    const lead = h.module.model.projects.get(secret.projectId)!.leadAccountId;
    expect(h.module.canSee(lead, 'issue', secret.id)).toBe(true);
    expect((await h.call('GET', `/rest/api/3/issue/${secret.key}`, { caller: lead })).status).toBe(200);
    const local = jiraHarness({ scale: 'small' });
    const att = local.module.control.addAttachment({ issue: secret.id, kind: 'pdf' });
    expect((await local.call('GET', `/rest/api/3/attachment/content/${att.id}?redirect=false`)).status).toBe(
      403,
    );
    expect((await local.call('GET', `/rest/api/3/attachment/${att.id}`)).status).toBe(403);
  });

  test('per-issue holders: in the reporter/assignee scheme a reporter sees their issue, a bystander does not', async () => {
    const mkt = h.module.model.findProject('MKT')!;
    const issue = find(
      h.module.model.issues.values(),
      (i) =>
        i.projectId === mkt.id &&
        i.reporter !== undefined &&
        h.directory.userById(i.reporter)?.active === true &&
        h.directory.userById(i.reporter)?.accountType === 'atlassian',
    );
    expect(h.module.canSee(issue.reporter!, 'issue', issue.id)).toBe(true);
    const bystander = find(
      h.directory.users,
      (u) =>
        u.active &&
        u.accountType === 'atlassian' &&
        h.module.canSee(u.accountId, 'issue', issue.id) === false,
    );
    expect(
      (await h.call('GET', `/rest/api/3/issue/${issue.key}`, { caller: bystander.accountId })).status,
    ).toBe(404);
    expect((await h.call('GET', `/rest/api/3/issue/${issue.key}`, { caller: issue.reporter! })).status).toBe(
      200,
    );
  });

  test('the private project is listed (Jira admin) but yields no issues; without admin it is not listed', async () => {
    const local = jiraHarness({ scale: 'small' });
    const priv = find(local.module.model.projects.values(), (p) => p.permissionSchemeId === 10003);
    const list = async (): Promise<string[]> =>
      (
        (await local.call('GET', '/rest/api/3/project/search?maxResults=100')).body as {
          values: { key: string }[];
        }
      ).values.map((p) => p.key);
    expect(await list()).toContain(priv.key);
    const r = await local.call('POST', '/rest/api/3/search/jql', { body: { jql: `project = ${priv.key}` } });
    expect((r.body as { issues: unknown[] }).issues).toEqual([]);
    local.module.control.setJiraAdmin({ accountId: local.serviceAccount, admin: false });
    expect(await list()).not.toContain(priv.key);
    expect(local.module.visibleIds('jira_projects')!.has(priv.id)).toBe(false);
  });

  test('ground truth matches the API: comments and attachments of every visible issue', async () => {
    const comments = new Set<string>();
    const attachments = new Set<string>();
    let token: string | undefined;
    const projects = [...h.module.model.projects.values()].map((p) => p.key).join(',');
    do {
      const r = await h.call('POST', '/rest/api/3/search/jql', {
        body: {
          jql: `project in (${projects})`,
          fields: ['attachment'],
          maxResults: 100,
          ...(token ? { nextPageToken: token } : {}),
        },
      });
      const body = r.body as {
        issues: { key: string; fields: { attachment: { id: string }[] } }[];
        nextPageToken?: string;
      };
      for (const issue of body.issues) {
        issue.fields.attachment.forEach((a) => attachments.add(a.id));
        (await commentIdsVia(issue.key)).forEach((id) => comments.add(id));
      }
      token = body.nextPageToken;
    } while (token);
    expect(comments).toEqual(h.module.visibleIds('jira_comments'));
    expect(attachments).toEqual(h.module.visibleIds('jira_attachments'));
  });
});

describe('admin-only configuration', () => {
  test('a user without administrative rights gets 403 / 404 as the spec says', async () => {
    const user = find(
      h.directory.users,
      (u) =>
        u.active &&
        u.accountType === 'atlassian' &&
        !h.module.model.jiraAdmins.has(u.accountId) &&
        h.module.canSee(u.accountId, 'jira_project', 'PLAT') === true &&
        ![...h.module.model.roleActors.values()].some((roles) => roles.get(10002)?.users.has(u.accountId)),
    );
    const as = { caller: user.accountId };
    expect((await h.call('GET', '/rest/api/3/project/PLAT/permissionscheme', as)).status).toBe(403);
    expect((await h.call('GET', '/rest/api/3/project/PLAT/role/10003', as)).status).toBe(404);
    expect((await h.call('GET', '/rest/api/3/issuesecurityschemes/10000/members', as)).status).toBe(403);
    expect((await h.call('GET', '/rest/api/3/users/search', as)).status).toBe(403);
    expect((await h.call('GET', '/rest/api/3/project/PLAT/issuesecuritylevelscheme', as)).status).toBe(403);
  });

  test('role actors list users and groups; excludeInactiveUsers drops deactivated people', async () => {
    const all = (await h.call('GET', '/rest/api/3/project/PLAT/role/10003')).body as {
      actors: { type: string; actorUser?: { accountId: string } }[];
    };
    const active = (await h.call('GET', '/rest/api/3/project/PLAT/role/10003?excludeInactiveUsers=true'))
      .body as typeof all;
    expect(all.actors.some((a) => a.type === 'atlassian-group-role-actor')).toBe(true);
    const inactive = all.actors.filter(
      (a) => a.actorUser && h.directory.userById(a.actorUser.accountId)?.active === false,
    );
    expect(inactive.length).toBeGreaterThan(0);
    expect(active.actors).toHaveLength(all.actors.length - inactive.length);
  });

  test('permission scheme grants use every holder type the ACL model needs', async () => {
    const types = new Set<string>();
    for (const id of [10000, 10001, 10002, 10003]) {
      const r = await h.call('GET', `/rest/api/3/permissionscheme/${id}?expand=permissions`);
      for (const g of (r.body as { permissions: { permission: string; holder: { type: string } }[] })
        .permissions) {
        if (g.permission === 'BROWSE_PROJECTS') types.add(g.holder.type);
      }
    }
    expect([...types].sort()).toEqual(
      [
        'anyone',
        'applicationRole',
        'assignee',
        'group',
        'projectLead',
        'projectRole',
        'reporter',
        'user',
        'userCustomField',
      ].sort(),
    );
    const bare = await h.call('GET', '/rest/api/3/permissionscheme/10000');
    expect(bare.body).not.toHaveProperty('permissions');
  });
});

describe('bulk permission check', () => {
  test('permissions/check agrees with canSee for another user, when asked by a Jira admin', async () => {
    const issues = [...h.module.model.issues.values()].slice(0, 200).map((i) => Number(i.id));
    const user = find(
      h.directory.users,
      (u) => u.active && u.accountType === 'atlassian' && u.accountId !== h.serviceAccount,
    );
    const r = await h.call('POST', '/rest/api/3/permissions/check', {
      body: { accountId: user.accountId, projectPermissions: [{ permissions: ['BROWSE_PROJECTS'], issues }] },
    });
    expect(r.status).toBe(200);
    const granted = (
      r.body as { projectPermissions: { issues: number[] }[] }
    ).projectPermissions[0]!.issues.map(String);
    const expected = issues.map(String).filter((id) => h.module.canSee(user.accountId, 'issue', id));
    expect(granted).toEqual(expected);
  });
});
