// What the `domain` field accepts (normalised) and what it refuses (with the reason).
import { normaliseDomain } from '../../src/atlassian/domain';

test.each([
  ['acme.atlassian.net', 'acme.atlassian.net'],
  ['  ACME.Atlassian.NET  ', 'acme.atlassian.net'],
  ['https://acme.atlassian.net/', 'acme.atlassian.net'],
  ['https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Title?focused=1#x', 'acme.atlassian.net'],
  ['http://acme.atlassian.net/jira/software/projects/AB/boards/1', 'acme.atlassian.net'],
  ['acme.atlassian.net/wiki', 'acme.atlassian.net'],
  ['acme.atlassian.net.', 'acme.atlassian.net'],
  ['https://acme.atlassian.net:443/', 'acme.atlassian.net'],
  ['my-team-2.atlassian.net', 'my-team-2.atlassian.net'],
  ['legacy.jira.com', 'legacy.jira.com'],
])('accepts %j as %s', (input, expected) => {
  expect(normaliseDomain(input)).toEqual({ ok: true, domain: expected });
});

test.each([
  ['jira.mycorp.com', /looks like a self-hosted Jira\/Confluence Data Center.*supports Atlassian Cloud/],
  ['https://confluence.example.org/display/ENG', /self-hosted/],
  ['acme', /did you mean acme.atlassian.net\?/],
  ['', /is empty/],
  ['api.atlassian.com', /is an Atlassian service, not your site/],
  ['id.atlassian.com', /Atlassian service/],
  ['admin.atlassian.com/o/abc', /Atlassian service/],
  ['10.0.0.5', /IP address/],
  ['acme.atlassian.net:8080', /has a port/],
  ['ftp://acme.atlassian.net', /not a web address/],
  ['-bad-.atlassian.net', /not a valid site name/],
  ['.atlassian.net', /Atlassian service|not a valid site name/],
])('refuses %j with the reason', (input, reason) => {
  const result = normaliseDomain(input);
  expect(result.ok).toBe(false);
  expect(result.ok ? '' : result.reason).toMatch(reason);
});
