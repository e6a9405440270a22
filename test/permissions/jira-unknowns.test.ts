// Jira inputs that leave an issue's or a comment's access unknown must close that document and say why:
// an issue whose `security` field did not come back (in a project with security levels), a comment
// restricted to a group the directory does not know or with a visibility type Jira does not document, the
// issues of an archived project (Jira opens them to its admins only). Misbehaving or unmodelled
// responses, so nock.
import nock from '../helpers/nock';
import { loadDirectory } from '../../src/directory/load';
import { jiraDocuments } from '../../src/permissions/documents';
import type { DocumentPermissionsRecord } from '../../src/generated/records/document_permissions';
import { validateConfig } from '../../src/config';
import { JIRA, CONFLUENCE, harness } from '../atlassian/harness';

const config = validateConfig({
  domain: 'acme.atlassian.net',
  credentials: { auth_type: 'api_token', email: 'bot@acme.example', api_token: 'token' },
  confluence: { enabled: false },
  jira: { include_archived_projects: true },
});
const staff = { type: 'group', parameter: 'staff', value: 'g-staff' };

function recorder() {
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
  return { logger, warnings };
}

/** The site's directory: alice in group staff. */
function directoryRoutes(): void {
  nock(JIRA)
    .get('/rest/api/3/users/search')
    .query((q) => q.startAt === '0')
    .reply(200, [
      { accountId: 'alice', accountType: 'atlassian', active: true, emailAddress: 'a@acme.example' },
    ])
    .get('/rest/api/3/users/search')
    .query((q) => q.startAt !== '0')
    .reply(200, [])
    .get('/rest/api/3/group/bulk')
    .query(true)
    .reply(200, { values: [{ groupId: 'g-staff', name: 'staff' }], isLast: true })
    .get('/rest/api/3/group/member')
    .query(true)
    .reply(200, { values: [{ accountId: 'alice' }], isLast: true });
}

/** A project whose browse permission is granted to group staff; `security` is its issue security scheme. */
function projectRoutes(
  project: { id: string; key: string },
  security: Record<string, unknown> | 404,
  issues: Record<string, unknown>[],
): void {
  const scope = nock(JIRA)
    .get(`/rest/api/3/project/${project.id}/permissionscheme`)
    .query(true)
    .reply(200, { id: 1, permissions: [{ id: 11, permission: 'BROWSE_PROJECTS', holder: staff }] })
    .post('/rest/api/3/search/jql', (body: { jql: string }) => body.jql.includes(`project = ${project.id} `))
    .reply(200, { issues, isLast: true });
  if (security === 404)
    scope
      .get(`/rest/api/3/project/${project.id}/issuesecuritylevelscheme`)
      .reply(404, { errorMessages: ['No issue security scheme is associated with this project.'] });
  else
    scope
      .get(`/rest/api/3/project/${project.id}/issuesecuritylevelscheme`)
      .reply(200, security)
      .get(`/rest/api/3/issuesecurityschemes/${String(security.id)}/members`)
      .query(true)
      .reply(200, {
        values: [{ id: 21, issueSecurityLevelId: 100, holder: staff }],
        startAt: 0,
        maxResults: 50,
        total: 1,
        isLast: true,
      });
}

async function documents(projects: { id: string; key: string; archived?: boolean }[]) {
  nock(JIRA).get('/rest/api/3/project/search').query(true).reply(200, { values: projects, isLast: true });
  const { site } = harness();
  const { logger, warnings } = recorder();
  const directory = await loadDirectory({ site, config, logger, selfAccountId: 'svc' });
  const ctx = { syncMode: 'full_refresh' as const, logger, signal: new AbortController().signal };
  const docs = new Map<string, DocumentPermissionsRecord>();
  for await (const d of jiraDocuments({ config, site: async () => site, logger }, { site, directory }, ctx))
    docs.set(`${d.document_type}:${d.document_id}`, d);
  return { docs, warnings: warnings.filter((w) => !w.startsWith('directory:')) };
}

beforeEach(() => {
  directoryRoutes();
  // Emails the Jira profiles hide are looked up in Confluence.
  nock(CONFLUENCE).post('/wiki/api/v2/users-bulk').reply(200, { results: [] }).persist();
});

test('an issue without a security field is closed in a project with security levels, open in one without', async () => {
  const sec = { id: '10000', key: 'SEC' };
  const open = { id: '20000', key: 'OPEN' };
  projectRoutes(sec, { id: 5, levels: [{ id: '100', name: 'Internal' }] }, [
    { id: '1', key: 'SEC-1', fields: { reporter: null, assignee: null } },
    { id: '2', key: 'SEC-2', fields: { reporter: null, assignee: null, security: null } },
    { id: '3', key: 'SEC-3', fields: { security: { id: '100', name: 'Internal' } } },
  ]);
  projectRoutes(open, 404, [{ id: '4', key: 'OPEN-1', fields: { reporter: null, assignee: null } }]);
  const { docs, warnings } = await documents([sec, open]);

  expect(docs.get('jira_issue:1')).toMatchObject({ readable: false, public: false, users: [], groups: [] });
  expect(docs.get('jira_issue:1')!.sources).toContainEqual(
    expect.objectContaining({
      kind: 'unreadable',
      detail: expect.stringMatching(/security level of SEC-1 was not returned/),
    }),
  );
  expect(warnings).toEqual([
    expect.stringMatching(
      /^jira issue SEC-1: the security level of SEC-1 was not returned, and project SEC has issue security levels; nobody gets access/,
    ),
  ]);
  for (const id of ['2', '3', '4'])
    expect(docs.get(`jira_issue:${id}`)).toMatchObject({
      readable: true,
      groups: [{ id: 'g-staff', name: 'staff' }],
    });
});

test('a comment restricted to a group the directory does not know is closed, and a WARN says why', async () => {
  const project = { id: '30000', key: 'CMT' };
  const comment = (id: string, visibility?: Record<string, string>) => ({
    id,
    ...(visibility ? { visibility } : {}),
  });
  projectRoutes(project, 404, [
    {
      id: '7',
      key: 'CMT-1',
      fields: {
        comment: {
          comments: [
            comment('70', { type: 'group', value: 'ghosts' }),
            comment('71', { type: 'group', value: 'staff' }),
            comment('72'),
          ],
          total: 3,
        },
      },
    },
  ]);
  const { docs, warnings } = await documents([project]);

  expect(docs.get('jira_comment:70')).toMatchObject({ readable: false, users: [], groups: [] });
  expect(docs.get('jira_comment:70')!.sources).toContainEqual(
    expect.objectContaining({
      kind: 'unreadable',
      detail: expect.stringMatching(/group ghosts, which is not in the directory/),
    }),
  );
  expect(warnings).toEqual([
    expect.stringMatching(
      /^jira comment 70 on CMT-1: .*group ghosts, which is not in the directory; nobody gets access/,
    ),
  ]);
  expect(docs.get('jira_comment:71')).toMatchObject({
    readable: true,
    groups: [{ id: 'g-staff', name: 'staff' }],
  });
  expect(docs.get('jira_comment:72')).toMatchObject({ readable: true });
});

test('a comment whose visibility has a type Jira does not document is closed, not open to the issue', async () => {
  const project = { id: '40000', key: 'VIS' };
  projectRoutes(project, 404, [
    {
      id: '8',
      key: 'VIS-1',
      fields: {
        security: null,
        comment: {
          comments: [{ id: '80', visibility: { type: 'team', value: 'Platform', identifier: 't-1' } }],
          total: 1,
        },
      },
    },
  ]);
  const { docs, warnings } = await documents([project]);

  expect(docs.get('jira_issue:8')).toMatchObject({ readable: true, groups: [{ id: 'g-staff' }] });
  expect(docs.get('jira_comment:80')).toMatchObject({
    readable: false,
    public: false,
    users: [],
    groups: [],
  });
  expect(warnings).toEqual([expect.stringMatching(/^jira comment 80 on VIS-1: .*visibility.*team/)]);
});

test('issues of an archived project are closed: Jira opens them to Jira admins only', async () => {
  const project = { id: '50000', key: 'OLD', archived: true };
  projectRoutes(project, 404, [
    {
      id: '9',
      key: 'OLD-1',
      fields: {
        security: null,
        attachment: [{ id: '900' }],
        comment: { comments: [{ id: '90' }], total: 1 },
      },
    },
  ]);
  const { docs } = await documents([project]);

  for (const key of ['jira_issue:9', 'jira_comment:90', 'jira_attachment:900'])
    expect(docs.get(key)).toMatchObject({ public: false, users: [], groups: [] });
  expect(docs.get('jira_issue:9')!.sources).toContainEqual(
    expect.objectContaining({ detail: expect.stringMatching(/archived/) }),
  );
});
