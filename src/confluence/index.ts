import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';

// Filled in as the confluence streams land.
export function confluenceStreams(_deps: StreamDeps): Stream[] {
  return [];
}
