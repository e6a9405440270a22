// A second minimum for the Confluence content streams, counted (not timed) by the benchmark: the v2 lists
// lack what the records carry (labels, ancestors, a comment's creator, creation time and space), so the
// fewest requests that give complete records walk the v1 CQL listings with the records' expands, at the
// largest page the server allows.
import { EXPAND } from '../src/confluence/content-fields';
import { spaceContentCql, type ContentType } from '../src/confluence/cql';
import { pool, reader, type SiteAccess, type Walk, type WalkOptions } from './baseline';

/** Per Confluence content stream: the fewest requests that give complete records (v1 CQL walks). */
export async function completeMinimum(
  site: SiteAccess,
  options: Omit<WalkOptions, 'streams'>,
): Promise<Record<string, number>> {
  const r = reader(site, options.requestsPerSecond);
  const spaces = await r.spaces();
  delete r.counts.confluence_spaces;
  const types: Array<[string, ContentType]> = [
    ['confluence_pages', 'page'],
    ['confluence_blogposts', 'blogpost'],
    ['confluence_comments', 'comment'],
    ['confluence_attachments', 'attachment'],
  ];
  const cqlWalks: Walk[] = [
    // Reply parents: only the v2 comment lists carry parentCommentId.
    { stream: 'confluence_comments', path: '/wiki/api/v2/footer-comments?limit=250' },
    { stream: 'confluence_comments', path: '/wiki/api/v2/inline-comments?limit=250' },
    ...spaces.flatMap((s) =>
      types.map(([stream, type]) => {
        const query = new URLSearchParams({
          cql: spaceContentCql({ spaceKey: s.key, type }),
          expand: EXPAND[type].join(','),
          limit: '250',
          includeArchivedSpaces: 'true',
        });
        return { stream, path: `/wiki/rest/api/content/search?${query}` };
      }),
    ),
  ];
  await pool(cqlWalks, options.concurrency, r.walk);
  return r.counts;
}
