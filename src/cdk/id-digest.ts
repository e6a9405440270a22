// An invertible Bloom lookup table over a set of ids: a digest of fixed size whose difference with
// another digest yields the ids that were added and removed, as long as the number of differences is
// below roughly two thirds of the cell count. It lets a stream detect deletions by sweeping the ids
// that exist now and comparing with the previous sync, while its state stays a few kilobytes per
// partition instead of growing with the partition. (Eppstein et al., "What's the Difference?", 2011.)
import { createHash } from 'node:crypto';

const KEY_BYTES = 24; // 1 length byte + up to 23 bytes of id: Atlassian ids are short digit strings.
const CELL_BYTES = 4 + 4 + KEY_BYTES;
const HASHES = 3;
const VERSION = 1;

export interface DigestDiff {
  /** ids in this digest but not in the other one. */
  onlyInA: string[];
  /** ids in the other digest but not in this one. */
  onlyInB: string[];
}

function hashes(key: Buffer): { check: number; cells: number[] } {
  const h = createHash('sha256').update(key).digest();
  return { check: h.readUInt32LE(0), cells: [h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)] };
}

function encodeId(id: string): Buffer {
  const bytes = Buffer.from(id, 'utf8');
  if (bytes.length >= KEY_BYTES) throw new Error(`id too long for a deletion digest: ${id.slice(0, 40)}`);
  const key = Buffer.alloc(KEY_BYTES);
  key[0] = bytes.length;
  bytes.copy(key, 1);
  return key;
}

function decodeId(key: Buffer): string | undefined {
  const length = key[0] ?? 0;
  if (length === 0 || length >= KEY_BYTES || key.subarray(1 + length).some((b) => b !== 0)) return undefined;
  return key.subarray(1, 1 + length).toString('utf8');
}

export class IdDigest {
  private constructor(
    private readonly cells: Buffer,
    private total: number,
  ) {}

  /** A digest sized for the expected number of differences between two syncs (at least 16 cells). */
  static empty(cells = 64): IdDigest {
    const size = Math.max(HASHES * 6, Math.ceil(cells / HASHES) * HASHES);
    return new IdDigest(Buffer.alloc(size * CELL_BYTES), 0);
  }

  /** A cell count suited to a partition of `size` ids: more cells for bigger partitions, capped. */
  static cellsFor(size: number): number {
    return Math.min(240, Math.max(18, Math.ceil(Math.sqrt(size) * 1.5)));
  }

  static parse(serialized: string): IdDigest {
    const raw = Buffer.from(serialized, 'base64');
    if (raw.length < 5 || raw[0] !== VERSION || (raw.length - 5) % CELL_BYTES !== 0) {
      throw new Error('not a deletion digest (unknown version or truncated)');
    }
    return new IdDigest(Buffer.from(raw.subarray(5)), raw.readUInt32LE(1));
  }

  get cellCount(): number {
    return this.cells.length / CELL_BYTES;
  }

  /** Number of ids added (minus removed). */
  get size(): number {
    return this.total;
  }

  add(id: string): this {
    this.apply(encodeId(id), 1);
    this.total++;
    return this;
  }

  /**
   * The same ids in a digest of `cells` cells, exactly: an id's cell in each of the three tables is its
   * hash modulo the cells per table, so when this digest's cells per table are a multiple of the new
   * one's, cell j goes to cell j modulo the new count. Lets a digest be built before its size is known.
   */
  fold(cells: number): IdDigest {
    const per = this.cellCount / HASHES;
    const target = cells / HASHES;
    if (!Number.isInteger(target) || target < 1 || per % target !== 0)
      throw new Error(`a digest of ${this.cellCount} cells does not fold to ${cells}`);
    const out = new IdDigest(Buffer.alloc(cells * CELL_BYTES), this.total);
    for (let table = 0; table < HASHES; table++) {
      for (let j = 0; j < per; j++) {
        out.merge(table * target + (j % target), this.cell(table * per + j), 1);
      }
    }
    return out;
  }

  serialize(): string {
    const header = Buffer.alloc(5);
    header[0] = VERSION;
    header.writeUInt32LE(this.total >>> 0, 1);
    return Buffer.concat([header, this.cells]).toString('base64');
  }

  /**
   * The ids that differ between this digest and `other` (which must have the same cell count), or
   * `undefined` when there are too many differences to decode.
   */
  diff(other: IdDigest): DigestDiff | undefined {
    if (other.cellCount !== this.cellCount) throw new Error('digests of different sizes cannot be compared');
    const work = new IdDigest(Buffer.from(this.cells), 0);
    for (let c = 0; c < work.cellCount; c++) {
      work.merge(c, other.cell(c), -1);
    }
    const result: DigestDiff = { onlyInA: [], onlyInB: [] };
    // Peel: a cell holding exactly one id (count ±1 and a matching check hash) reveals it.
    for (let progress = true; progress;) {
      progress = false;
      for (let c = 0; c < work.cellCount; c++) {
        const { count, check, key } = work.cell(c);
        if (count !== 1 && count !== -1) continue;
        const id = decodeId(key);
        if (id === undefined || hashes(key).check !== check) continue;
        (count === 1 ? result.onlyInA : result.onlyInB).push(id);
        work.apply(Buffer.from(key), -count);
        progress = true;
      }
    }
    return work.cells.every((b) => b === 0) ? result : undefined;
  }

  private apply(key: Buffer, delta: number): void {
    const { check, cells } = hashes(key);
    const perTable = this.cellCount / HASHES;
    cells.forEach((h, table) => {
      const c = table * perTable + (h % perTable);
      const cell = this.cell(c);
      cell.count = (cell.count + delta) | 0;
      cell.check = (cell.check ^ check) >>> 0;
      for (let i = 0; i < KEY_BYTES; i++) cell.key[i] = (cell.key[i] ?? 0) ^ (key[i] ?? 0);
      this.store(c, cell);
    });
  }

  private cell(c: number): { count: number; check: number; key: Buffer } {
    const at = c * CELL_BYTES;
    return {
      count: this.cells.readInt32LE(at),
      check: this.cells.readUInt32LE(at + 4),
      key: Buffer.from(this.cells.subarray(at + 8, at + CELL_BYTES)),
    };
  }

  /** Adds (sign 1) or subtracts (sign -1) another digest's cell into cell `c`. */
  private merge(c: number, from: { count: number; check: number; key: Buffer }, sign: 1 | -1): void {
    const into = this.cell(c);
    into.count = (into.count + sign * from.count) | 0;
    into.check = (into.check ^ from.check) >>> 0;
    for (let i = 0; i < KEY_BYTES; i++) into.key[i] = (into.key[i] ?? 0) ^ (from.key[i] ?? 0);
    this.store(c, into);
  }

  private store(c: number, cell: { count: number; check: number; key: Buffer }): void {
    const at = c * CELL_BYTES;
    this.cells.writeInt32LE(cell.count, at);
    this.cells.writeUInt32LE(cell.check, at + 4);
    cell.key.copy(this.cells, at + 8);
  }
}
