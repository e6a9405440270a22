// config.users.include / exclude (emails or account ids), applied to directory streams and every ACL.
import type { SourceConfig } from '../generated/config';

export interface UserFilter {
  keeps(accountId: string, email?: string): boolean;
}

export function userFilter(config: SourceConfig): UserFilter {
  const norm = (s: string): string => s.trim().toLowerCase();
  const include = new Set((config.users?.include ?? []).map(norm));
  const exclude = new Set((config.users?.exclude ?? []).map(norm));
  return {
    keeps(accountId, email) {
      const keys = [norm(accountId), ...(email ? [norm(email)] : [])];
      if (keys.some((k) => exclude.has(k))) return false;
      return include.size === 0 || keys.some((k) => include.has(k));
    },
  };
}
