// The `fields` parameter of the issue APIs: `*all`, `*navigable`, explicit ids, `-id` exclusions, and the
// search-only `id` (ids only). Several `fields` values and comma lists combine; unknown ids are ignored.
import { FIELDS, ISSUE_FIELD_IDS } from './catalog';

export type FieldDefault = 'id' | 'navigable' | 'all';

export interface FieldSelection {
  /** Field ids to include in `fields`; empty with `idsOnly` means the issue carries only its id. */
  fields: string[];
  idsOnly: boolean;
  /** Only `id`/`key` were asked for: the largest page size applies. */
  light: boolean;
}

const NAVIGABLE = FIELDS.filter((f) => f.navigable && f.id !== 'issuekey').map((f) => f.id);

export function selectFields(raw: string[] | undefined, fallback: FieldDefault): FieldSelection {
  const tokens = (raw ?? [])
    .flatMap((v) => v.split(','))
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (tokens.length === 0) return base(fallback);
  const include = new Set<string>();
  const exclude = new Set<string>();
  let onlyIdKey = true;
  let sawInclusion = false;
  for (const t of tokens) {
    if (t.startsWith('-')) {
      exclude.add(t.slice(1));
      continue;
    }
    sawInclusion = true;
    if (t === '*all') ISSUE_FIELD_IDS.forEach((f) => include.add(f));
    else if (t === '*navigable') NAVIGABLE.forEach((f) => include.add(f));
    else if (t === 'id' || t === 'key') continue;
    else if (ISSUE_FIELD_IDS.includes(t)) include.add(t);
    if (t !== 'id' && t !== 'key') onlyIdKey = false;
  }
  if (!sawInclusion) base(fallback === 'id' ? 'navigable' : fallback).fields.forEach((f) => include.add(f));
  const fields = ISSUE_FIELD_IDS.filter((f) => include.has(f) && !exclude.has(f));
  const idsOnly = sawInclusion && onlyIdKey && fields.length === 0 && !tokens.includes('key');
  return { fields, idsOnly, light: sawInclusion && onlyIdKey };
}

function base(fallback: FieldDefault): FieldSelection {
  if (fallback === 'id') return { fields: [], idsOnly: true, light: true };
  return { fields: fallback === 'all' ? [...ISSUE_FIELD_IDS] : [...NAVIGABLE], idsOnly: false, light: false };
}

/** `expand` as a comma string (search, GET issue) or an array (bulkfetch). */
export function parseExpand(raw: string | string[] | undefined | null): Set<string> {
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return new Set(
    values
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v.length > 0),
  );
}
