// Test-side directory mutations. Membership and activation change who may see what, so every product's
// access caches are invalidated through `changed`.
import { accountId as newAccountId } from '../core/ids';
import type { Rng, SimUser } from '../core/types';
import type { DirectoryModel } from './model';
import { ORG_DOMAIN } from './generate';

export interface DirectoryControl {
  addUser(input: {
    displayName: string;
    email?: string;
    emailVisible?: boolean;
    timeZone?: string;
    groups?: string[];
  }): SimUser;
  deactivateUser(accountId: string): void;
  /** `group` is a group id or name. */
  addToGroup(group: string, accountId: string): void;
  removeFromGroup(group: string, accountId: string): void;
}

export function createDirectoryControl(options: {
  dir: DirectoryModel;
  rng: Rng;
  now(): number;
  changed(): void;
}): DirectoryControl {
  const { dir } = options;
  const groupId = (group: string): string => {
    const g = dir.groupById(group) ?? dir.groupByName(group);
    if (!g) throw new Error(`no group ${group}`);
    return g.id;
  };
  return {
    addUser(input) {
      const user = dir.addUser(
        {
          accountId: newAccountId(options.rng, 'new'),
          displayName: input.displayName,
          email: input.email ?? `${input.displayName.toLowerCase().replace(/[^a-z]+/g, '.')}@${ORG_DOMAIN}`,
          emailVisible: input.emailVisible ?? true,
          accountType: 'atlassian',
          active: true,
          timeZone: input.timeZone ?? 'UTC',
        },
        {
          claimStatus: 'managed',
          addedToOrg: options.now(),
          lastActive: options.now(),
          nickname: input.displayName.split(' ')[0] ?? input.displayName,
          jobTitle: 'New hire',
          department: 'Engineering',
        },
      );
      for (const g of input.groups ?? ['confluence-users']) dir.addToGroup(groupId(g), user.accountId);
      options.changed();
      return user;
    },
    deactivateUser(accountId) {
      dir.deactivate(accountId);
      options.changed();
    },
    addToGroup(group, accountId) {
      dir.addToGroup(groupId(group), accountId);
      options.changed();
    },
    removeFromGroup(group, accountId) {
      dir.removeFromGroup(groupId(group), accountId);
      options.changed();
    },
  };
}
