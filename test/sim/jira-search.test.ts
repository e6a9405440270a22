// search/jql behaviour: nextPageToken walks, page-size clamping, bounded-query rule, ordering, and the JQL
// clauses a sync uses.
import { jiraHarness, type JiraHarness } from './jira-harness';

interface SearchPage {
  issues: { id: string; key?: string; fields?: Record<string, unknown> }[];
  nextPageToken?: string;
  isLast: boolean;
}

let h: JiraHarness;
beforeAll(() => {
  h = jiraHarness({ scale: 'small' });
});

async function search(
  body: Record<string, unknown>,
  caller?: string,
): Promise<{ status: number; body: SearchPage }> {
  const r = await h.call('POST', '/rest/api/3/search/jql', { body, ...(caller ? { caller } : {}) });
  return { status: r.status, body: r.body as SearchPage };
}

async function walk(
  jql: string,
  maxResults: number,
  fields?: string[],
): Promise<{ ids: string[]; pages: SearchPage[] }> {
  const ids: string[] = [];
  const pages: SearchPage[] = [];
  let token: string | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const r = await search({
      jql,
      maxResults,
      ...(fields ? { fields } : {}),
      ...(token ? { nextPageToken: token } : {}),
    });
    expect(r.status).toBe(200);
    pages.push(r.body);
    ids.push(...r.body.issues.map((i) => i.id));
    token = r.body.nextPageToken;
    if (r.body.isLast) break;
  }
  return { ids, pages };
}

describe('nextPageToken walks', () => {
  test.each([1, 7, 50, 100, 5000])(
    'return every visible issue exactly once at page size %i',
    async (size) => {
      const projects = [...h.module.model.projects.values()].filter((p) => !p.archived).map((p) => p.key);
      const { ids, pages } = await walk(
        `project in (${projects.join(',')}) ORDER BY updated ASC, id ASC`,
        size,
      );
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(h.module.visibleIds('jira_issues'));
      // Only the last page says isLast, and it carries no token at all.
      const last = pages[pages.length - 1]!;
      expect(last.isLast).toBe(true);
      expect('nextPageToken' in last).toBe(false);
      for (const p of pages.slice(0, -1)) {
        expect(p.isLast).toBe(false);
        expect(p.nextPageToken).toEqual(expect.any(String));
      }
    },
  );

  test('issues come back in ORDER BY updated ASC, id ASC order', async () => {
    const { pages } = await walk('project = PLAT ORDER BY updated ASC, id ASC', 37, ['updated']);
    const rows = pages
      .flatMap((p) => p.issues)
      .map((i) => ({
        id: Number(i.id),
        updated: Date.parse(String(i.fields!.updated).replace(/(\d\d)(\d\d)$/, '$1:$2')),
      }));
    const sorted = [...rows].sort((a, b) => a.updated - b.updated || a.id - b.id);
    expect(rows).toEqual(sorted);
  });

  test('an issue updated mid-walk moves to the end; no other issue is skipped', async () => {
    const local = jiraHarness({ scale: 'small', seed: 7 });
    const jql = 'project = PLAT ORDER BY updated ASC, id ASC';
    const first = await local.call('POST', '/rest/api/3/search/jql', { body: { jql, maxResults: 10 } });
    const page1 = first.body as SearchPage;
    const seen = page1.issues.map((i) => i.id);
    local.module.control.updateIssue({ issue: seen[0]!, summary: 'edited during the walk' });
    let token = page1.nextPageToken;
    while (token) {
      const r = (
        await local.call('POST', '/rest/api/3/search/jql', {
          body: { jql, maxResults: 10, nextPageToken: token },
        })
      ).body as SearchPage;
      seen.push(...r.issues.map((i) => i.id));
      token = r.nextPageToken;
    }
    const expected = [...local.module.visibleIds('jira_issues')!].filter(
      (id) => local.module.model.issues.get(id)!.projectId === '10000',
    );
    expect(new Set(seen)).toEqual(new Set(expected));
    expect(seen.filter((id) => id === seen[0]).length).toBe(2);
  });
});

describe('page size', () => {
  test('defaults to 50 and clamps to 100 when fields are requested, 5000 for ids only', async () => {
    const all = 'project in (PLAT, MKT, HELP, DISC, LEGACY, SEC) ORDER BY id ASC';
    expect((await search({ jql: all })).body.issues).toHaveLength(50);
    expect((await search({ jql: all, maxResults: 1000, fields: ['summary'] })).body.issues).toHaveLength(100);
    const idsOnly = (await search({ jql: all, maxResults: 1000 })).body;
    expect(idsOnly.issues.length).toBe(Math.min(1000, h.module.visibleIds('jira_issues')!.size));
    // Default fields are ids only.
    expect(Object.keys(idsOnly.issues[0]!)).toEqual(['id']);
  });

  test('fields lists, *all and exclusions', async () => {
    const jql = 'project = PLAT';
    const listed = (await search({ jql, fields: ['summary', 'status'], maxResults: 1 })).body.issues[0]!;
    expect(Object.keys(listed.fields!).sort()).toEqual(['status', 'summary']);
    const all = (await search({ jql, fields: ['*all', '-comment'], maxResults: 1 })).body.issues[0]!;
    expect(all.fields).toHaveProperty('customfield_10010');
    expect(all.fields).toHaveProperty('description');
    expect(all.fields).not.toHaveProperty('comment');
    const get = await h.call(
      'GET',
      '/rest/api/3/search/jql?jql=project%3DPLAT&fields=summary&fields=labels&maxResults=1',
    );
    expect(Object.keys((get.body as SearchPage).issues[0]!.fields!).sort()).toEqual(['labels', 'summary']);
  });
});

describe('query rules', () => {
  test('an unbounded query (only ORDER BY) is rejected with 400 and Jira message', async () => {
    for (const jql of ['ORDER BY updated ASC', '', '  ']) {
      const r = await search({ jql });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        errorMessages: [
          'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
        ],
        errors: {},
      });
    }
    const count = await h.call('POST', '/rest/api/3/search/approximate-count', {
      body: { jql: 'order by key' },
    });
    expect(count.status).toBe(400);
  });

  test('expand must be a comma string in search/jql; an array is a payload error', async () => {
    expect((await search({ jql: 'project = PLAT', expand: ['names'] })).status).toBe(400);
    const ok = await search({
      jql: 'project = PLAT',
      expand: 'names,renderedFields',
      fields: ['summary'],
      maxResults: 1,
    });
    expect(ok.status).toBe(200);
    expect((ok.body as unknown as { names: Record<string, string> }).names).toEqual({ summary: 'Summary' });
  });

  test('bad tokens, unknown fields and unknown projects are 400s', async () => {
    expect((await search({ jql: 'project = PLAT', nextPageToken: 'garbage' })).status).toBe(400);
    const other = (await search({ jql: 'project = MKT', maxResults: 1 })).body.nextPageToken!;
    expect((await search({ jql: 'project = PLAT', nextPageToken: other })).status).toBe(400);
    const unknownField = await search({ jql: 'colour = red' });
    expect(unknownField.status).toBe(400);
    expect((unknownField.body as unknown as { errorMessages: string[] }).errorMessages[0]).toMatch(
      /Field 'colour' does not exist/,
    );
    const unknownProject = await search({ jql: 'project = NOPE' });
    expect((unknownProject.body as unknown as { errorMessages: string[] }).errorMessages).toEqual([
      "The value 'NOPE' does not exist for the field 'project'.",
    ]);
  });

  test('id in (…), issuekey and key clauses', async () => {
    const visible = [...h.module.visibleIds('jira_issues')!].slice(0, 3);
    const byId = (await search({ jql: `id in (${visible.join(',')}) ORDER BY id ASC` })).body.issues.map(
      (i) => i.id,
    );
    expect(byId).toEqual([...visible].sort((a, b) => Number(a) - Number(b)));
    const key = h.module.model.issues.get(visible[0]!)!.key;
    expect((await search({ jql: `issuekey = ${key}` })).body.issues.map((i) => i.id)).toEqual([visible[0]]);
    expect((await search({ jql: `key in ("${key}")` })).body.issues.map((i) => i.id)).toEqual([visible[0]]);
  });

  test('ORDER BY key DESC orders by project key, then issue number', async () => {
    const r = (
      await search({ jql: 'project in (PLAT, MKT) ORDER BY key DESC', fields: ['summary'], maxResults: 100 })
    ).body;
    const keys = r.issues.map((i) => i.key!);
    const sorted = [...keys].sort((a, b) => {
      const [pa, na] = a.split('-');
      const [pb, nb] = b.split('-');
      return pa === pb ? Number(nb) - Number(na) : pb!.localeCompare(pa!);
    });
    expect(keys).toEqual(sorted);
  });

  test('approximate-count agrees with a full walk', async () => {
    const count = await h.call('POST', '/rest/api/3/search/approximate-count', {
      body: { jql: 'project = PLAT' },
    });
    const { ids } = await walk('project = PLAT', 5000);
    expect(count.body).toEqual({ count: ids.length });
  });
});

describe('EMPTY checks', () => {
  test('parent is EMPTY / is not EMPTY split the issues', async () => {
    const all = (await walkIds('project = PLAT')).size;
    const top = await walkIds('project = PLAT AND parent IS EMPTY');
    const children = await walkIds('project = PLAT AND parent IS NOT EMPTY');
    expect(top.size + children.size).toBe(all);
    expect(children.size).toBeGreaterThan(0);
    for (const id of children) expect(h.module.model.issues.get(id)!.parentId).toBeDefined();
  });
});

async function walkIds(jql: string): Promise<Set<string>> {
  return new Set((await walk(jql, 5000)).ids);
}
