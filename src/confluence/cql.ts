// CQL building and date literals. CQL dates are evaluated in the calling account's time zone and have
// minute precision (reference/atlassian/ENDPOINTS.md §2.2), so a cursor is converted to that zone and floored.

/** `yyyy-MM-dd HH:mm` of `iso` in `timeZone`, floored to the minute. */
export function cqlDate(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** A CQL string literal: backslash and double quote escaped. */
export function cqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export type ContentType = 'page' | 'blogpost' | 'comment' | 'attachment';

/** One space's content of one type, optionally modified since `since` (already a CQL date), oldest first. */
export function spaceContentCql(options: { spaceKey: string; type: ContentType; since?: string }): string {
  const clauses = [`space = ${cqlString(options.spaceKey)}`, `type = ${options.type}`];
  if (options.since) clauses.push(`lastmodified >= ${cqlString(options.since)}`);
  return `${clauses.join(' and ')} order by lastmodified asc`;
}
