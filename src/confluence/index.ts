// The Confluence content streams. Shared traversal: content-reader.ts.
import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';
import { spacesStream } from './spaces';
import { pagesStream } from './pages';
import { blogpostsStream } from './blogposts';
import { commentsStream } from './comments';
import { attachmentsStream } from './attachments';

export function confluenceStreams(deps: StreamDeps): Stream[] {
  // Disabled product: its streams are not offered in the catalog at all.
  if (deps.config.confluence?.enabled === false) return [];
  return [
    spacesStream(deps),
    pagesStream(deps),
    blogpostsStream(deps),
    commentsStream(deps),
    attachmentsStream(deps),
  ];
}
