// startAt/maxResults handling shared by the offset-paged Jira endpoints, and the `PageBean` envelope.
import { badRequest } from './errors';
import type { SimRequest, SimResponse } from './seam';

export interface Offset {
  startAt: number;
  maxResults: number;
}

/**
 * Reads startAt/maxResults. Values above `max` silently become `max` (Jira clamps, it does not reject);
 * a non-numeric value is a 400 like Jira's parameter validation.
 */
export function readOffset(
  req: SimRequest,
  defaults: { maxResults: number; max: number },
): Offset | SimResponse {
  const startRaw = req.query.get('startAt');
  const maxRaw = req.query.get('maxResults');
  const startAt = startRaw === null || startRaw === '' ? 0 : Number(startRaw);
  const maxResults = maxRaw === null || maxRaw === '' ? defaults.maxResults : Number(maxRaw);
  if (!Number.isInteger(startAt))
    return badRequest(`The value '${startRaw}' is not a valid number for startAt.`);
  if (!Number.isInteger(maxResults))
    return badRequest(`The value '${maxRaw}' is not a valid number for maxResults.`);
  return { startAt: Math.max(0, startAt), maxResults: Math.min(Math.max(0, maxResults), defaults.max) };
}

export function isResponse(x: unknown): x is SimResponse {
  return (
    typeof x === 'object' && x !== null && 'status' in x && typeof (x as SimResponse).status === 'number'
  );
}

/** A `PageBean<T>`: `{self, nextPage?, maxResults, startAt, total, isLast, values}`. */
export function pageBean<T>(req: SimRequest, all: readonly T[], offset: Offset): Record<string, unknown> {
  const values = all.slice(offset.startAt, offset.startAt + offset.maxResults);
  const isLast = offset.startAt + values.length >= all.length;
  const self = new URL(req.siteUrl + req.path);
  req.query.forEach((v, k) => self.searchParams.append(k, v));
  const out: Record<string, unknown> = {
    self: self.toString(),
    maxResults: offset.maxResults,
    startAt: offset.startAt,
    total: all.length,
    isLast,
    values,
  };
  if (!isLast) {
    const next = new URL(self);
    next.searchParams.set('startAt', String(offset.startAt + values.length));
    next.searchParams.set('maxResults', String(offset.maxResults));
    out.nextPage = next.toString();
  }
  return out;
}
