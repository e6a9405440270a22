// Every stream of the connector, in catalog order. Each product folder lists its own.
import type { Stream } from './cdk/stream';
import type { StreamDeps } from './atlassian/site';
import { confluenceStreams } from './confluence';
import { jiraStreams } from './jira';
import { directoryStreams } from './directory';
import { permissionStreams } from './permissions';

export function allStreams(deps: StreamDeps): Stream[] {
  return [
    ...confluenceStreams(deps),
    ...jiraStreams(deps),
    ...directoryStreams(deps),
    ...permissionStreams(deps),
  ];
}
