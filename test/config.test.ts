// Config validation: defaults applied, every violation reported at once with its path, credentials explained
// per auth_type (not ajv's oneOf noise), cross-field rules, and no secret in any message.
import { validateConfig } from '../src/config';

const SECRET = 'ATSTT.config-secret-value-987654321';
const valid = {
  domain: 'acme.atlassian.net',
  credentials: { auth_type: 'service_account', service_account_token: SECRET },
};

function problems(raw: unknown): string {
  try {
    validateConfig(raw);
  } catch (error) {
    expect((error as { code?: string }).code).toBe('config_error');
    expect(JSON.stringify(error) + String(error)).not.toContain(SECRET);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

test('a minimal config gets every spec default, nested groups included', () => {
  const config = validateConfig(valid);
  expect(config).toMatchObject({
    max_concurrency: 8,
    requests_per_second: 50,
    confluence: {
      enabled: true,
      include_archived_spaces: false,
      include_personal_spaces: true,
      spaces: { include: [], exclude: [] },
    },
    jira: { enabled: true, projects: { include: [], exclude: [] } },
    attachments: { extract_text: true, max_size_mb: 20 },
    page_size: { confluence: 250 },
  });
});

test('the input object is not modified', () => {
  const raw = structuredClone(valid);
  validateConfig(raw);
  expect(raw).toEqual(valid);
});

test('the domain is normalised from a pasted URL', () => {
  expect(validateConfig({ ...valid, domain: 'https://ACME.atlassian.net/wiki/spaces/ENG/' }).domain).toBe(
    'acme.atlassian.net',
  );
});

test('blank optional strings from the UI count as absent', () => {
  const config = validateConfig({
    ...valid,
    start_date: '',
    organization_id: '',
    organization_admin_api_key: '',
    credentials: { ...valid.credentials, service_account_email: '' },
  });
  expect(config.start_date).toBeUndefined();
  expect(config.credentials).toEqual({ auth_type: 'service_account', service_account_token: SECRET });
});

test('all violations are reported at once, each with its path', () => {
  const message = problems({
    domain: 'jira.mycorp.com',
    credentials: { auth_type: 'service_account', service_account_email: 'someone@gmail.com' },
    max_concurrency: 100,
    confluence: { spaces: { include: ['ENG', 'OPS'], exclude: ['OPS'] } },
    organization_id: 'org-1',
    start_date: 'yesterday',
    bogus: 1,
  });
  expect(message).toMatch(/^Invalid config: /);
  for (const expected of [
    'config.max_concurrency must be <= 64',
    'config has an unknown field "bogus"',
    'config.start_date must look like YYYY-MM-DDTHH:mm:ssZ',
    'config.credentials.service_account_token is required',
    'config.credentials.service_account_email must look like name@serviceaccount.atlassian.com',
    'config.domain "jira.mycorp.com" looks like a self-hosted Jira/Confluence Data Center',
    'config.organization_admin_api_key is required when the other organization field is set',
    'config.confluence.spaces: "OPS" is both in include and in exclude',
  ]) {
    expect(message).toContain(expected);
  }
  // No oneOf noise about the branches that were not chosen.
  expect(message).not.toMatch(/client_id|api_token|oneOf|must match exactly one/);
});

test('pasted secrets lose surrounding spaces; an empty or blank one is named, not sent', () => {
  const config = validateConfig({
    ...valid,
    organization_id: ' org-1\n',
    organization_admin_api_key: ' key ',
    credentials: { auth_type: 'service_account', service_account_token: ` ${SECRET}\n` },
  });
  expect(config.credentials).toEqual(valid.credentials);
  expect([config.organization_id, config.organization_admin_api_key]).toEqual(['org-1', 'key']);
  expect(
    problems({ ...valid, credentials: { auth_type: 'service_account', service_account_token: '  ' } }),
  ).toBe('Invalid config: config.credentials.service_account_token is empty');
  expect(
    problems({ ...valid, credentials: { auth_type: 'api_token', email: 'a@b.co', api_token: '' } }),
  ).toBe('Invalid config: config.credentials.api_token is empty');
  expect(
    problems({
      ...valid,
      credentials: { auth_type: 'service_account_oauth', client_id: '', client_secret: SECRET },
    }),
  ).toBe('Invalid config: config.credentials.client_id is empty');
});

test('the credentials problem follows auth_type', () => {
  expect(problems({ ...valid, credentials: { auth_type: 'service_account_oauth', client_id: 'x' } })).toBe(
    'Invalid config: config.credentials.client_secret is required',
  );
  expect(problems({ ...valid, credentials: { auth_type: 'api_token', api_token: SECRET } })).toBe(
    'Invalid config: config.credentials.email is required',
  );
  expect(problems({ ...valid, credentials: { auth_type: 'password', password: SECRET } })).toBe(
    'Invalid config: config.credentials.auth_type must be one of service_account, service_account_oauth, api_token',
  );
  expect(problems({ domain: 'acme.atlassian.net' })).toBe('Invalid config: config.credentials is required');
});

test('include/exclude overlaps are rejected for projects and users too', () => {
  const message = problems({
    ...valid,
    jira: { projects: { include: ['A'], exclude: ['A'] } },
    users: { include: ['u@x'], exclude: ['u@x'] },
  });
  expect(message).toContain('config.jira.projects: "A" is both in include and in exclude');
  expect(message).toContain('config.users: "u@x" is both in include and in exclude');
});

test('URL overrides: https anywhere, http only on loopback hosts', () => {
  expect(validateConfig({ ...valid, site_url_override: 'http://127.0.0.1:8080/' }).site_url_override).toBe(
    'http://127.0.0.1:8080',
  );
  expect(validateConfig({ ...valid, gateway_url_override: 'http://localhost:9' }).gateway_url_override).toBe(
    'http://localhost:9',
  );
  expect(validateConfig({ ...valid, auth_url_override: 'https://auth.example' }).auth_url_override).toBe(
    'https://auth.example',
  );
  expect(problems({ ...valid, gateway_url_override: 'http://10.1.2.3' })).toContain(
    'config.gateway_url_override must use https (http is allowed for loopback hosts only)',
  );
});

test('a config that is not an object is rejected', () => {
  expect(problems([])).toBe('The config must be a JSON object');
});
