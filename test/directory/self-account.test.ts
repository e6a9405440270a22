// The connector's own account is left out of every ACL and membership; when neither Jira /myself nor
// Confluence /user/current says which account that is, the run goes on but a WARN says it stays in.
import nock from '../helpers/nock';
import { directoryOf } from '../../src/directory';
import { validateConfig } from '../../src/config';
import { CONFLUENCE, JIRA, harness } from '../atlassian/harness';

const config = validateConfig({
  domain: 'acme.atlassian.net',
  credentials: { auth_type: 'api_token', email: 'bot@acme.example', api_token: 'token' },
});

async function readDirectory(myself: { status: number; body: Record<string, unknown> }) {
  nock(JIRA)
    .get('/rest/api/3/myself')
    .reply(myself.status, myself.body)
    .get('/rest/api/3/users/search')
    .query((q) => q.startAt === '0')
    .reply(200, [
      { accountId: 'alice', accountType: 'atlassian', active: true, emailAddress: 'a@acme.example' },
      { accountId: 'svc', accountType: 'app', active: true, emailAddress: 'bot@acme.example' },
    ])
    .get('/rest/api/3/users/search')
    .query((q) => q.startAt !== '0')
    .reply(200, [])
    .get('/rest/api/3/group/bulk')
    .query(true)
    .reply(200, { values: [], isLast: true });
  nock(CONFLUENCE)
    .get('/wiki/rest/api/user/current')
    .reply(403, { message: 'Current user not permitted to use Confluence' });
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
  const { site } = harness();
  const directory = await directoryOf(
    { config, site: async () => site, logger },
    { syncMode: 'full_refresh', logger, signal: new AbortController().signal },
  );
  return { directory, warnings };
}

test('warns when the connector cannot tell its own account, which then stays in the ACLs', async () => {
  const unknown = await readDirectory({ status: 403, body: { errorMessages: ['Forbidden'] } });
  expect(unknown.directory.allowed('svc')).toBe(true);
  expect(unknown.warnings).toEqual([
    expect.stringMatching(
      /^directory: cannot tell which account the connector runs as \(\/rest\/api\/3\/myself: 403; \/wiki\/rest\/api\/user\/current: 403\); it is not removed from ACLs/,
    ),
  ]);

  const known = await readDirectory({ status: 200, body: { accountId: 'svc' } });
  expect(known.directory.allowed('svc')).toBe(false);
  expect(known.warnings).toEqual([]);
});
