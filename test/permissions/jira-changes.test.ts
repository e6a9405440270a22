// Changing only a project role's actors or a permission scheme's grants (issues untouched) changes the next
// sync's document_permissions the way the simulator's own access model says.
import { startSimulator, type Simulator } from '../../sim';
import type { JiraStore } from '../../sim/jira/model';
import { canOpen } from '../../src/permissions/acl';
import { loadSchema } from '../../src/schemas';
import { records, runConnector } from '../helpers/run-connector';

const stream = (name: string) => ({
  stream: { name, json_schema: loadSchema(name), supported_sync_modes: ['full_refresh'] },
  sync_mode: 'full_refresh',
  destination_sync_mode: 'overwrite',
});

async function opener(sim: Simulator) {
  const config = sim.connectorConfig({ confluence: { enabled: false } });
  const run = await runConnector(['read'], {
    config,
    catalog: { streams: ['group_memberships', 'document_permissions'].map(stream) },
  });
  expect(run.exitCode).toBe(0);
  const byUser = new Map<string, string[]>();
  for (const m of records(run.messages, 'group_memberships'))
    byUser.set(m.account_id as string, [...(byUser.get(m.account_id as string) ?? []), m.group_id as string]);
  const docs = new Map(
    records(run.messages, 'document_permissions').map((d) => [
      `${String(d.document_type)}:${String(d.document_id)}`,
      d,
    ]),
  );
  const can = (type: string, id: string, accountId: string): boolean => {
    const d = docs.get(`${type}:${id}`);
    if (!d) throw new Error(`no document_permissions for ${type} ${id}`);
    const groups = (d.groups as { id: string }[]).map((g) => g.id);
    return canOpen(
      { public: d.public as boolean, users: d.users as string[], groups },
      accountId,
      (a) => byUser.get(a) ?? [],
    );
  };
  return { can, has: (type: string, id: string) => docs.has(`${type}:${id}`) };
}

it('follows a project role actor and a permission scheme change on the next sync', async () => {
  const sim = await startSimulator({ scale: 'tiny', seed: 23 });
  try {
    const store = sim.model.jira as JiraStore;
    const roleGrant = (schemeId: number) =>
      store.permissionSchemes
        .get(schemeId)!
        .grants.find((g) => g.permission === 'BROWSE_PROJECTS' && g.holder.type === 'projectRole');
    const issue = [...store.issues.values()].find(
      (i) =>
        i.securityLevelId === undefined &&
        !store.projects.get(i.projectId)!.archived &&
        roleGrant(store.projects.get(i.projectId)!.permissionSchemeId),
    )!;
    const project = store.projects.get(issue.projectId)!;
    const grant = roleGrant(project.permissionSchemeId)!;
    const svc = sim.model.directory.serviceAccount.accountId;
    const user = sim.model.directory.users.find(
      (u) =>
        u.active &&
        u.accountType === 'atlassian' &&
        u.accountId !== svc &&
        !sim.truth.canSee(u.accountId, 'jira_issue', issue.id),
    )!;
    const control = sim.control.jira as unknown as {
      setPermissionGrant(o: {
        schemeId: number;
        permission: string;
        holder: typeof grant.holder;
        granted: boolean;
      }): unknown;
      addRoleActor(o: { project: string; roleId: number; accountId?: string }): void;
    };
    let acl = await opener(sim);
    expect(acl.can('jira_issue', issue.id, user.accountId)).toBe(false);

    control.addRoleActor({
      project: project.key,
      roleId: Number(grant.holder.value),
      accountId: user.accountId,
    });
    expect(sim.truth.canSee(user.accountId, 'jira_issue', issue.id)).toBe(true);
    acl = await opener(sim);
    expect(acl.can('jira_issue', issue.id, user.accountId)).toBe(true);

    control.setPermissionGrant({
      schemeId: project.permissionSchemeId,
      permission: 'BROWSE_PROJECTS',
      holder: grant.holder,
      granted: false,
    });
    // The user loses access; so may the service account itself (it browsed through that role too), and
    // then the issue has no ACL record at all (its content stream tombstones it).
    expect(sim.truth.canSee(user.accountId, 'jira_issue', issue.id)).toBe(false);
    acl = await opener(sim);
    if (sim.truth.canSee(svc, 'jira_issue', issue.id))
      expect(acl.can('jira_issue', issue.id, user.accountId)).toBe(false);
    else expect(acl.has('jira_issue', issue.id)).toBe(false);
  } finally {
    await sim.close();
  }
});
