// Time-zone conversions behind JQL date literals and Jira's timestamp format, including DST edges.
import { formatJiraTime, zonedToEpoch } from '../../sim/core/time-zone';

const at = (iso: string): number => Date.parse(iso);

test('a wall-clock time in a zone maps to the right instant', () => {
  expect(zonedToEpoch({ year: 2026, month: 1, day: 31, hour: 10, minute: 0 }, 'Australia/Sydney')).toBe(
    at('2026-01-30T23:00:00Z'),
  );
  expect(zonedToEpoch({ year: 2026, month: 7, day: 1, hour: 0, minute: 0 }, 'America/New_York')).toBe(
    at('2026-07-01T04:00:00Z'),
  );
  expect(zonedToEpoch({ year: 2026, month: 7, day: 1, hour: 0, minute: 0 }, 'UTC')).toBe(
    at('2026-07-01T00:00:00Z'),
  );
});

test('DST gap: a time that does not exist moves later by the gap (java.time)', () => {
  // Sydney skipped 02:00-03:00 on 2025-10-05: 02:30 is read as 03:30 AEDT.
  expect(zonedToEpoch({ year: 2025, month: 10, day: 5, hour: 2, minute: 30 }, 'Australia/Sydney')).toBe(
    at('2025-10-04T16:30:00Z'),
  );
});

test('DST overlap: a time that occurs twice is the earlier instant', () => {
  // Sydney repeated 02:00-03:00 on 2026-04-05: 02:30 AEDT (+11) comes first.
  expect(zonedToEpoch({ year: 2026, month: 4, day: 5, hour: 2, minute: 30 }, 'Australia/Sydney')).toBe(
    at('2026-04-04T15:30:00Z'),
  );
});

test('timestamps render in Jira format with the zone offset of that instant', () => {
  expect(formatJiraTime(at('2026-01-30T23:00:00.123Z'), 'Australia/Sydney')).toBe(
    '2026-01-31T10:00:00.123+1100',
  );
  expect(formatJiraTime(at('2026-07-01T04:00:00Z'), 'America/New_York')).toBe('2026-07-01T00:00:00.000-0400');
  expect(formatJiraTime(at('2026-07-01T04:00:00Z'), 'Asia/Kolkata')).toBe('2026-07-01T09:30:00.000+0530');
  expect(formatJiraTime(at('2026-07-01T04:00:00Z'), 'UTC')).toBe('2026-07-01T04:00:00.000+0000');
});
