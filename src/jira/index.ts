// The Jira content streams, all partitioned by project.
import type { Stream } from '../cdk/stream';
import type { StreamDeps } from '../atlassian/site';
import { attachmentsStream } from './attachments';
import { commentsStream } from './comments';
import { issuesStream } from './issues';
import { projectsStream } from './projects';

export function jiraStreams(deps: StreamDeps): Stream[] {
  if (deps.config.jira?.enabled === false) return [];
  return [projectsStream(deps), issuesStream(deps), commentsStream(deps), attachmentsStream(deps)];
}
