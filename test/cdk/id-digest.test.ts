import { IdDigest } from '../../src/cdk/id-digest';

const digestOf = (ids: Iterable<string>, cells = 64) => {
  const d = IdDigest.empty(cells);
  for (const id of ids) d.add(id);
  return d;
};
const range = (from: number, to: number, prefix = '') =>
  Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

describe('IdDigest', () => {
  it('finds the ids removed and added between two syncs of a large partition', () => {
    const before = range(100000, 120000);
    const removed = ['100007', '104242', '119999'];
    const added = ['att555', '130001'];
    const after = [...before.filter((id) => !removed.includes(id)), ...added];
    const diff = digestOf(before).diff(digestOf(after));
    expect(diff?.onlyInA.sort()).toEqual(removed.sort());
    expect(diff?.onlyInB.sort()).toEqual(added.sort());
  });

  it('survives serialization and stays a few kilobytes', () => {
    const d = digestOf(range(1, 5000));
    const s = d.serialize();
    expect(s.length).toBeLessThan(4000);
    const parsed = IdDigest.parse(s);
    expect(parsed.size).toBe(4999);
    expect(parsed.diff(digestOf(range(2, 5000)))).toEqual({ onlyInA: ['1'], onlyInB: [] });
  });

  it('reports identical sets as no difference', () => {
    expect(digestOf(range(1, 1000)).diff(digestOf(range(1, 1000).reverse()))).toEqual({
      onlyInA: [],
      onlyInB: [],
    });
  });

  it('returns undefined instead of a wrong answer when too many ids differ', () => {
    const diff = digestOf(range(1, 2000), 30).diff(digestOf(range(500, 2000), 30));
    expect(diff).toBeUndefined();
  });

  it('decodes a removed partition against an empty digest when it was small', () => {
    const diff = digestOf(range(1, 20)).diff(IdDigest.empty(64));
    expect(diff?.onlyInA.length).toBe(19);
  });

  it('rejects garbage, other sizes and ids it cannot hold', () => {
    expect(() => IdDigest.parse('bm90IGEgZGlnZXN0')).toThrow(/not a deletion digest/);
    expect(() => digestOf(['1'], 30).diff(digestOf(['1'], 60))).toThrow(/different sizes/);
    expect(() => IdDigest.empty().add('x'.repeat(40))).toThrow(/too long/);
  });

  it('sizes cells by partition size within bounds', () => {
    expect(IdDigest.cellsFor(10)).toBe(18);
    expect(IdDigest.cellsFor(20000)).toBeGreaterThan(IdDigest.cellsFor(1000));
    expect(IdDigest.cellsFor(10_000_000)).toBe(240);
  });
});
