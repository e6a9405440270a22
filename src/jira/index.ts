import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';

// Filled in as the jira streams land.
export function jiraStreams(_deps: StreamDeps): Stream[] {
  return [];
}
