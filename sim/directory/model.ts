// Users, groups and memberships of the simulated site and its organization directory.
import type { Directory, SimGroup, SimUser } from '../core/types';

/** Organization-side facts the Admin API shows about a user (not visible through product APIs). */
export interface OrgUserFacts {
  /** Managed (domain-claimed) accounts are the only ones the v1 org users endpoint lists. */
  claimStatus: 'managed' | 'unmanaged';
  addedToOrg: number;
  lastActive: number;
  nickname: string;
  jobTitle: string;
  department: string;
}

export interface GroupFacts {
  description: string;
  managedBy: 'admins' | 'external' | 'team-members' | 'open';
}

export class DirectoryModel implements Directory {
  readonly users: SimUser[] = [];
  readonly groups: SimGroup[] = [];
  readonly members = new Map<string, Set<string>>();
  readonly orgFacts = new Map<string, OrgUserFacts>();
  readonly groupFacts = new Map<string, GroupFacts>();
  private readonly byId = new Map<string, SimUser>();
  private readonly memberOf = new Map<string, Set<string>>();

  constructor(
    readonly serviceAccount: SimUser,
    /** The person whose classic API token the `api_token` auth mode uses. */
    readonly apiTokenUser: SimUser,
  ) {}

  addUser(user: SimUser, facts?: OrgUserFacts): SimUser {
    if (this.byId.has(user.accountId)) throw new Error(`user ${user.accountId} exists`);
    this.users.push(user);
    this.byId.set(user.accountId, user);
    if (facts) this.orgFacts.set(user.accountId, facts);
    return user;
  }

  addGroup(group: SimGroup, facts: GroupFacts): SimGroup {
    this.groups.push(group);
    this.members.set(group.id, new Set());
    this.groupFacts.set(group.id, facts);
    return group;
  }

  userById(accountId: string): SimUser | undefined {
    return this.byId.get(accountId);
  }

  groupById(groupId: string): SimGroup | undefined {
    return this.groups.find((g) => g.id === groupId);
  }

  groupByName(name: string): SimGroup | undefined {
    return this.groups.find((g) => g.name === name);
  }

  groupsOf(accountId: string): Set<string> {
    return this.memberOf.get(accountId) ?? new Set();
  }

  addToGroup(groupId: string, accountId: string): void {
    const members = this.members.get(groupId);
    if (!members) throw new Error(`no group ${groupId}`);
    if (!this.byId.has(accountId)) throw new Error(`no user ${accountId}`);
    members.add(accountId);
    let groups = this.memberOf.get(accountId);
    if (!groups) this.memberOf.set(accountId, (groups = new Set()));
    groups.add(groupId);
  }

  removeFromGroup(groupId: string, accountId: string): void {
    this.members.get(groupId)?.delete(accountId);
    this.memberOf.get(accountId)?.delete(groupId);
  }

  deactivate(accountId: string): void {
    const user = this.byId.get(accountId);
    if (!user) throw new Error(`no user ${accountId}`);
    user.active = false;
  }
}
