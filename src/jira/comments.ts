// jira_comments: the comments of every issue, following their issues (see project-reader.ts). The search
// embeds a page of comments per issue (`fields=comment`: {comments, maxResults, total, startAt}); only
// when it is truncated are the rest fetched with GET /rest/api/3/issue/{id}/comment (startAt/maxResults).
import { offsetPages } from '../atlassian/pagination';
import type { StreamDeps } from '../atlassian/site';
import type { Stream } from '../cdk/stream';
import type { JiraCommentsRecord } from '../generated/records/jira_comments';
import { adfToText } from '../text/adf-to-text';
import { knownPeople, type IssueBean, type JiraCommentBean } from './issue-fields';
import { jiraTimeToIso, jiraTimeToMillis } from './jira-time';
import { issueStream } from './project-reader';
import type { ReaderContext, SiteInfo } from './reader-context';
import { statusOf } from './util';

const COMMENT_PAGE = 100;

export async function allComments(
  issue: IssueBean,
  ctx: Pick<ReaderContext, 'client' | 'signal'>,
): Promise<JiraCommentBean[]> {
  const embedded = issue.fields?.comment;
  const comments = [...(embedded?.comments ?? [])];
  const total = embedded?.total ?? comments.length;
  if (comments.length >= total) return comments;
  // Truncated: re-read the whole list in order (the embedded page may be any slice), deduplicated by id.
  // Offset paging skips a comment when an earlier one is deleted between two pages: fewer than the search
  // counted means one more read, and what either read (or the search) gave is kept; a comment deleted
  // meanwhile is named by the next pass.
  const byId = new Map(comments.map((c) => [c.id, c]));
  const read = async () => {
    for await (const page of offsetPages<JiraCommentBean>(
      ctx.client,
      `/rest/api/3/issue/${issue.id}/comment`,
      {
        style: 'startAt',
        pageSize: COMMENT_PAGE,
        itemsKey: 'comments',
        params: { orderBy: 'created' },
        signal: ctx.signal,
      },
    )) {
      for (const c of page) byId.set(c.id, c);
    }
  };
  try {
    await read();
    if (byId.size < total) await read();
  } catch (error) {
    // Deleted or hidden since the search: what the search gave is all there is to read (its comments
    // that are gone come out as tombstones of the next pass).
    const status = statusOf(error);
    if (status !== 403 && status !== 404) throw error;
    return comments;
  }
  return [...byId.values()];
}

/** The people of an issue, gathered once for all its comments (gathering walks every comment). */
const peopleOf = new WeakMap<IssueBean, Map<string, string>>();

export function toCommentRecord(
  comment: JiraCommentBean,
  issue: IssueBean,
  site: SiteInfo,
): JiraCommentsRecord {
  let people = peopleOf.get(issue);
  if (!people) peopleOf.set(issue, (people = knownPeople(issue.fields)));
  const v = comment.visibility;
  return {
    id: comment.id,
    issue_id: issue.id,
    issue_key: issue.key ?? null,
    project_id: issue.fields?.project?.id ?? null,
    project_key: issue.fields?.project?.key ?? null,
    body_text: comment.body ? adfToText(comment.body, { mentionName: (id) => people.get(id) }) : null,
    author_account_id: comment.author?.accountId ?? null,
    author_display_name: comment.author?.displayName ?? null,
    update_author_account_id: comment.updateAuthor?.accountId ?? null,
    visibility:
      v && (v.type === 'group' || v.type === 'role')
        ? { type: v.type, value: v.value ?? null, identifier: v.identifier ?? null }
        : null,
    jsd_public: comment.jsdPublic ?? null,
    created_at: jiraTimeToIso(comment.created),
    updated_at: jiraTimeToIso(comment.updated ?? comment.created),
    url: issue.key ? `${site.siteUrl}/browse/${issue.key}?focusedCommentId=${comment.id}` : null,
    cloud_id: site.cloudId,
  };
}

export function commentsStream(deps: StreamDeps): Stream {
  return issueStream<JiraCommentBean>(deps, {
    name: 'jira_comments',
    kind: 'children',
    fields: ['comment', 'updated', 'project', 'reporter', 'assignee', 'creator'],
    children: (issue, ctx) => allComments(issue, ctx),
    timeOf: (c) => jiraTimeToMillis(c.updated ?? c.created),
    createdOf: (c) => jiraTimeToMillis(c.created),
    toRecord: async (c, issue, ctx) => toCommentRecord(c, issue, ctx.site),
  });
}
