// A stable fingerprint of the whole Jira data set (ids, keys, dates, people, permissions, bodies' seeds), for
// the determinism test: same seed and scale, same digest.
import { createHash } from 'node:crypto';
import type { JiraStore } from './model';

export function digestStore(store: JiraStore): string {
  const h = createHash('sha256');
  const put = (value: unknown): void => {
    h.update(JSON.stringify(value, (_k, v: unknown) => (v instanceof Set ? [...v].sort() : v)));
    h.update('\n');
  };
  for (const p of store.projects.values()) put(p);
  for (const s of store.permissionSchemes.values()) put(s);
  for (const [projectId, byRole] of store.roleActors)
    for (const [roleId, actors] of byRole) put([projectId, roleId, actors]);
  for (const s of store.securitySchemes.values()) put(s);
  for (const l of store.securityLevels.values()) put(l);
  for (const i of store.issues.values()) put(i);
  for (const c of store.comments.values()) put(c);
  for (const a of store.attachments.values()) put(a);
  put([[...store.jiraAdmins].sort(), [...store.userBrowsers].sort(), [...store.applicationAccess].sort()]);
  return h.digest('hex');
}
