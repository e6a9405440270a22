// Jira holder and visibility semantics the simulator does not model (archived projects whose issues come
// back, comment visibility of a type Jira does not document): whatever the connector cannot place must close
// the document. Misbehaving or unmodelled responses, so nock.
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

/** The site's directory: alice and bob in group staff. */
function directoryRoutes(): void {
  const user = (accountId: string) => ({ accountId, accountType: 'atlassian', active: true });
  nock(JIRA)
    .get('/rest/api/3/users/search')
    .query((q) => q.startAt === '0')
    .reply(200, [user('alice'), user('bob')])
    .get('/rest/api/3/users/search')
    .query((q) => q.startAt !== '0')
    .reply(200, [])
    .get('/rest/api/3/group/bulk')
    .query(true)
    .reply(200, { values: [{ groupId: 'g-staff', name: 'staff' }], isLast: true })
    .get('/rest/api/3/group/member')
    .query(true)
    .reply(200, { values: [{ accountId: 'alice' }, { accountId: 'bob' }], isLast: true });
}

/** A project browsed by group staff, without issue security levels. */
function projectRoutes(project: { id: string; key: string }, issues: Record<string, unknown>[]): void {
  nock(JIRA)
    .get(`/rest/api/3/project/${project.id}/permissionscheme`)
    .query(true)
    .reply(200, { id: 1, permissions: [{ id: 11, permission: 'BROWSE_PROJECTS', holder: staff }] })
    .get(`/rest/api/3/project/${project.id}/issuesecuritylevelscheme`)
    .reply(404, { errorMessages: ['No issue security scheme is associated with this project.'] })
    .post('/rest/api/3/search/jql', (body: { jql: string }) => body.jql.includes(`project = ${project.id} `))
    .reply(200, { issues, isLast: true });
}

async function documents(projects: Record<string, unknown>[]) {
  nock(JIRA).get('/rest/api/3/project/search').query(true).reply(200, { values: projects, isLast: true });
  const { site } = harness();
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
  const directory = await loadDirectory({ site, config, logger, selfAccountId: 'svc' });
  const ctx = { syncMode: 'full_refresh' as const, logger, signal: new AbortController().signal };
  const docs = new Map<string, DocumentPermissionsRecord>();
  for await (const d of jiraDocuments({ config, site: async () => site, logger }, { site, directory }, ctx))
    docs.set(`${d.document_type}:${d.document_id}`, d);
  return { docs, warnings: warnings.filter((w) => !w.startsWith('directory:')) };
}

beforeEach(() => {
  directoryRoutes();
  nock(CONFLUENCE).post('/wiki/api/v2/users-bulk').reply(200, { results: [] }).persist();
});

test('a comment whose visibility has a type Jira does not document is closed, not open to the issue', async () => {
  const project = { id: '40000', key: 'VIS' };
  projectRoutes(project, [
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
  projectRoutes(project, [
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
