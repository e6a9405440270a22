// JQL date semantics: string literals are wall-clock times in the CALLER's profile time zone, epoch
// milliseconds are absolute, and comparisons have minute precision.
import { localParts } from '../../sim/core/time-zone';
import { jiraHarness, type JiraHarness } from './jira-harness';

let h: JiraHarness;
beforeAll(() => {
  h = jiraHarness({ scale: 'small' });
});

const pad = (n: number): string => String(n).padStart(2, '0');

/** `yyyy/MM/dd HH:mm` of an instant in a zone (what a user types into JQL). */
function literal(epochMs: number, timeZone: string, sep = '/'): string {
  const p = localParts(epochMs, timeZone);
  return `${p.year}${sep}${pad(p.month)}${sep}${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

async function ids(jql: string, caller?: string): Promise<Set<string>> {
  const out = new Set<string>();
  let token: string | undefined;
  do {
    const r = await h.call('POST', '/rest/api/3/search/jql', {
      body: { jql, maxResults: 5000, ...(token ? { nextPageToken: token } : {}) },
      ...(caller ? { caller } : {}),
    });
    expect(r.status).toBe(200);
    const body = r.body as { issues: { id: string }[]; nextPageToken?: string };
    body.issues.forEach((i) => out.add(i.id));
    token = body.nextPageToken;
  } while (token);
  return out;
}

function saZone(): string {
  return h.directory.serviceAccount.timeZone;
}

function someVisibleIssue(pred: (updated: number) => boolean = () => true) {
  const visible = h.module.visibleIds('jira_issues')!;
  for (const issue of h.module.model.issues.values())
    if (visible.has(issue.id) && pred(issue.updated)) return issue;
  throw new Error('no fixture');
}

test('the service account has a non-UTC zone, and myself reports it', async () => {
  expect(saZone()).not.toBe('UTC');
  const me = await h.call('GET', '/rest/api/3/myself');
  expect((me.body as { timeZone: string }).timeZone).toBe(saZone());
});

test('a date literal is read in the caller zone, not in UTC', async () => {
  // Seconds within the minute must not matter for this check; pick an issue away from a minute edge.
  const issue = someVisibleIssue((u) => u % 60_000 > 1000);
  const inZone = literal(issue.updated, saZone());
  const inUtc = literal(issue.updated, 'UTC');
  expect(inZone).not.toBe(inUtc);
  const project = h.module.model.projects.get(issue.projectId)!.key;
  expect(await ids(`project = ${project} AND updated >= "${inZone}"`)).toContain(issue.id);
  expect(await ids(`project = ${project} AND updated <= "${inZone}"`)).toContain(issue.id);
  // The UTC wall-clock reading denotes a different instant for this caller.
  const utcLiteralHits = await ids(
    `project = ${project} AND updated >= "${inUtc}" AND updated <= "${inUtc}"`,
  );
  expect(utcLiteralHits).not.toContain(issue.id);
  // The dash form is the same literal.
  expect(
    await ids(`project = ${project} AND updated = "${literal(issue.updated, saZone(), '-')}"`),
  ).toContain(issue.id);
});

test('the same literal selects different issues for callers in different zones; epoch millis do not', async () => {
  const visibleToSa = h.module.visibleIds('jira_issues')!;
  const other = h.directory.users.find(
    (u) =>
      u.active &&
      u.timeZone !== saZone() &&
      localParts(0, u.timeZone).hour !== localParts(0, saZone()).hour &&
      [...visibleToSa].some((id) => h.module.canSee(u.accountId, 'issue', id)),
  )!;
  expect(other).toBeDefined();
  const both = [...visibleToSa].filter(
    (id) =>
      h.module.canSee(other.accountId, 'issue', id) && h.module.model.issues.get(id)!.projectId !== undefined,
  );
  const anchor = h.module.model.issues.get(both[Math.floor(both.length / 2)]!)!;
  const projects = [
    ...new Set(both.map((id) => h.module.model.projects.get(h.module.model.issues.get(id)!.projectId)!.key)),
  ];
  const scope = `project in (${projects.join(',')})`;
  const lit = literal(anchor.updated, saZone());
  const forSa = await ids(`${scope} AND updated >= "${lit}"`);
  const forOther = await ids(`${scope} AND updated >= "${lit}"`, other.accountId);
  const common = (s: Set<string>): string[] => [...s].filter((id) => both.includes(id)).sort();
  expect(common(forSa)).not.toEqual(common(forOther));
  const millis = Math.floor(anchor.updated / 60_000) * 60_000;
  expect(common(await ids(`${scope} AND updated >= ${millis}`))).toEqual(
    common(await ids(`${scope} AND updated >= ${millis}`, other.accountId)),
  );
});

test('comparisons have minute precision, for literals and for epoch millis', async () => {
  const issue = someVisibleIssue((u) => u % 60_000 >= 1000 && u % 60_000 <= 58_000);
  const project = h.module.model.projects.get(issue.projectId)!.key;
  const minute = Math.floor(issue.updated / 60_000) * 60_000;
  // Later in the same minute still matches >=, and > the minute's start does not match.
  expect(await ids(`project = ${project} AND updated >= ${minute + 59_999}`)).toContain(issue.id);
  expect(await ids(`project = ${project} AND updated > ${minute}`)).not.toContain(issue.id);
  expect(await ids(`project = ${project} AND updated < ${minute + 60_000}`)).toContain(issue.id);
  expect(await ids(`project = ${project} AND updated >= ${minute + 60_000}`)).not.toContain(issue.id);
});

test('seeded data has issues sharing an updated minute and issues either side of midnight in the account zone', () => {
  const perMinute = new Map<number, number>();
  let beforeMidnight = 0;
  let afterMidnight = 0;
  for (const issue of h.module.model.issues.values()) {
    const m = Math.floor(issue.updated / 60_000);
    perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
    const local = localParts(issue.updated, saZone());
    if (local.hour === 23 && local.minute >= 58) beforeMidnight++;
    if (local.hour === 0 && local.minute <= 1) afterMidnight++;
    expect(issue.updated).toBeLessThan(h.clock.epoch);
  }
  expect(Math.max(...perMinute.values())).toBeGreaterThanOrEqual(3);
  expect(beforeMidnight).toBeGreaterThan(0);
  expect(afterMidnight).toBeGreaterThan(0);
});

test('relative periods and invalid dates', async () => {
  // Periods count back from the simulator's clock, at minute precision.
  const since = Math.floor((h.clock.now() - 7 * 86_400_000) / 60_000) * 60_000;
  const expected = [...h.module.visibleIds('jira_issues')!].filter((id) => {
    const issue = h.module.model.issues.get(id)!;
    return issue.projectId === '10000' && Math.floor(issue.updated / 60_000) * 60_000 >= since;
  });
  expect(expected.length).toBeGreaterThan(0);
  expect(await ids('project = PLAT AND updated >= -1w')).toEqual(new Set(expected));
  expect(await ids('project = PLAT AND updated >= "-1w"')).toEqual(new Set(expected));
  const bad = await h.call('POST', '/rest/api/3/search/jql', {
    body: { jql: 'project = PLAT AND updated >= "31/01/2026"' },
  });
  expect(bad.status).toBe(400);
  expect((bad.body as { errorMessages: string[] }).errorMessages[0]).toMatch(
    /Date value '31\/01\/2026' for field 'updated' is invalid/,
  );
});

test('timestamps in responses carry the caller zone offset', async () => {
  const issue = someVisibleIssue();
  const r = await h.call('GET', `/rest/api/3/issue/${issue.key}?fields=updated`);
  const updated = (r.body as { fields: { updated: string } }).fields.updated;
  expect(updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/);
  expect(Date.parse(updated.replace(/(\d\d)(\d\d)$/, '$1:$2'))).toBe(issue.updated);
  expect(updated.endsWith('+0000')).toBe(false);
});
