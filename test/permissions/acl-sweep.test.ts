// document_permissions' deletion digest: the removals it can name are sized by the refresh that saved it,
// the first one included (which has no previous count to size from).
import { IdDigest } from '../../src/cdk/id-digest';
import type { DocumentPermissionsRecord } from '../../src/generated/records/document_permissions';
import { AclSweep } from '../../src/permissions/acl-sweep';

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + i));

function refresh(previous: string | undefined, pageIds: string[]) {
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
  const tombstone = (documentType: string, documentId: string) =>
    ({ document_type: documentType, document_id: documentId }) as DocumentPermissionsRecord;
  const sweep = new AclSweep(previous, tombstone, logger);
  for (const id of pageIds) sweep.add({ document_type: 'confluence_page', document_id: id });
  const gone = [...sweep.tombstones()].map((t) => `${t.document_type}:${t.document_id}`);
  return { state: sweep.serialize(), gone, warnings };
}

describe('AclSweep', () => {
  it('names 2% of a large site removed right after its first refresh', () => {
    const first = refresh(undefined, ids(0, 40_000));
    // Sized for 40,000 documents (1,485 cells), not for an empty site (256 before it was folded to size).
    expect(IdDigest.parse(first.state).cellCount).toBeGreaterThanOrEqual(256 + 40_000 * 0.03);
    const second = refresh(first.state, ids(800, 40_000));
    expect(second.warnings).toEqual([]);
    expect(second.gone.sort()).toEqual(
      ids(0, 800)
        .map((id) => `confluence_page:${id}`)
        .sort(),
    );
  });

  it('keeps a small site small, and says so when more changed than its digest can name', () => {
    const first = refresh(undefined, ids(0, 100));
    expect(IdDigest.parse(first.state).cellCount).toBeLessThan(300);
    const second = refresh(first.state, ids(100, 1_100));
    expect(second.gone).toEqual([]);
    expect(second.warnings.join()).toMatch(/too many documents were added or removed/);
    // That refresh's own digest is sized by its count, so the next one names removals again.
    const third = refresh(second.state, ids(150, 1_100));
    expect(third.gone).toHaveLength(50);
  });

  it('compares with a digest saved at any size by an earlier version', () => {
    const earlier = IdDigest.empty(4308);
    for (const id of ids(0, 2_000)) earlier.add(`cp:${id}`);
    const next = refresh(earlier.serialize(), ids(10, 2_000));
    expect(next.gone.sort()).toEqual(
      ids(0, 10)
        .map((id) => `confluence_page:${id}`)
        .sort(),
    );
  });
});

describe('IdDigest.fold', () => {
  it('gives the bytes of a digest built at the smaller size', () => {
    const large = IdDigest.empty(3 * 120);
    const small = IdDigest.empty(3 * 40);
    for (const id of ids(0, 300)) {
      large.add(id);
      small.add(id);
    }
    expect(large.fold(3 * 40).serialize()).toBe(small.serialize());
  });

  it('gives the same differences as a digest built at the smaller size', () => {
    const a = IdDigest.empty(3 * 120);
    const b = IdDigest.empty(3 * 120);
    for (const id of ids(0, 500)) a.add(id);
    for (const id of ids(20, 520)) b.add(id);
    for (const cells of [3 * 60, 3 * 40, 3 * 24]) {
      const diff = a.fold(cells).diff(b.fold(cells));
      expect(diff?.onlyInA.sort()).toEqual(ids(0, 20).sort());
      expect(diff?.onlyInB.sort()).toEqual(ids(500, 520).sort());
    }
    expect(a.fold(3 * 40).size).toBe(500);
    expect(() => a.fold(3 * 50)).toThrow(/does not fold/);
  });
});
