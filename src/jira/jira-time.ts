// Jira renders timestamps as `2026-01-31T10:15:30.123+1100` (no colon in the offset, in the caller's profile
// time zone). Records carry ISO-8601 in UTC instead, so cursors compare the same as strings and as instants.

const JIRA_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch millis of a Jira (or ISO) timestamp, or `undefined` when it is missing or unreadable. */
export function jiraTimeToMillis(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = JIRA_TIME.exec(value.trim());
  if (!m) return undefined;
  const zone = m[2] === undefined ? 'Z' : m[2] === 'Z' ? 'Z' : `${m[2].slice(0, 3)}:${m[2].slice(-2)}`;
  const ms = Date.parse(`${m[1]}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `2026-01-30T23:15:30.123Z` for a Jira timestamp; `null` when absent or unreadable. */
export function jiraTimeToIso(value: unknown): string | null {
  const ms = jiraTimeToMillis(value);
  return ms === undefined ? null : new Date(ms).toISOString();
}
