// Fail closed: when the account may not read a permission input, documents get no access and a WARN names
// them; nothing becomes public. Here the service account stops being a Jira administrator, so permission
// schemes of projects it does not administer and security level members answer 403.
import { startSimulator, type Simulator } from '../../sim';
import { loadSchema } from '../../src/schemas';
import { connectSite, createConnection } from '../../src/atlassian/connect';
import { validateConfig } from '../../src/config';
import { checkPermissionAccess } from '../../src/permissions/check';
import { records, runConnector } from '../helpers/run-connector';

describe('fail closed', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 'tiny', seed: 41 });
    const control = sim.control.jira as unknown as {
      setJiraAdmin(o: { accountId: string; admin: boolean }): void;
    };
    control.setJiraAdmin({ accountId: sim.model.directory.serviceAccount.accountId, admin: false });
  });
  afterAll(() => sim.close());

  it('gives unreadable documents no access, warns naming them, and check says what to grant', async () => {
    const config = sim.connectorConfig({ confluence: { enabled: false } });
    const run = await runConnector(['read'], {
      config,
      catalog: {
        streams: [
          {
            stream: {
              name: 'document_permissions',
              json_schema: loadSchema('document_permissions'),
              supported_sync_modes: ['full_refresh'],
            },
            sync_mode: 'full_refresh',
            destination_sync_mode: 'overwrite',
          },
        ],
      },
    });
    expect(run.exitCode).toBe(0);
    const docs = records(run.messages, 'document_permissions');
    const closed = docs.filter((d) => d.readable === false);
    expect(closed.length).toBeGreaterThan(0);
    for (const d of closed) expect(d).toMatchObject({ public: false, users: [], groups: [] });
    const warnings = run.messages
      .filter((m) => m.type === 'LOG' && m.log?.level === 'WARN')
      .map((m) => m.log!.message);
    expect(closed.some((d) => d.document_type === 'jira_issue')).toBe(true);
    expect(warnings.some((w) => /^jira issue [A-Z]+-\d+: .*nobody gets access/.test(w))).toBe(true);
    expect(
      warnings.some((w) => /cannot read the (permission scheme|issue security levels) of project/.test(w)),
    ).toBe(true);

    const site = await connectSite(createConnection(validateConfig(config)));
    const problems = await checkPermissionAccess(site, validateConfig(config));
    expect(problems.join('\n')).toMatch(
      /cannot read the (permission scheme|issue security levels) of project \w+ \(403\)/,
    );
  });
});
