// Requests per 1,000 records, for the tests and the benchmark, next to what the API allows at best.
export interface LoggedRequestLike {
  path: string;
}

/** The least a full read can cost: v2 lists return at most 250 items per request (ENDPOINTS.md §1.0). */
export const API_MAX_PAGE = 250;

export function requestsPer1000(requests: readonly LoggedRequestLike[], records: number): number {
  return records === 0 ? 0 : (requests.length * 1000) / records;
}

/** The API minimum per 1,000 records of a stream: one list request per 250, plus one download per extracted file. */
export function apiMinimumPer1000(options: { records: number; downloads?: number }): number {
  if (options.records === 0) return 0;
  return 1000 / API_MAX_PAGE + ((options.downloads ?? 0) * 1000) / options.records;
}

/** Requests by kind (search, sweep, download, other) for the printed breakdown. */
export function requestBreakdown(requests: readonly LoggedRequestLike[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) {
    const kind = r.path.includes('/download')
      ? 'download'
      : !r.path.includes('/wiki/')
        ? 'other'
        : r.path.includes('/content/search')
          ? 'cql'
          : r.path
              .replace(/^.*\/wiki\//, '')
              .split('/')
              .slice(0, 3)
              .join('/');
    out[kind] = (out[kind] ?? 0) + 1;
  }
  return out;
}
