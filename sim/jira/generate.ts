// Deterministic Jira data set from a seed and scale counts. Everything is dated before the core's seed
// epoch; ids ascend with creation time (as in Jira), keys number issues per project in creation order.
import {
  APPLICATION_ROLE_KEY,
  EPIC_TYPE_ID,
  PRIORITIES,
  REVIEWER_FIELD,
  ROLE_ADMINISTRATORS,
  ROLE_DEVELOPERS,
  ROLE_SERVICE_TEAM,
  ROLE_VIEWERS,
  STATUSES,
  SUBTASK_TYPE_ID,
} from './catalog';
import { attachmentBytes, EXTENSIONS, MIME_TYPES } from './attachment-bytes';
import type {
  AttachmentKind,
  BodySize,
  JiraIssue,
  JiraProject,
  PermissionGrant,
  PermissionHolder,
  ProjectTypeKey,
} from './model';
import { JiraStore } from './model';
import type { Directory, Rng, ScaleCounts, SimGroup, SimUser } from './seam';
import { zonedToEpoch, localParts } from '../core/time-zone';

const DAY = 86_400_000;

export const SCHEME_DEFAULT = 10000;
export const SCHEME_OPEN = 10001;
export const SCHEME_RESTRICTED = 10002;
export const SCHEME_PRIVATE = 10003;
export const SECURITY_STANDARD = 10000;
export const SECURITY_SERVICE = 10001;
export const LEVEL_STAFF = '10100';
export const LEVEL_TEAM = '10101';
export const LEVEL_CONFIDENTIAL = '10102';
export const LEVEL_CUSTOMERS = '10103';

const PROJECT_NAMES: readonly [string, string][] = [
  ['PLAT', 'Platform'],
  ['MKT', 'Marketing'],
  ['DISC', 'Discovery'],
  ['HELP', 'Help Desk'],
  ['LEGACY', 'Legacy Billing'],
  ['SEC', 'Security Response'],
  ['WEB', 'Website'],
  ['MOB', 'Mobile App'],
  ['DATA', 'Data Pipeline'],
  ['OPS', 'Operations'],
  ['HR', 'People Team'],
  ['FIN', 'Finance'],
];

const LABELS = [
  'backend',
  'frontend',
  'customer',
  'regression',
  'tech-debt',
  'q1-goal',
  'perf',
  'ux',
  'sécurité',
];
const SUMMARY_WORDS = (
  'Fix Add Remove Improve Investigate Migrate export import login search report dashboard webhook ' +
  'timeout cache index billing invoice for when after on the in with'
).split(' ');

export interface GenerateOptions {
  rng: Rng;
  directory: Directory;
  counts: Pick<ScaleCounts, 'projects' | 'issues' | 'jiraComments' | 'jiraAttachments'>;
  /** Every seeded timestamp is before this instant. */
  epoch: number;
}

interface People {
  sa: SimUser;
  humans: SimUser[];
  inactive: SimUser[];
  apps: SimUser[];
  /** Groups the service account is in, and groups it is not in. */
  saGroups: SimGroup[];
  otherGroups: SimGroup[];
}

function people(directory: Directory): People {
  const sa = directory.serviceAccount;
  const others = directory.users.filter((u) => u.accountId !== sa.accountId);
  const humans = others.filter((u) => u.active && u.accountType === 'atlassian');
  if (humans.length < 3)
    throw new Error('the Jira generator needs at least three active users in the directory');
  const mine = directory.groupsOf(sa.accountId);
  return {
    sa,
    humans,
    inactive: others.filter((u) => !u.active),
    apps: others.filter((u) => u.active && u.accountType === 'app'),
    saGroups: directory.groups.filter((g) => mine.has(g.id)),
    otherGroups: directory.groups.filter((g) => !mine.has(g.id)),
  };
}

export function generateJira(options: GenerateOptions): JiraStore {
  const { rng, directory, counts, epoch } = options;
  const store = new JiraStore();
  const p = people(directory);
  const firstGroup = directory.groups[0];
  if (!firstGroup) throw new Error('the Jira generator needs at least one group in the directory');
  // Named groups when the directory has them (team-sized rather than everyone), else any the account is not in.
  const named = (name: string, fallback: number): SimGroup =>
    p.otherGroups.find((g) => g.name === name) ?? p.otherGroups[fallback] ?? firstGroup;
  const groupA = named('engineering', 0);
  const groupB = named('jira-software-users', 1);
  const privateGroup = named('marketing', 2);

  store.jiraAdmins.add(p.sa.accountId);
  store.userBrowsers.add(p.sa.accountId);
  store.applicationAccess.add(p.sa.accountId);
  for (const u of directory.users)
    if (u.accountType === 'atlassian') store.applicationAccess.add(u.accountId);
  store.jiraAdmins.add(p.humans[0]!.accountId);

  defineRoles(store);
  definePermissionSchemes(store, { groupA, privateGroup, namedUser: p.humans[1]! });
  defineSecuritySchemes(store, { groupA, namedUser: p.humans[2]! });

  const projects = defineProjects(store, rng, p, Math.max(6, counts.projects), {
    groupA,
    groupB,
    privateGroup,
  });
  const issues = generateIssues(
    store,
    rng,
    p,
    projects,
    counts.issues,
    epoch,
    directory.serviceAccount.timeZone,
  );
  generateComments(store, rng, p, issues, counts.jiraComments, { groupA, saGroup: p.saGroups[0] });
  generateAttachments(store, rng, p, issues, counts.jiraAttachments);
  store.revision = 0;
  return store;
}

function defineRoles(store: JiraStore): void {
  for (const [id, name, description] of [
    [ROLE_ADMINISTRATORS, 'Administrators', 'A project role that represents administrators in a project'],
    [ROLE_DEVELOPERS, 'Developers', 'A project role that represents developers in a project'],
    [ROLE_VIEWERS, 'Viewers', 'A project role that represents viewers in a project'],
    [ROLE_SERVICE_TEAM, 'Service Desk Team', 'Members of the service desk team'],
  ] as const) {
    store.roles.set(id, { id, name, description });
  }
}

const roleHolder = (roleId: number): PermissionHolder => ({
  type: 'projectRole',
  parameter: String(roleId),
  value: String(roleId),
});
const groupHolder = (g: SimGroup): PermissionHolder => ({ type: 'group', parameter: g.name, value: g.id });

function definePermissionSchemes(
  store: JiraStore,
  refs: { groupA: SimGroup; privateGroup: SimGroup; namedUser: SimUser },
): void {
  const scheme = (
    id: number,
    name: string,
    description: string,
    grants: [string, PermissionHolder][],
  ): void => {
    const all: PermissionGrant[] = grants.map(([permission, holder]) => ({
      id: store.allocateId('grant'),
      permission,
      holder,
    }));
    store.permissionSchemes.set(id, { id, name, description, grants: all });
  };
  // Every scheme also carries non-browse grants, so a reader must filter on the permission key.
  const common: [string, PermissionHolder][] = [
    ['ADMINISTER_PROJECTS', roleHolder(ROLE_ADMINISTRATORS)],
    ['SET_ISSUE_SECURITY', roleHolder(ROLE_ADMINISTRATORS)],
    ['CREATE_ISSUES', roleHolder(ROLE_DEVELOPERS)],
    ['EDIT_ISSUES', { type: 'reporter' }],
    ['ADD_COMMENTS', { type: 'applicationRole', parameter: APPLICATION_ROLE_KEY }],
  ];
  scheme(SCHEME_DEFAULT, 'Default software scheme', 'Browse for project roles and one group.', [
    ['BROWSE_PROJECTS', roleHolder(ROLE_ADMINISTRATORS)],
    ['BROWSE_PROJECTS', roleHolder(ROLE_DEVELOPERS)],
    ['BROWSE_PROJECTS', roleHolder(ROLE_VIEWERS)],
    ['BROWSE_PROJECTS', roleHolder(ROLE_SERVICE_TEAM)],
    ['BROWSE_PROJECTS', groupHolder(refs.groupA)],
    ...common,
  ]);
  scheme(SCHEME_OPEN, 'Open scheme', 'Anyone, and everyone with Jira access, may browse.', [
    ['BROWSE_PROJECTS', { type: 'anyone' }],
    ['BROWSE_PROJECTS', { type: 'applicationRole', parameter: APPLICATION_ROLE_KEY }],
    ...common,
  ]);
  scheme(SCHEME_RESTRICTED, 'Restricted scheme', 'Browse decided per issue.', [
    ['BROWSE_PROJECTS', roleHolder(ROLE_ADMINISTRATORS)],
    [
      'BROWSE_PROJECTS',
      { type: 'user', parameter: refs.namedUser.accountId, value: refs.namedUser.accountId },
    ],
    ['BROWSE_PROJECTS', { type: 'reporter' }],
    ['BROWSE_PROJECTS', { type: 'assignee' }],
    ['BROWSE_PROJECTS', { type: 'projectLead' }],
    ['BROWSE_PROJECTS', { type: 'userCustomField', parameter: REVIEWER_FIELD, value: REVIEWER_FIELD }],
    ...common,
  ]);
  scheme(SCHEME_PRIVATE, 'Private scheme', 'A small team only; the service account is not in it.', [
    ['BROWSE_PROJECTS', groupHolder(refs.privateGroup)],
    ['BROWSE_PROJECTS', roleHolder(ROLE_DEVELOPERS)],
    ...common,
  ]);
}

function defineSecuritySchemes(store: JiraStore, refs: { groupA: SimGroup; namedUser: SimUser }): void {
  const level = (
    id: string,
    schemeId: number,
    name: string,
    description: string,
    holders: PermissionHolder[],
  ): void => {
    store.securityLevels.set(id, {
      id,
      schemeId,
      name,
      description,
      members: holders.map((holder) => ({ id: store.allocateId('member'), holder })),
    });
  };
  level(LEVEL_STAFF, SECURITY_STANDARD, 'Staff only', 'Administrators and one group.', [
    roleHolder(ROLE_ADMINISTRATORS),
    groupHolder(refs.groupA),
  ]);
  level(
    LEVEL_TEAM,
    SECURITY_STANDARD,
    'Reporter and developers',
    'The reporter, the assignee and developers.',
    [{ type: 'reporter' }, { type: 'assignee' }, roleHolder(ROLE_DEVELOPERS)],
  );
  level(LEVEL_CONFIDENTIAL, SECURITY_STANDARD, 'Confidential', 'One named person and the project lead.', [
    { type: 'user', parameter: refs.namedUser.accountId, value: refs.namedUser.accountId },
    { type: 'projectLead' },
  ]);
  level(LEVEL_CUSTOMERS, SECURITY_SERVICE, 'Agents and customers', 'Everyone with Jira access.', [
    { type: 'applicationRole', parameter: APPLICATION_ROLE_KEY },
    roleHolder(ROLE_SERVICE_TEAM),
  ]);
  store.securitySchemes.set(SECURITY_STANDARD, {
    id: SECURITY_STANDARD,
    name: 'Standard issue security',
    description: 'Levels for sensitive engineering work.',
    levelIds: [LEVEL_STAFF, LEVEL_TEAM, LEVEL_CONFIDENTIAL],
  });
  store.securitySchemes.set(SECURITY_SERVICE, {
    id: SECURITY_SERVICE,
    name: 'Service desk security',
    description: 'Requests visible to agents.',
    defaultLevelId: LEVEL_CUSTOMERS,
    levelIds: [LEVEL_CUSTOMERS],
  });
}

interface ProjectPlan {
  typeKey: ProjectTypeKey;
  style: 'classic' | 'next-gen';
  scheme: number;
  security?: number;
  archived?: boolean;
  private?: boolean;
  /** Relative share of the issues. */
  weight: number;
}

/**
 * Fixed roles for the first projects, so even `tiny` has every case: a classic software project with issue
 * security, a business project browsed per issue, a product-discovery project, a service desk, a private
 * project the service account cannot browse, and an archived one.
 */
function planProjects(count: number): ProjectPlan[] {
  const plans: ProjectPlan[] = [
    { typeKey: 'software', style: 'classic', scheme: SCHEME_DEFAULT, security: SECURITY_STANDARD, weight: 4 },
    { typeKey: 'business', style: 'next-gen', scheme: SCHEME_RESTRICTED, weight: 2 },
    { typeKey: 'product_discovery', style: 'next-gen', scheme: SCHEME_OPEN, weight: 1 },
    {
      typeKey: 'service_desk',
      style: 'classic',
      scheme: SCHEME_DEFAULT,
      security: SECURITY_SERVICE,
      weight: 2,
    },
    { typeKey: 'software', style: 'classic', scheme: SCHEME_DEFAULT, archived: true, weight: 0.5 },
    { typeKey: 'software', style: 'classic', scheme: SCHEME_PRIVATE, private: true, weight: 0.5 },
  ];
  const cycle: ProjectTypeKey[] = ['software', 'business', 'software', 'service_desk'];
  for (let i = plans.length; i < count; i++) {
    const typeKey = cycle[i % cycle.length]!;
    plans.push({
      typeKey,
      style: i % 3 === 0 ? 'next-gen' : 'classic',
      scheme: i % 5 === 0 ? SCHEME_OPEN : SCHEME_DEFAULT,
      ...(i % 2 === 0 && typeKey === 'software' ? { security: SECURITY_STANDARD } : {}),
      weight: 3,
    });
  }
  return plans;
}

function defineProjects(
  store: JiraStore,
  rng: Rng,
  p: People,
  count: number,
  refs: { groupA: SimGroup; groupB: SimGroup; privateGroup: SimGroup },
): { project: JiraProject; plan: ProjectPlan }[] {
  let componentId = 10000;
  let versionId = 10000;
  return planProjects(count).map((plan, i) => {
    const [key, name] = PROJECT_NAMES[i] ?? [`PRJ${i}`, `Project ${i}`];
    const id = String(10000 + i);
    const lead = rng.pick(p.humans);
    const project: JiraProject = {
      id,
      key,
      name,
      typeKey: plan.typeKey,
      style: plan.style,
      description: `${name}: work tracked by the ${name.toLowerCase()} team.`,
      leadAccountId: lead.accountId,
      permissionSchemeId: plan.scheme,
      ...(plan.security !== undefined ? { securitySchemeId: plan.security } : {}),
      archived: plan.archived === true,
      ...(plan.archived
        ? { archivedAt: Date.UTC(2025, 9, 1, 9, 30), archivedBy: p.humans[0]!.accountId }
        : {}),
      componentIds: [],
      versionIds: [],
      issueTypeIds: issueTypesFor(plan.typeKey),
      nextNumber: 1,
      uuid: uuidFrom(rng),
    };
    for (const cname of ['API', 'UI', 'Infrastructure'].slice(0, rng.int(1, 3))) {
      const cid = String(componentId++);
      store.components.set(cid, { id: cid, projectId: id, name: cname, description: `${cname} work` });
      project.componentIds.push(cid);
    }
    for (const [j, vname] of ['1.0', '1.1', '2.0'].entries()) {
      const vid = String(versionId++);
      store.versions.set(vid, {
        id: vid,
        projectId: id,
        name: vname,
        released: j < 2,
        archived: false,
        ...(j < 2 ? { releaseDate: `2025-0${j * 3 + 3}-15` } : {}),
      });
      project.versionIds.push(vid);
    }
    store.projects.set(id, project);
    assignActors(store, rng, p, project, plan, refs);
    return { project, plan };
  });
}

function issueTypesFor(typeKey: ProjectTypeKey): string[] {
  switch (typeKey) {
    case 'software':
      return ['10000', '10001', '10002', '10003', SUBTASK_TYPE_ID];
    case 'business':
      return ['10002', SUBTASK_TYPE_ID];
    case 'service_desk':
      return ['10005', '10002', SUBTASK_TYPE_ID];
    case 'product_discovery':
      return ['10006'];
  }
}

function uuidFrom(rng: Rng): string {
  const hex = (n: number): string => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

/**
 * Role actors: the service account administers every project except the private one (that is how it reads
 * permission schemes and role actors), developers are people plus a group, viewers a group and an app user.
 */
function assignActors(
  store: JiraStore,
  rng: Rng,
  p: People,
  project: JiraProject,
  plan: ProjectPlan,
  refs: { groupA: SimGroup; groupB: SimGroup; privateGroup: SimGroup },
): void {
  const admins = store.actorsOf(project.id, ROLE_ADMINISTRATORS);
  admins.users.add(project.leadAccountId);
  if (!plan.private) admins.users.add(p.sa.accountId);
  const devs = store.actorsOf(project.id, ROLE_DEVELOPERS);
  for (let i = 0; i < 3; i++) devs.users.add(rng.pick(p.humans).accountId);
  devs.users.delete(p.sa.accountId);
  const inactive = p.inactive[0];
  if (inactive) devs.users.add(inactive.accountId);
  devs.groups.add(plan.private ? refs.privateGroup.id : refs.groupB.id);
  const viewers = store.actorsOf(project.id, ROLE_VIEWERS);
  viewers.groups.add(refs.groupA.id);
  const app = p.apps[0];
  if (app) viewers.users.add(app.accountId);
  if (plan.typeKey === 'service_desk') {
    const team = store.actorsOf(project.id, ROLE_SERVICE_TEAM);
    for (let i = 0; i < 2; i++) team.users.add(rng.pick(p.humans).accountId);
  }
}

function sentence(rng: Rng, min: number, max: number): string {
  const n = rng.int(min, max);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(rng.pick(SUMMARY_WORDS));
  return words.join(' ');
}

function shares(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)));
  let rest = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % out.length, rest--) out[i]!++;
  for (let i = 0; rest < 0 && i < out.length; i++) {
    while (rest < 0 && out[i]! > 1) {
      out[i]!--;
      rest++;
    }
  }
  return out;
}

/**
 * Instants the incremental-sync edge cases need: a few "hot" minutes that many issues share as `updated`,
 * and local midnights of the service account's zone (issues are placed seconds either side of them, so a
 * UTC-interpreted date literal would be off by the zone's offset).
 */
function edgeInstants(epoch: number, timeZone: string): { hotMinutes: number[]; midnights: number[] } {
  const hotMinutes = [2, 5, 9, 20, 45].map(
    (d) => Math.floor((epoch - d * DAY - 7 * 3_600_000) / 60_000) * 60_000,
  );
  const midnights: number[] = [];
  for (const d of [3, 11, 30]) {
    const local = localParts(epoch - d * DAY, timeZone);
    midnights.push(
      zonedToEpoch({ year: local.year, month: local.month, day: local.day, hour: 0, minute: 0 }, timeZone),
    );
  }
  return { hotMinutes, midnights };
}

function generateIssues(
  store: JiraStore,
  rng: Rng,
  p: People,
  projects: { project: JiraProject; plan: ProjectPlan }[],
  total: number,
  epoch: number,
  saTimeZone: string,
): JiraIssue[] {
  const counts = shares(
    Math.max(total, projects.length),
    projects.map((x) => x.plan.weight),
  );
  const drafts: { project: JiraProject; created: number }[] = [];
  const windowStart = epoch - 400 * DAY;
  projects.forEach(({ project }, i) => {
    for (let j = 0; j < counts[i]!; j++) {
      drafts.push({ project, created: windowStart + Math.floor(rng.next() * 395 * DAY) });
    }
  });
  // Ids ascend with creation time across the site; keys ascend per project.
  drafts.sort((a, b) => a.created - b.created);
  const { hotMinutes, midnights } = edgeInstants(epoch, saTimeZone);
  const byProject = new Map<string, Family>();
  const issues: JiraIssue[] = [];
  const largeAt = Math.floor(drafts.length / 2);
  drafts.forEach((d, index) => {
    const project = d.project;
    const family = byProject.get(project.id) ?? { standard: [], epics: [] };
    byProject.set(project.id, family);
    const id = String(store.allocateId('issue'));
    const typeId = pickType(rng, project, family);
    const parent = parentFor(rng, typeId, project, family);
    let updated = d.created + Math.floor(Math.pow(rng.next(), 0.5) * (epoch - 60_000 - d.created));
    const roll = rng.next();
    const hot = hotMinutes[index % hotMinutes.length]!;
    const midnight = midnights[index % midnights.length]!;
    if (roll < 0.1 && hot > d.created) updated = hot + rng.int(0, 59_999);
    else if (roll < 0.15 && midnight - 120_000 > d.created) updated = midnight + rng.int(-90_000, 90_000);
    const status = rng.pick(STATUSES);
    const reporterRoll = rng.next();
    const reporter =
      reporterRoll < 0.03
        ? undefined
        : reporterRoll < 0.07 && p.inactive.length > 0
          ? rng.pick(p.inactive).accountId
          : reporterRoll < 0.1 && p.apps.length > 0
            ? rng.pick(p.apps).accountId
            : rng.pick(p.humans).accountId;
    const bodySize: BodySize = index === largeAt ? 'large' : rng.chance(0.05) ? 'empty' : 'normal';
    const issue: JiraIssue = {
      id,
      key: `${project.key}-${project.nextNumber++}`,
      projectId: project.id,
      summary: `${sentence(rng, 3, 9)} (${project.key})`,
      issueTypeId: typeId,
      statusId: status.id,
      priorityId: rng.pick(PRIORITIES).id,
      labels: [...new Set(Array.from({ length: rng.int(0, 3) }, () => rng.pick(LABELS)))],
      componentIds: rng.chance(0.5) ? [rng.pick(project.componentIds)] : [],
      fixVersionIds: rng.chance(0.4) ? [rng.pick(project.versionIds)] : [],
      ...(reporter !== undefined ? { reporter } : {}),
      ...(rng.chance(0.7) ? { assignee: rng.pick(p.humans).accountId } : {}),
      creator: reporter ?? rng.pick(p.humans).accountId,
      created: d.created,
      updated,
      ...(status.categoryId === 3
        ? { resolutionDate: d.created + Math.floor((updated - d.created) * 0.9) }
        : {}),
      ...(parent ? { parentId: parent.id } : {}),
      ...(project.typeKey === 'software' && typeId !== EPIC_TYPE_ID && rng.chance(0.6)
        ? { storyPoints: rng.pick([0.5, 1, 2, 3, 5, 8, 13]) }
        : {}),
      ...(rng.chance(0.3) ? { reviewer: rng.pick(p.humans).accountId } : {}),
      ...securityFor(rng, project),
      bodySeed: rng.int(0, 2 ** 31),
      bodySize,
      commentIds: [],
      attachmentIds: [],
    };
    if (typeId === EPIC_TYPE_ID) family.epics.push(issue);
    else if (typeId !== SUBTASK_TYPE_ID) family.standard.push(issue);
    issues.push(issue);
    store.addIssue(issue);
  });
  return issues;
}

/** Parent candidates of one project so far, kept incrementally (scanning all siblings is quadratic). */
interface Family {
  standard: JiraIssue[];
  epics: JiraIssue[];
}

function pickType(rng: Rng, project: JiraProject, family: Family): string {
  const types = project.issueTypeIds;
  const hasParentCandidate = family.standard.length + family.epics.length > 0;
  if (hasParentCandidate && types.includes(SUBTASK_TYPE_ID) && rng.chance(0.15)) return SUBTASK_TYPE_ID;
  if (types.includes(EPIC_TYPE_ID) && rng.chance(0.06)) return EPIC_TYPE_ID;
  const standard = types.filter((t) => t !== SUBTASK_TYPE_ID && t !== EPIC_TYPE_ID);
  return rng.pick(standard);
}

/** Sub-tasks always have a (recent) parent; in software projects some stories belong to an epic. */
function parentFor(rng: Rng, typeId: string, project: JiraProject, family: Family): JiraIssue | undefined {
  if (typeId === SUBTASK_TYPE_ID) {
    const pool = family.standard.length > 0 ? family.standard : family.epics;
    return pool.length > 0 ? rng.pick(pool.slice(-50)) : undefined;
  }
  if (project.typeKey === 'software' && typeId !== EPIC_TYPE_ID && rng.chance(0.3)) {
    return family.epics.length > 0 ? rng.pick(family.epics) : undefined;
  }
  return undefined;
}

function securityFor(rng: Rng, project: JiraProject): { securityLevelId?: string } {
  if (project.securitySchemeId === SECURITY_SERVICE) return { securityLevelId: LEVEL_CUSTOMERS };
  if (project.securitySchemeId !== SECURITY_STANDARD) return {};
  const roll = rng.next();
  if (roll < 0.12) return { securityLevelId: LEVEL_STAFF };
  if (roll < 0.2) return { securityLevelId: LEVEL_TEAM };
  if (roll < 0.25) return { securityLevelId: LEVEL_CONFIDENTIAL };
  return {};
}

function generateComments(
  store: JiraStore,
  rng: Rng,
  p: People,
  issues: JiraIssue[],
  total: number,
  refs: { groupA: SimGroup; saGroup: SimGroup | undefined },
): void {
  const drafts: { issue: JiraIssue; created: number }[] = [];
  for (let i = 0; i < total; i++) {
    const issue = rng.pick(issues);
    drafts.push({ issue, created: issue.created + Math.floor(rng.next() * (issue.updated - issue.created)) });
  }
  drafts.sort((a, b) => a.created - b.created);
  for (const d of drafts) {
    const id = String(store.allocateId('comment'));
    const author =
      rng.chance(0.05) && p.apps.length > 0 ? rng.pick(p.apps).accountId : rng.pick(p.humans).accountId;
    const edited = rng.chance(0.1);
    const updated = edited ? d.created + Math.floor(rng.next() * (d.issue.updated - d.created)) : d.created;
    const roll = rng.next();
    const visibility =
      roll < 0.05
        ? { type: 'role' as const, value: 'Administrators', identifier: 'Administrators' }
        : roll < 0.1
          ? { type: 'role' as const, value: 'Developers', identifier: 'Developers' }
          : roll < 0.14
            ? { type: 'group' as const, value: refs.groupA.name, identifier: refs.groupA.id }
            : roll < 0.17 && refs.saGroup
              ? { type: 'group' as const, value: refs.saGroup.name, identifier: refs.saGroup.id }
              : undefined;
    store.comments.set(id, {
      id,
      issueId: d.issue.id,
      author,
      updateAuthor: author,
      created: d.created,
      updated,
      ...(visibility ? { visibility } : {}),
      bodySeed: rng.int(0, 2 ** 31),
      bodySize: rng.chance(0.0005) ? 'large' : 'normal',
    });
    d.issue.commentIds.push(id);
  }
}

function generateAttachments(
  store: JiraStore,
  rng: Rng,
  p: People,
  issues: JiraIssue[],
  total: number,
): void {
  const drafts: { issue: JiraIssue; created: number }[] = [];
  for (let i = 0; i < total; i++) {
    const issue = rng.pick(issues);
    drafts.push({ issue, created: issue.created + Math.floor(rng.next() * (issue.updated - issue.created)) });
  }
  drafts.sort((a, b) => a.created - b.created);
  for (const d of drafts) {
    const id = String(store.allocateId('attachment'));
    const kind: AttachmentKind = rng.pick(['text', 'text', 'pdf', 'docx']);
    const bytesSeed = rng.int(0, 2 ** 31);
    store.attachments.set(id, {
      id,
      issueId: d.issue.id,
      filename: `${rng.pick(['notes', 'report', 'spec', 'log', 'résumé'])}-${id}.${EXTENSIONS[kind]}`,
      mimeType: MIME_TYPES[kind],
      kind,
      size: attachmentBytes(kind, bytesSeed).length,
      created: d.created,
      author: rng.pick(p.humans).accountId,
      bytesSeed,
    });
    d.issue.attachmentIds.push(id);
  }
}
