// Pure parts: CQL date literals in the account's zone, CQL quoting, where a partition read starts,
import { confluenceStreams } from '../../src/confluence';
// space filter rules, attachment extraction planning, web links.
import { cqlDate, cqlString, spaceContentCql } from '../../src/confluence/cql';
import { digestCells, planPartition } from '../../src/confluence/content-reader';
import { IdDigest } from '../../src/cdk/id-digest';
import { sorted } from './helpers';
import { extractionPlan } from '../../src/confluence/attachments';
import { skipReason, spaceFilter, webUrl, type SpaceV2 } from '../../src/confluence/spaces';
import type { ConfluenceAttachmentsRecord } from '../../src/generated/records/confluence_attachments';
import type { SourceConfig } from '../../src/generated/config';

describe('cqlDate', () => {
  it.each([
    ['2026-03-05T10:07:59.999Z', 'UTC', '2026-03-05 10:07'],
    ['2026-03-05T10:07:00Z', 'Europe/Berlin', '2026-03-05 11:07'],
    ['2026-07-05T10:07:00Z', 'Europe/Berlin', '2026-07-05 12:07'], // summer time
    ['2026-01-01T02:30:00Z', 'America/Los_Angeles', '2025-12-31 18:30'], // the day before
    ['2026-03-05T10:07:00Z', 'Asia/Kolkata', '2026-03-05 15:37'], // half-hour offset
    ['2026-03-05T23:59:30Z', 'UTC', '2026-03-05 23:59'], // floored, never rounded up to the next day
    ['2026-03-05T00:00:00Z', 'UTC', '2026-03-05 00:00'], // midnight is 00, not 24
  ])('%s in %s is "%s"', (iso, zone, expected) => {
    expect(cqlDate(iso, zone)).toBe(expected);
  });
});

describe('CQL', () => {
  it('quotes keys (personal space keys start with ~) and escapes quotes', () => {
    expect(cqlString('~abc')).toBe('"~abc"');
    expect(cqlString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(spaceContentCql({ spaceKey: 'ENG', type: 'page', since: '2026-03-05 10:07' })).toBe(
      'space = "ENG" and type = page and lastmodified >= "2026-03-05 10:07" order by lastmodified asc',
    );
    expect(spaceContentCql({ spaceKey: 'ENG', type: 'comment' })).toBe(
      'space = "ENG" and type = comment order by lastmodified asc',
    );
  });
});

describe('planPartition', () => {
  it('starts at the cursor minus the lookback, else at start_date, else reads everything', () => {
    const checkpoint = { cursor: '2026-03-05T10:07:00.000Z' };
    expect(planPartition({ checkpoint, lookbackMinutes: 5, incremental: true })).toEqual({
      since: '2026-03-05T10:02:00.000Z',
    });
    expect(
      planPartition({ lookbackMinutes: 5, startDate: '2025-01-01T00:00:00Z', incremental: true }),
    ).toEqual({
      since: '2025-01-01T00:00:00.000Z',
    });
    expect(planPartition({ lookbackMinutes: 5, incremental: true })).toEqual({});
    expect(planPartition({ checkpoint, lookbackMinutes: 5, incremental: false })).toEqual({});
  });
});

describe('space filter', () => {
  const space = (over: Partial<SpaceV2>): SpaceV2 => ({
    id: '1',
    key: 'ENG',
    type: 'global',
    status: 'current',
    ...over,
  });
  const filter = (over: Partial<SourceConfig>) =>
    spaceFilter({ domain: 'x.atlassian.net', credentials: {} as SourceConfig['credentials'], ...over });
  it('applies include, exclude, archived, personal and excluded owners', () => {
    expect(skipReason(space({}), filter({}))).toBeUndefined();
    expect(skipReason(space({ status: 'archived' }), filter({}))).toBe('archived');
    expect(
      skipReason(space({ status: 'archived' }), filter({ confluence: { include_archived_spaces: true } })),
    ).toBeUndefined();
    expect(skipReason(space({}), filter({ confluence: { spaces: { include: ['OPS'] } } }))).toMatch(
      /include/,
    );
    expect(skipReason(space({}), filter({ confluence: { spaces: { exclude: ['ENG'] } } }))).toMatch(
      /exclude/,
    );
    const personal = space({ key: '~u1', type: 'personal', authorId: 'u1' });
    expect(skipReason(personal, filter({}))).toBeUndefined();
    expect(skipReason(personal, filter({ confluence: { include_personal_spaces: false } }))).toBe('personal');
    expect(skipReason(personal, filter({ users: { exclude: ['u1'] } }))).toMatch(/users\.exclude/);
    expect(skipReason({ ...personal, spaceOwnerId: 'u2' }, filter({ users: { exclude: ['u2'] } }))).toMatch(
      /users/,
    );
    expect(
      skipReason(personal, filter({ users: { exclude: ['Ann@Example.com'] } }), 'ann@example.com'),
    ).toMatch(/users/);
    // Only personal spaces are dropped for their owner.
    expect(skipReason(space({ authorId: 'u1' }), filter({ users: { exclude: ['u1'] } }))).toBeUndefined();
  });
});

describe('extractionPlan', () => {
  const record = (over: Partial<ConfluenceAttachmentsRecord>): ConfluenceAttachmentsRecord => ({
    id: 'att1',
    cloud_id: 'c',
    file_name: 'a.pdf',
    media_type: 'application/pdf',
    size: 1000,
    download_path: '/wiki/rest/api/content/1/child/attachment/att1/download',
    ...over,
  });
  const options = { enabled: true, mediaTypes: ['application/pdf', 'text/*'], maxBytes: 2000 };
  it('extracts listed types within the size limit, decided from metadata before any download', () => {
    expect(extractionPlan(record({}), options)).toEqual({ extract: true });
    expect(extractionPlan(record({ size: 5000 }), options)).toEqual({
      extract: false,
      error: expect.stringMatching(/too large/),
    });
    expect(extractionPlan(record({ media_type: 'image/png', file_name: 'a.png' }), options)).toEqual({
      extract: false,
      error: null,
    });
    expect(extractionPlan(record({}), { ...options, enabled: false })).toEqual({
      extract: false,
      error: null,
    });
  });
});

describe('webUrl', () => {
  it('prefixes v1/v2 webui links (relative to /wiki) with the site', () => {
    expect(webUrl('https://x.atlassian.net', '/spaces/ENG/pages/1/T')).toBe(
      'https://x.atlassian.net/wiki/spaces/ENG/pages/1/T',
    );
    expect(webUrl('https://x.atlassian.net', '/wiki/spaces/ENG')).toBe(
      'https://x.atlassian.net/wiki/spaces/ENG',
    );
    expect(webUrl('https://x.atlassian.net', undefined)).toBeNull();
  });
});

describe('confluenceStreams', () => {
  const deps = (confluence: SourceConfig['confluence']) => ({
    config: { domain: 'x.atlassian.net', credentials: {} as SourceConfig['credentials'], confluence },
    site: () => Promise.reject(new Error('no network in this test')),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  it('offers the five content streams, none when Confluence is disabled', () => {
    expect(confluenceStreams(deps({})).map((s) => [s.name, s.cursorField])).toEqual([
      ['confluence_spaces', undefined],
      ['confluence_pages', ['updated_at']],
      ['confluence_blogposts', ['updated_at']],
      ['confluence_comments', ['updated_at']],
      ['confluence_attachments', ['updated_at']],
    ]);
    expect(confluenceStreams(deps({ enabled: false }))).toEqual([]);
  });
});

describe('digestCells', () => {
  it('lets the digest of a space with up to 20 documents name them all on its own, within a small cap', () => {
    for (let n = 0; n <= 20; n++) {
      const ids = Array.from({ length: n }, (_, i) => String(1016212 + i * 7));
      const digest = IdDigest.empty(digestCells(n));
      ids.forEach((id) => digest.add(id));
      expect([n, sorted(digest.diff(IdDigest.empty(digest.cellCount))?.onlyInA ?? ['undecodable'])]).toEqual([
        n,
        sorted(ids),
      ]);
    }
    expect(digestCells(100_000)).toBe(IdDigest.cellsFor(100_000));
    expect(digestCells(1000)).toBeLessThanOrEqual(IdDigest.cellsFor(1000) + 48);
  });
});
