// Every Jira route the simulator serves answers with a body that validates against the response schema of
// that operation in the official Jira platform v3 OpenAPI spec, errors included (as `ErrorCollection`, the
// shape Jira uses even where the spec declares no error body).
import { responseValidator } from '../helpers/openapi';
import { jiraHarness, type JiraHarness } from './jira-harness';

const SPEC = 'jira-platform-v3.openapi.json';
const errorCollection = responseValidator(SPEC, 'get', '/rest/api/3/mypermissions', 400);

let h: JiraHarness;
beforeAll(() => {
  h = jiraHarness({ scale: 'small' });
});

function expectValid(
  method: 'get' | 'post',
  template: string,
  status: number,
  response: { status: number; body?: unknown },
): void {
  expect(response.status).toBe(status);
  const validate = status >= 400 ? errorCollection : responseValidator(SPEC, method, template, status);
  const ok = validate(response.body);
  if (!ok) throw new Error(`${method.toUpperCase()} ${template} ${status}:\n${validate.errors.join('\n')}`);
  if (status >= 400)
    expect((response.body as { errorMessages: string[] }).errorMessages.length).toBeGreaterThan(0);
}

function firstVisible<T>(items: Iterable<T>, pred: (x: T) => boolean): T {
  for (const x of items) if (pred(x)) return x;
  throw new Error('no fixture');
}

describe('identity and metadata', () => {
  test('myself, serverInfo, field, mypermissions', async () => {
    expectValid(
      'get',
      '/rest/api/3/myself',
      200,
      await h.call('GET', '/rest/api/3/myself?expand=groups,applicationRoles'),
    );
    expectValid('get', '/rest/api/3/serverInfo', 200, await h.call('GET', '/rest/api/3/serverInfo'));
    expectValid('get', '/rest/api/3/field', 200, await h.call('GET', '/rest/api/3/field'));
    expectValid(
      'get',
      '/rest/api/3/mypermissions',
      200,
      await h.call('GET', '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,ADMINISTER&projectKey=PLAT'),
    );
    expectValid('get', '/rest/api/3/mypermissions', 400, await h.call('GET', '/rest/api/3/mypermissions'));
    expectValid(
      'post',
      '/rest/api/3/permissions/check',
      200,
      await h.call('POST', '/rest/api/3/permissions/check', {
        body: {
          globalPermissions: ['ADMINISTER'],
          projectPermissions: [
            { permissions: ['BROWSE_PROJECTS'], projects: [10000, 10005], issues: [10000, 10001] },
          ],
        },
      }),
    );
    const user = h.directory.users.find(
      (u) => u.active && u.accountType === 'atlassian' && !h.module.model.jiraAdmins.has(u.accountId),
    )!;
    expectValid(
      'post',
      '/rest/api/3/permissions/check',
      403,
      await h.call('POST', '/rest/api/3/permissions/check', {
        caller: user.accountId,
        body: { accountId: h.serviceAccount },
      }),
    );
    expectValid(
      'get',
      '/rest/api/3/user',
      200,
      await h.call('GET', `/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}&expand=groups`),
    );
    expectValid(
      'get',
      '/rest/api/3/securitylevel/{id}',
      200,
      await h.call('GET', '/rest/api/3/securitylevel/10100'),
    );
  });
});

describe('projects', () => {
  test('project/search validates, except the undeclared product_discovery type real sites also return', async () => {
    const r = await h.call(
      'GET',
      '/rest/api/3/project/search?expand=description,lead,issueTypes,url,insight&status=live&status=archived',
    );
    const body = r.body as { values: { projectTypeKey: string }[] };
    expect(body.values.map((p) => p.projectTypeKey)).toContain('product_discovery');
    const validate = responseValidator(SPEC, 'get', '/rest/api/3/project/search', 200);
    expect(validate(body)).toBe(false);
    expect(
      validate.errors.every((e) =>
        /\/values\/\d+\/projectTypeKey must be equal to one of the allowed values/.test(e),
      ),
    ).toBe(true);
    const patched = JSON.parse(JSON.stringify(body).replace(/"product_discovery"/g, '"software"')) as unknown;
    expectValid('get', '/rest/api/3/project/search', 200, { status: 200, body: patched });
  });

  test('project, roles, permission scheme, security', async () => {
    expectValid(
      'get',
      '/rest/api/3/project/{projectIdOrKey}',
      200,
      await h.call('GET', '/rest/api/3/project/PLAT'),
    );
    expectValid(
      'get',
      '/rest/api/3/project/{projectIdOrKey}',
      404,
      await h.call('GET', '/rest/api/3/project/NOPE'),
    );
    expectValid(
      'get',
      '/rest/api/3/project/{projectKeyOrId}/permissionscheme',
      200,
      await h.call(
        'GET',
        '/rest/api/3/project/PLAT/permissionscheme?expand=permissions,user,group,projectRole',
      ),
    );
    expectValid(
      'get',
      '/rest/api/3/permissionscheme/{schemeId}',
      200,
      await h.call('GET', '/rest/api/3/permissionscheme/10002?expand=all'),
    );
    expectValid(
      'get',
      '/rest/api/3/project/{projectIdOrKey}/role',
      200,
      await h.call('GET', '/rest/api/3/project/PLAT/role'),
    );
    expectValid(
      'get',
      '/rest/api/3/project/{projectIdOrKey}/role/{id}',
      200,
      await h.call('GET', '/rest/api/3/project/PLAT/role/10003'),
    );
    expectValid(
      'get',
      '/rest/api/3/project/{projectKeyOrId}/securitylevel',
      200,
      await h.call('GET', '/rest/api/3/project/PLAT/securitylevel'),
    );
    expectValid(
      'get',
      '/rest/api/3/project/{projectKeyOrId}/issuesecuritylevelscheme',
      200,
      await h.call('GET', '/rest/api/3/project/PLAT/issuesecuritylevelscheme'),
    );
    expectValid(
      'get',
      '/rest/api/3/issuesecurityschemes/{issueSecuritySchemeId}/members',
      200,
      await h.call('GET', '/rest/api/3/issuesecurityschemes/10000/members?maxResults=2'),
    );
  });
});

describe('issues', () => {
  test('search/jql GET and POST, with every field and expand', async () => {
    const post = await h.call('POST', '/rest/api/3/search/jql', {
      body: {
        jql: 'project = PLAT ORDER BY updated ASC',
        fields: ['*all'],
        expand: 'renderedFields,names,schema,changelog',
        maxResults: 20,
      },
    });
    expectValid('post', '/rest/api/3/search/jql', 200, post);
    expect((post.body as { nextPageToken?: string }).nextPageToken).toEqual(expect.any(String));
    const get = await h.call(
      'GET',
      '/rest/api/3/search/jql?jql=project%20in%20(PLAT,MKT)&fields=summary,updated&maxResults=5',
    );
    expectValid('get', '/rest/api/3/search/jql', 200, get);
    expectValid(
      'get',
      '/rest/api/3/search/jql',
      400,
      await h.call('GET', '/rest/api/3/search/jql?jql=order%20by%20key'),
    );
  });

  test('approximate-count, bulkfetch with an unknown key, get issue', async () => {
    expectValid(
      'post',
      '/rest/api/3/search/approximate-count',
      200,
      await h.call('POST', '/rest/api/3/search/approximate-count', { body: { jql: 'project = PLAT' } }),
    );
    const bulk = await h.call('POST', '/rest/api/3/issue/bulkfetch', {
      body: {
        issueIdsOrKeys: ['PLAT-1', 'PLAT-2', 'NOPE-1'],
        fields: ['*all'],
        expand: ['renderedFields', 'names'],
      },
    });
    expectValid('post', '/rest/api/3/issue/bulkfetch', 200, bulk);
    expect((bulk.body as { issueErrors: unknown[] }).issueErrors).toHaveLength(1);
    expectValid(
      'get',
      '/rest/api/3/issue/{issueIdOrKey}',
      200,
      await h.call('GET', '/rest/api/3/issue/PLAT-2?expand=renderedFields,names,schema'),
    );
    expectValid(
      'get',
      '/rest/api/3/issue/{issueIdOrKey}',
      404,
      await h.call('GET', '/rest/api/3/issue/NOPE-9'),
    );
  });

  test('the removed search answers 410 Gone with Jira error body', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const r = await h.call(method, '/rest/api/3/search?jql=project%20%3D%20PLAT', {
        body: { jql: 'project = PLAT' },
      });
      expectValid(method === 'GET' ? 'get' : 'post', '/rest/api/3/search', 410, r);
      expect((r.body as { errorMessages: string[] }).errorMessages[0]).toMatch(
        /^The requested API has been removed\. Please migrate to the \/rest\/api\/3\/search\/jql API/,
      );
    }
  });
});

describe('comments and attachments', () => {
  test('issue comments, comments by id, attachment metadata', async () => {
    const issue = firstVisible(
      h.module.model.issues.values(),
      (i) => i.commentIds.length > 1 && h.module.canSee(h.serviceAccount, 'issue', i.id) === true,
    );
    expectValid(
      'get',
      '/rest/api/3/issue/{issueIdOrKey}/comment',
      200,
      await h.call('GET', `/rest/api/3/issue/${issue.key}/comment?expand=renderedBody&orderBy=-created`),
    );
    const one = firstVisible(
      h.module.model.comments.values(),
      (c) => h.module.canSee(h.serviceAccount, 'jira_comment', c.id) === true,
    );
    expectValid(
      'get',
      '/rest/api/3/issue/{issueIdOrKey}/comment/{id}',
      200,
      await h.call('GET', `/rest/api/3/issue/${one.issueId}/comment/${one.id}?expand=renderedBody`),
    );
    expectValid(
      'get',
      '/rest/api/3/issue/{issueIdOrKey}/comment/{id}',
      404,
      await h.call('GET', `/rest/api/3/issue/${issue.key}/comment/1`),
    );
    expectValid(
      'post',
      '/rest/api/3/comment/list',
      200,
      await h.call('POST', '/rest/api/3/comment/list?expand=renderedBody,properties', {
        body: { ids: issue.commentIds.map(Number) },
      }),
    );
    const att = firstVisible(
      h.module.model.attachments.values(),
      (a) => h.module.canSee(h.serviceAccount, 'jira_attachment', a.id) === true,
    );
    expectValid(
      'get',
      '/rest/api/3/attachment/{id}',
      200,
      await h.call('GET', `/rest/api/3/attachment/${att.id}`),
    );
    expectValid(
      'get',
      '/rest/api/3/attachment/{id}',
      404,
      await h.call('GET', '/rest/api/3/attachment/999999'),
    );
  });
});

describe('users and groups', () => {
  test('users/search, user/bulk, group/bulk, group/member, user/groups', async () => {
    const users = await h.call('GET', '/rest/api/3/users/search?maxResults=1000');
    expectValid('get', '/rest/api/3/users/search', 200, users);
    const ids = (users.body as { accountId: string }[])
      .slice(0, 3)
      .map((u) => `accountId=${encodeURIComponent(u.accountId)}`);
    expectValid(
      'get',
      '/rest/api/3/user/bulk',
      200,
      await h.call('GET', `/rest/api/3/user/bulk?${ids.join('&')}`),
    );
    const groups = await h.call('GET', '/rest/api/3/group/bulk');
    expectValid('get', '/rest/api/3/group/bulk', 200, groups);
    const groupId = (groups.body as { values: { groupId: string }[] }).values[0]!.groupId;
    expectValid(
      'get',
      '/rest/api/3/group/member',
      200,
      await h.call('GET', `/rest/api/3/group/member?groupId=${groupId}&includeInactiveUsers=true`),
    );
    expectValid('get', '/rest/api/3/group/member', 400, await h.call('GET', '/rest/api/3/group/member'));
    expectValid(
      'get',
      '/rest/api/3/user/groups',
      200,
      await h.call('GET', `/rest/api/3/user/groups?accountId=${encodeURIComponent(h.serviceAccount)}`),
    );
  });
});
