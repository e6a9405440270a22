// Shared bits of the Confluence end-to-end tests: catalogs, schema validation, id sets.
import { loadSchema } from '../../src/schemas';
import type { Simulator } from '../../sim';
import type { ConfluenceModel } from '../../sim/confluence/model';

export const STREAMS = [
  'confluence_spaces',
  'confluence_pages',
  'confluence_blogposts',
  'confluence_comments',
  'confluence_attachments',
] as const;
export const CONTENT = STREAMS.filter((s) => s !== 'confluence_spaces');

export function catalog(names: readonly string[], mode: 'full_refresh' | 'incremental') {
  return {
    streams: names.map((name) => {
      const incremental = mode === 'incremental' && name !== 'confluence_spaces';
      return {
        stream: {
          name,
          json_schema: loadSchema(name),
          supported_sync_modes:
            name === 'confluence_spaces' ? ['full_refresh'] : ['full_refresh', 'incremental'],
        },
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: incremental ? 'append_dedup' : 'overwrite',
        ...(incremental ? { cursor_field: ['updated_at'], primary_key: [['id']] } : {}),
      };
    }),
  };
}

export { dead, live, sorted, validate } from '../helpers/records';

/** What the connector should read with the default config: the truth minus archived spaces and archived content. */
export function expectedIds(sim: Simulator, stream: string): Set<string> {
  const m = sim.model.confluence as ConfluenceModel;
  const spaceOk = (id: string) => m.spaces.get(id)?.status === 'current';
  const contentOk = (id: string) => {
    const c = m.contents.get(id);
    return !!c && c.status === 'current' && spaceOk(c.spaceId);
  };
  const keep = (id: string): boolean => {
    switch (stream) {
      case 'confluence_spaces':
        return spaceOk(id);
      case 'confluence_pages':
      case 'confluence_blogposts':
        return contentOk(id);
      case 'confluence_comments':
        return contentOk(m.comments.get(id)!.containerId);
      default: {
        const a = m.attachments.get(id)!;
        return a.status === 'current' && contentOk(a.containerId);
      }
    }
  };
  return new Set([...sim.truth.visibleIds(stream)].filter(keep));
}
