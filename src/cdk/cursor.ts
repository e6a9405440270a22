// ISO-8601 cursor helpers. Cursors are compared as instants, never as strings: Atlassian returns the
// same instant with different offsets (`+0000`, `Z`, `+02:00`) and precisions.

/** Milliseconds since epoch, or undefined when the value is not a parseable date string. */
export function cursorTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  // Jira's `+0000` offsets are not ISO-8601 enough for Date.parse: add the colon.
  const ms = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : ms;
}

/** Negative when a is earlier than b; values that do not parse sort first. */
export function compareCursors(a: string | undefined, b: string | undefined): number {
  return (cursorTime(a) ?? -Infinity) - (cursorTime(b) ?? -Infinity) || 0;
}

/** The later of two cursors (the first when equal instants). */
export function maxCursor(a: string | undefined, b: string | undefined): string | undefined {
  if (cursorTime(b) === undefined) return a;
  if (cursorTime(a) === undefined) return b;
  return compareCursors(b, a) > 0 ? b : a;
}

/** A lookback: the cursor moved back by `minutes`, as a UTC ISO string. */
export function subtractMinutes(iso: string, minutes: number): string {
  const ms = cursorTime(iso);
  if (ms === undefined) throw new RangeError(`Not a date: ${JSON.stringify(iso)}`);
  return new Date(ms - minutes * 60_000).toISOString();
}
