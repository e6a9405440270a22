// Stream record schemas: schemas/<stream>.json is the single source of truth (types are generated from it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** schemas/<stream>.json, found relative to this file in both src/ (tests) and dist/src/ (the build). */
export function loadSchema(stream: string): Record<string, unknown> {
  for (const up of ['..', '../..']) {
    try {
      return JSON.parse(readFileSync(join(__dirname, up, 'schemas', `${stream}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
    } catch {
      // try the next location
    }
  }
  throw new Error(`schema not found: schemas/${stream}.json`);
}
