import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';

// Filled in as the permissions streams land.
export function permissionStreams(_deps: StreamDeps): Stream[] {
  return [];
}
