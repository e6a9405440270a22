import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';

// Filled in as the directory streams land.
export function directoryStreams(_deps: StreamDeps): Stream[] {
  return [];
}
