// Time-zone arithmetic with the platform's Intl data: Jira renders timestamps and reads JQL date literals,
// and Confluence reads CQL date literals, in the caller's profile time zone, so the simulator converts both
// ways without a date library.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock fields of `epochMs` in `timeZone`. */
export function localParts(epochMs: number, timeZone: string): LocalParts {
  const offset = hourOffset(epochMs, timeZone);
  if (offset === undefined) return formattedParts(epochMs, timeZone);
  const d = new Date(Math.floor(epochMs / 1000) * 1000 + offset);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

function formattedParts(epochMs: number, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 0,
    day: out.day ?? 0,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

// formatToParts costs microseconds and rendering calls it for every timestamp, while a zone's offset only
// changes at rare transitions: the offset is looked up once per zone and UTC hour, and the fields follow by
// UTC arithmetic. An hour whose two ends disagree (a transition inside it) keeps the slow path.
const HOUR_MS = 3_600_000;
// Years 1970–9999: no era or sign formatting to worry about.
const FAST_MIN = 0;
const FAST_MAX = 253_402_300_800_000 - 2 * 86_400_000;
const hourOffsets = new Map<string, Map<number, number | null>>();

function hourOffset(epochMs: number, timeZone: string): number | undefined {
  if (!(epochMs >= FAST_MIN && epochMs < FAST_MAX)) return undefined;
  let zone = hourOffsets.get(timeZone);
  if (!zone) hourOffsets.set(timeZone, (zone = new Map()));
  const hour = Math.floor(epochMs / HOUR_MS);
  let offset = zone.get(hour);
  if (offset === undefined) {
    const start = hour * HOUR_MS;
    const a = offsetAt(start, timeZone);
    const b = offsetAt(start + HOUR_MS - 1000, timeZone);
    offset = a === b ? a : null;
    zone.set(hour, offset);
  }
  return offset ?? undefined;
}

/** Local minus UTC wall time at `epochMs` (whole seconds), or null when the fields do not round-trip. */
function offsetAt(epochMs: number, timeZone: string): number | null {
  const p = formattedParts(epochMs, timeZone);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - epochMs;
  const d = new Date(epochMs + offset);
  const same =
    d.getUTCFullYear() === p.year &&
    d.getUTCMonth() + 1 === p.month &&
    d.getUTCDate() === p.day &&
    d.getUTCHours() === p.hour &&
    d.getUTCMinutes() === p.minute &&
    d.getUTCSeconds() === p.second;
  return same ? offset : null;
}

/** Offset of `timeZone` from UTC at instant `epochMs`, in minutes (east positive). */
export function offsetMinutes(epochMs: number, timeZone: string): number {
  // In the cached range the fields below are built from this offset, so the result is the same.
  const offset = hourOffset(epochMs, timeZone);
  if (offset !== undefined) return Math.round(offset / 60000);
  const p = localParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local time, resolved as java.time does
 * (Jira runs on it): in a DST overlap the earlier instant; in a DST gap the time is pushed later by the gap's
 * length (02:30 in a 02:00→03:00 gap becomes 03:30).
 */
export function zonedToEpoch(local: Omit<LocalParts, 'second'>, timeZone: string): number {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const DAY = 86_400_000;
  const before = naive - offsetMinutes(naive - DAY, timeZone) * 60000;
  const after = naive - offsetMinutes(naive + DAY, timeZone) * 60000;
  const shows = (epoch: number): boolean => {
    const p = localParts(epoch, timeZone);
    return (
      p.year === local.year &&
      p.month === local.month &&
      p.day === local.day &&
      p.hour === local.hour &&
      p.minute === local.minute
    );
  };
  const valid = [before, after].filter(shows);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the offset from before the transition, which lands after the gap.
  return before;
}

/** Jira's timestamp format: `2026-01-31T10:15:30.123+1100`, in the caller's zone. */
export function formatJiraTime(epochMs: number, timeZone: string): string {
  const p = localParts(epochMs, timeZone);
  const off = offsetMinutes(epochMs, timeZone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const ms = String(((epochMs % 1000) + 1000) % 1000).padStart(3, '0');
  return (
    `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${ms}` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export const MINUTE_MS = 60_000;

export function floorToMinute(epochMs: number): number {
  return Math.floor(epochMs / MINUTE_MS) * MINUTE_MS;
}
