// Seeded directory: people (some with hidden emails, some deactivated, some external), app users, the
// service account (non-UTC time zone, so date-literal semantics are tested) and groups with memberships.
import { accountId, uuid } from '../core/ids';
import type { Rng, ScaleCounts, SimUser } from '../core/types';
import { DirectoryModel, type OrgUserFacts } from './model';

const FIRST = [
  'Ada',
  'Bo',
  'Chloé',
  'Dmitri',
  'Eun-ji',
  'Farah',
  'Grace',
  'Håkon',
  'Ines',
  'Jonas',
  'Kwame',
  'Lena',
  'Mateo',
  'Ngozi',
  'Olga',
  'Priya',
  'Quinn',
  'Rafael',
  'Saoirse',
  'Tomás',
  'Uma',
  'Viktor',
  'Wen',
  'Xochitl',
  'Yusuf',
  'Zoë',
];
const LAST = [
  'Almeida',
  'Brown',
  'Chen',
  'Dubois',
  'Eriksson',
  'Fischer',
  'García',
  'Haddad',
  'Ivanova',
  'Jensen',
  'Kowalski',
  'Li',
  'Müller',
  'Nakamura',
  "O'Brien",
  'Patel',
  'Quispe',
  'Rossi',
  'Smith',
  'Tanaka',
  'Üzüm',
  'Varga',
  'Wang',
  'Xu',
  'Yilmaz',
  'Zhou',
];
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Tokyo',
  'America/Los_Angeles',
  'Europe/London',
  'UTC',
  'Asia/Kolkata',
];
const DEPARTMENTS = ['Engineering', 'Marketing', 'Sales', 'Support', 'Finance', 'People'];
const BASE_GROUPS = [
  { name: 'confluence-users', description: 'Product access to Confluence' },
  { name: 'jira-software-users', description: 'Product access to Jira Software' },
  { name: 'site-admins', description: 'Site administrators' },
  { name: 'search-service-accounts', description: 'Service accounts of the search index' },
  { name: 'engineering', description: 'All engineers' },
  { name: 'marketing', description: 'Marketing team' },
];

export const ORG_DOMAIN = 'acme-sim.com';
const DAY = 86_400_000;

export interface GeneratedDirectory {
  directory: DirectoryModel;
  serviceAccountToken: string;
}

export function generateDirectory(options: { rng: Rng; counts: ScaleCounts; epoch: number }): DirectoryModel {
  const rng = options.rng.fork('directory');
  const { epoch } = options;
  const serviceAccount: SimUser = {
    accountId: accountId(rng, 'app'),
    displayName: 'Search Index Bot',
    email: 'search-index-bot@serviceaccount.atlassian.com',
    emailVisible: true,
    accountType: 'app',
    active: true,
    // Non-UTC on purpose: CQL/JQL date literals are read in the caller's zone.
    timeZone: 'Australia/Sydney',
  };
  const admin: SimUser = {
    accountId: accountId(rng, 'new'),
    displayName: 'Ada Admin',
    email: `ada.admin@${ORG_DOMAIN}`,
    emailVisible: true,
    accountType: 'atlassian',
    active: true,
    timeZone: 'Europe/Berlin',
  };
  const dir = new DirectoryModel(serviceAccount, admin);
  const facts = (name: string, managed: boolean, i: number): OrgUserFacts => ({
    claimStatus: managed ? 'managed' : 'unmanaged',
    addedToOrg: epoch - (400 + (i % 300)) * DAY,
    lastActive: epoch - (i % 30) * DAY - 3_600_000,
    nickname: name.split(' ')[0] ?? name,
    jobTitle: rng.pick(['Engineer', 'Designer', 'Manager', 'Analyst', 'Writer']),
    department: rng.pick(DEPARTMENTS),
  });
  dir.addUser(serviceAccount);
  dir.addUser(admin, facts(admin.displayName, true, 0));

  const people = Math.max(4, options.counts.users - 4);
  for (let i = 0; i < people; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length + i) % LAST.length]!;
    const displayName = `${first} ${last}`;
    const external = i % 11 === 7;
    const local = `${first}.${last}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z.]/g, '');
    const user: SimUser = {
      accountId: accountId(rng, i % 5 === 3 ? 'legacy' : 'new'),
      displayName,
      email: external ? `${local}${i}@partner.example` : `${local}${i}@${ORG_DOMAIN}`,
      // About one in five people hides their email in their profile.
      emailVisible: i % 5 !== 2,
      accountType: 'atlassian',
      active: i % 13 !== 9,
      timeZone: ZONES[i % ZONES.length]!,
    };
    dir.addUser(user, facts(displayName, !external, i + 1));
  }
  for (const name of ['Jira Automation', 'Confluence Analytics']) {
    dir.addUser({
      accountId: accountId(rng, 'app'),
      displayName: name,
      email: '',
      emailVisible: false,
      accountType: 'app',
      active: true,
      timeZone: 'UTC',
    });
  }

  const groupCount = Math.max(BASE_GROUPS.length, options.counts.groups);
  for (let g = 0; g < groupCount; g++) {
    const base = BASE_GROUPS[g];
    const name = base?.name ?? `team-${String(g - BASE_GROUPS.length + 1).padStart(3, '0')}`;
    dir.addGroup(
      { id: uuid(rng), name },
      { description: base?.description ?? `Team ${name}`, managedBy: g % 7 === 6 ? 'external' : 'admins' },
    );
  }
  const byName = (name: string): string => dir.groupByName(name)!.id;
  const humans = dir.users.filter((u) => u.accountType === 'atlassian');
  for (const user of humans) {
    dir.addToGroup(byName('confluence-users'), user.accountId);
    if (rng.chance(0.8)) dir.addToGroup(byName('jira-software-users'), user.accountId);
    dir.addToGroup(rng.pick(['engineering', 'marketing'].map(byName)), user.accountId);
    const teams = dir.groups.slice(BASE_GROUPS.length);
    if (teams.length > 0) {
      const extra = rng.int(1, 3);
      for (let k = 0; k < extra; k++) dir.addToGroup(rng.pick(teams).id, user.accountId);
    }
  }
  dir.addToGroup(byName('site-admins'), admin.accountId);
  dir.addToGroup(byName('search-service-accounts'), serviceAccount.accountId);
  return dir;
}
