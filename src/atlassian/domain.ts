// Turns whatever the user pasted into the `domain` field into a bare Atlassian Cloud host name, or says why not.
// Decisions: `*.atlassian.net` and the legacy `*.jira.com` Cloud hosts are accepted (both serve /_edge/tenant_info);
// Atlassian's own service hosts and every other host (self-hosted Data Center, custom domains) are refused.

export type DomainResult = { ok: true; domain: string } | { ok: false; reason: string };

const CLOUD_SUFFIXES = ['.atlassian.net', '.jira.com'];
// Hosts under atlassian.com / atlassian.net that are Atlassian services, not a customer's site.
const SERVICE_HOSTS = new Set([
  'api.atlassian.com',
  'id.atlassian.com',
  'admin.atlassian.com',
  'start.atlassian.com',
  'home.atlassian.com',
  'auth.atlassian.com',
  'developer.atlassian.com',
  'www.atlassian.com',
  'atlassian.com',
  'atlassian.net',
]);
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** `https://ACME.atlassian.net/wiki/spaces/X/` → `acme.atlassian.net`; refuses anything that is not a Cloud site. */
export function normaliseDomain(raw: string): DomainResult {
  const input = raw.trim();
  if (!input) return { ok: false, reason: 'is empty; expected your-company.atlassian.net' };
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `https://${input}`);
  } catch {
    return { ok: false, reason: `"${input}" is not a host name; expected your-company.atlassian.net` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: `"${input}" is not a web address; expected your-company.atlassian.net` };
  }
  const host = url.hostname.toLowerCase().replace(/\.+$/, '');
  if (url.port && url.port !== '443') {
    return {
      ok: false,
      reason: `"${host}:${url.port}" has a port; Atlassian Cloud sites are plain your-company.atlassian.net`,
    };
  }
  if (SERVICE_HOSTS.has(host) || host.endsWith('.atlassian.com')) {
    return {
      ok: false,
      reason: `"${host}" is an Atlassian service, not your site; use your-company.atlassian.net`,
    };
  }
  const suffix = CLOUD_SUFFIXES.find((s) => host.endsWith(s));
  if (suffix) {
    const site = host.slice(0, -suffix.length);
    if (!site || !site.split('.').every((label) => LABEL.test(label))) {
      return { ok: false, reason: `"${host}" is not a valid site name; expected your-company${suffix}` };
    }
    return { ok: true, domain: host };
  }
  if (/^[0-9.]+$/.test(host) || host.includes(':') || host === 'localhost') {
    return {
      ok: false,
      reason: `"${host}" is an IP address or local host; expected your-company.atlassian.net`,
    };
  }
  if (!host.includes('.') && LABEL.test(host)) {
    return { ok: false, reason: `"${host}" is not a full site name; did you mean ${host}.atlassian.net?` };
  }
  return {
    ok: false,
    reason:
      `"${host}" looks like a self-hosted Jira/Confluence Data Center (or a custom domain); ` +
      'this connector supports Atlassian Cloud sites (your-company.atlassian.net)',
  };
}
