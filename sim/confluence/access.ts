// Who may read what, computed from the model: a user reads a page iff they may read its
// space AND pass the page's own read restriction AND every ancestor's read restriction. Comments and
// attachments inherit their container's access. This is the ground truth the connector is measured against.
import type { Directory } from '../core/types';
import {
  ANONYMOUS_ROLE,
  LICENSED_USERS_ROLE,
  type ConfluenceModel,
  type Content,
  type Restriction,
  type Space,
} from './model';

export const ANONYMOUS = 'anonymous';

export function canReadSpace(dir: Directory, accountId: string, space: Space): boolean {
  const user = accountId === ANONYMOUS ? undefined : dir.userById(accountId);
  if (accountId !== ANONYMOUS && (!user || !user.active)) return false;
  const groups = user ? dir.groupsOf(accountId) : new Set<string>();
  return space.permissions.some((p) => {
    if (p.operation.key !== 'read' || p.operation.targetType !== 'space') return false;
    if (p.principal.type === 'role')
      return (
        p.principal.id === ANONYMOUS_ROLE ||
        (p.principal.id === LICENSED_USERS_ROLE && user?.accountType === 'atlassian')
      );
    if (!user) return false;
    if (p.principal.type === 'user') return p.principal.id === accountId;
    return groups.has(p.principal.id);
  });
}

export function passesRestriction(dir: Directory, accountId: string, restriction: Restriction): boolean {
  if (restriction.users.length === 0 && restriction.groups.length === 0) return true;
  if (accountId === ANONYMOUS) return false;
  if (restriction.users.includes(accountId)) return true;
  const groups = dir.groupsOf(accountId);
  return restriction.groups.some((g) => groups.has(g));
}

/** Read access to a page or blog post, whatever its status (status filtering is the caller's job). */
export function canReadContent(
  model: ConfluenceModel,
  dir: Directory,
  accountId: string,
  content: Content,
): boolean {
  const space = model.spaces.get(content.spaceId);
  if (!space || !canReadSpace(dir, accountId, space)) return false;
  if (!passesRestriction(dir, accountId, content.readRestriction)) return false;
  for (const ancestor of model.ancestors(content)) {
    if (!passesRestriction(dir, accountId, ancestor.readRestriction)) return false;
  }
  return true;
}

/** Memoizes canReadContent per caller until the model or directory changes (generation bumps). */
export class AccessCache {
  private generation = 0;
  private readonly perCaller = new Map<string, Map<string, boolean>>();

  constructor(
    private readonly model: ConfluenceModel,
    private readonly dir: Directory,
    private readonly onInvalidate: () => void = () => undefined,
  ) {}

  invalidate(): void {
    this.generation++;
    this.perCaller.clear();
    this.onInvalidate();
  }

  get version(): number {
    return this.generation;
  }

  canRead(accountId: string, content: Content): boolean {
    let cache = this.perCaller.get(accountId);
    if (!cache) this.perCaller.set(accountId, (cache = new Map()));
    let answer = cache.get(content.id);
    if (answer === undefined) {
      answer = canReadContent(this.model, this.dir, accountId, content);
      cache.set(content.id, answer);
    }
    return answer;
  }
}
