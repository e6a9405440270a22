// Deterministic identifiers in Atlassian's formats.
import type { Rng } from './types';

function hex(rng: Rng, length: number): string {
  let out = '';
  while (out.length < length)
    out += Math.floor(rng.next() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return out.slice(0, length);
}

/** A v4-shaped uuid drawn from the rng. */
export function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Atlassian account ids: `712020:<uuid>` for newer accounts, 24 hex digits for older ones, `557058:<uuid>` for apps. */
export function accountId(rng: Rng, kind: 'new' | 'legacy' | 'app'): string {
  if (kind === 'legacy') return hex(rng, 24);
  return `${kind === 'app' ? '557058' : '712020'}:${uuid(rng)}`;
}

/** Base64url of a JSON value: the shape of Atlassian's opaque cursors. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | null | undefined): T | undefined {
  if (!cursor) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
