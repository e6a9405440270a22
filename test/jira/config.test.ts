// What the Jira configuration changes: project filters, archived projects, custom fields; plus what
// jira_projects and jira_comments carry (scheme ids, visibility) and the progress estimate.
import { jiraStreams } from '../../src/jira';
import { harnessSite, readStream, type HarnessSite } from './harness-client';

const stream = (site: HarnessSite, config: Parameters<HarnessSite['deps']>[0], name: string) =>
  jiraStreams(site.deps(config)).find((s) => s.name === name)!;

describe('jira configuration', () => {
  const site = harnessSite({ scale: 'small', seed: 4, counts: { projects: 7 } });
  const model = site.harness.module.model;
  const projects = [...model.projects.values()];
  const archived = projects.find((p) => p.archived)!;
  const live = projects.filter((p) => !p.archived);

  it('lists viewable live projects with their scheme ids, and warns once about the ones it may not read', async () => {
    site.warnings.length = 0;
    const { records } = await readStream(stream(site, {}, 'jira_projects'), {
      syncMode: 'full_refresh',
      logger: site.logger,
    });
    expect(records.map((r) => r.id).sort()).toEqual(
      [...site.harness.module.visibleIds('jira_projects')!].sort(),
    );
    expect(records.map((r) => r.id)).not.toContain(archived.id);
    for (const r of records) {
      const p = model.projects.get(r.id as string)!;
      expect(r).toMatchObject({
        key: p.key,
        url: `https://acme-sim.atlassian.net/browse/${p.key}`,
        cloud_id: 'cloud-sim',
      });
      // The service account administers every project but the private one (whose ids stay null).
      if (r.permission_scheme_id !== null) expect(r.permission_scheme_id).toBe(String(p.permissionSchemeId));
      if (r.issue_security_scheme_id !== null)
        expect(r.issue_security_scheme_id).toBe(String(p.securitySchemeId));
    }
    expect(records.filter((r) => r.permission_scheme_id !== null).length).toBeGreaterThan(0);
    expect(records.some((r) => r.issue_security_scheme_id !== null)).toBe(true);
    const denied = records.filter((r) => r.permission_scheme_id === null);
    expect(site.warnings.filter((w) => w.includes('permission scheme')).length).toBe(
      denied.length > 0 ? 1 : 0,
    );
  });

  it('includes archived projects on request', async () => {
    const { records } = await readStream(
      stream(site, { jira: { include_archived_projects: true } }, 'jira_projects'),
    );
    expect(records.map((r) => r.id)).toContain(archived.id);
    expect(records.find((r) => r.id === archived.id)).toMatchObject({
      archived: true,
      archived_at: '2025-10-01T09:30:00.000Z',
    });
  });

  it('reads only the included project keys, skips excluded ones, and names unknown keys in a warning', async () => {
    site.warnings.length = 0;
    const [a, b] = live;
    const config = { jira: { projects: { include: [a!.key, b!.key, 'NOPE'], exclude: [b!.key] } } };
    const { records } = await readStream(stream(site, config, 'jira_issues'), {
      syncMode: 'full_refresh',
      logger: site.logger,
    });
    expect(new Set(records.map((r) => r.project_key))).toEqual(new Set([a!.key]));
    expect(site.warnings.some((w) => w.includes('NOPE') && !w.includes(a!.key))).toBe(true);
  });

  it('emits configured custom fields by name or id under custom_fields, keyed by field id', async () => {
    site.warnings.length = 0;
    const config = { jira: { custom_fields: ['story points', 'customfield_10020', 'No Such Field'] } };
    const { records } = await readStream(stream(site, config, 'jira_issues'), {
      syncMode: 'full_refresh',
      logger: site.logger,
    });
    const withPoints = records.filter(
      (r) => (r.custom_fields as Record<string, unknown>).customfield_10010 != null,
    );
    expect(withPoints.length).toBeGreaterThan(0);
    for (const r of withPoints) {
      expect((r.custom_fields as Record<string, unknown>).customfield_10010).toBe(
        model.issues.get(r.id as string)!.storyPoints,
      );
    }
    expect(records.every((r) => 'customfield_10020' in (r.custom_fields as object))).toBe(true);
    expect(site.warnings.some((w) => w.includes('No Such Field'))).toBe(true);
    // Only the needed fields are requested: never *all or *navigable.
    const searches = site.requests.filter((r) => r.path === '/rest/api/3/search/jql');
    for (const s of searches)
      expect(JSON.stringify((s.body as { fields: string[] }).fields)).not.toMatch(/\*all|\*navigable/);
  });

  it('carries comment visibility restrictions, and an estimate of the issues to read', async () => {
    const comments = (await readStream(stream(site, {}, 'jira_comments'))).records;
    const restricted = comments.filter((c) => c.visibility !== null);
    expect(restricted.length).toBeGreaterThan(0);
    for (const c of restricted) {
      const v = model.comments.get(c.id as string)!.visibility!;
      expect(c.visibility).toEqual({ type: v.type, value: v.value, identifier: v.identifier });
    }
    const run = await readStream(stream(site, {}, 'jira_issues'));
    const estimate = run.events.find((e) => e.type === 'estimate');
    expect(estimate).toEqual({ type: 'estimate', rowCount: run.records.length });
  });

  it('tombstones the records of a project that is no longer synced', async () => {
    // Two projects with visible issues; the second one is excluded in the next sync.
    const counts = new Map<string, number>();
    for (const id of site.harness.module.visibleIds('jira_issues')!) {
      const p = model.issues.get(id)!.projectId;
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    const [b, a] = [...counts.entries()].sort((x, y) => x[1] - y[1]).map(([id]) => model.projects.get(id)!);
    for (const name of ['jira_issues', 'jira_comments', 'jira_attachments']) {
      const first = await readStream(
        stream(site, { jira: { projects: { include: [a!.key, b!.key] } } }, name),
      );
      const second = await readStream(stream(site, { jira: { projects: { include: [a!.key] } } }, name), {
        state: first.states.at(-1),
        logger: site.logger,
      });
      const inB = first.records.filter((r) => r.project_id === b!.id).map((r) => r.id);
      const tombstones = second.records.filter((r) => r._ab_cdc_deleted_at);
      if (name !== 'jira_attachments') expect(inB.length).toBeGreaterThan(0);
      expect(tombstones.map((r) => r.id).sort()).toEqual(inB.sort());
      expect(tombstones.every((r) => r.project_id === b!.id)).toBe(true);
      expect(Object.keys((second.states.at(-1)!.partitions ?? {}) as object)).toEqual([a!.id]);
    }
  });
});
