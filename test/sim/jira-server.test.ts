// The Jira module behind the real simulator server: gateway and site paths, both credential forms, the
// attachment redirect followed over HTTP, the control API over HTTP, and ground truth via `sim.truth`.
import { startSimulator, type Simulator } from '../../sim';
import type { JiraStore } from '../../sim/jira/model';
import { responseValidator } from '../helpers/openapi';
import { authHeader, call } from './sim-client';

let sim: Simulator;
let model: JiraStore;
beforeAll(async () => {
  sim = await startSimulator({ scale: 'small', seed: 11 });
  model = sim.model.jira as JiraStore;
});
afterAll(() => sim.close());

test('myself through the gateway, as Basic email:token and as Bearer, reports the account zone', async () => {
  for (const auth of ['sa-basic', 'sa-bearer'] as const) {
    const r = await call(sim, '/rest/api/3/myself', { auth });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      accountId: sim.model.directory.serviceAccount.accountId,
      timeZone: sim.model.directory.serviceAccount.timeZone,
    });
  }
  const site = await call(sim, '/rest/api/3/myself', { via: 'site' });
  expect(site.status).toBe(200);
  expect((site.body as { accountId: string }).accountId).toBe(sim.model.directory.apiTokenUser.accountId);
});

test('a nextPageToken walk over HTTP returns exactly the ground truth, and pages validate', async () => {
  const validate = responseValidator('jira-platform-v3.openapi.json', 'post', '/rest/api/3/search/jql', 200);
  const keys = [...model.projects.values()].map((p) => p.key).join(',');
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const r = await call(sim, '/rest/api/3/search/jql', {
      body: {
        jql: `project in (${keys}) ORDER BY updated ASC, id ASC`,
        fields: ['summary', 'updated'],
        maxResults: 100,
        ...(token ? { nextPageToken: token } : {}),
      },
    });
    expect(r.status).toBe(200);
    expect(validate(r.body)).toBe(true);
    const body = r.body as { issues: { id: string }[]; nextPageToken?: string };
    seen.push(...body.issues.map((i) => i.id));
    token = body.nextPageToken;
  } while (token);
  expect(seen.length).toBe(new Set(seen).size);
  expect(new Set(seen)).toEqual(sim.truth.visibleIds('jira_issues'));
});

test('self and content links point at the site; the 303 download stays on the gateway and needs the credential', async () => {
  const id = [...sim.truth.visibleIds('jira_attachments')][0]!;
  const meta = await call(sim, `/rest/api/3/attachment/${id}`);
  expect((meta.body as { content: string }).content).toBe(`${sim.url}/rest/api/3/attachment/content/${id}`);
  const first = await call(sim, `/rest/api/3/attachment/content/${id}`);
  expect(first.status).toBe(303);
  const location = first.headers.get('location')!;
  expect(location.startsWith(`${sim.url}/ex/jira/${sim.cloudId}/`)).toBe(true);
  const anonymous = await fetch(location, { redirect: 'manual' });
  expect(anonymous.status).toBe(401);
  const bytes = await fetch(location, { headers: { authorization: authHeader(sim, 'sa-basic')! } });
  expect(bytes.status).toBe(200);
  expect(Buffer.from(await bytes.arrayBuffer()).length).toBe(model.attachments.get(id)!.size);
});

test('the removed search answers 410 through the gateway too', async () => {
  const r = await call(sim, '/rest/api/3/search', { body: { jql: 'project = PLAT' } });
  expect(r.status).toBe(410);
  expect((r.body as { errorMessages: string[] }).errorMessages[0]).toContain('/rest/api/3/search/jql');
});

test('control over HTTP: a comment added between syncs is returned and bumps the issue', async () => {
  const issueId = [...sim.truth.visibleIds('jira_issues')][0]!;
  const before = model.issues.get(issueId)!.updated;
  const res = await fetch(`${sim.url}/__control/jira/addComment`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ issue: issueId, body: 'Added over HTTP' }),
  });
  expect(res.status).toBe(200);
  const { id } = (await res.json()) as { id: string };
  expect(model.issues.get(issueId)!.updated).toBeGreaterThan(before);
  const comments = await call(sim, `/rest/api/3/issue/${issueId}/comment`);
  expect((comments.body as { comments: { id: string }[] }).comments.map((c) => c.id)).toContain(id);
  expect(sim.truth.canSee(sim.model.directory.serviceAccount.accountId, 'jira_comment', id)).toBe(true);
});
