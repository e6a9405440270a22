// The shape of the search responses we read (IssueBean and its fields, reference/atlassian/
// jira-platform-v3.openapi.json). Only what the mappers touch is typed; everything else stays `unknown`.
// No imports: the benchmark's baseline asks for the same fields without loading the connector.

/** The fields a jira_issues record is built from: nothing else is requested. */
export const ISSUE_FIELDS = [
  'summary',
  'description',
  'status',
  'issuetype',
  'priority',
  'resolution',
  'labels',
  'components',
  'fixVersions',
  'parent',
  'subtasks',
  'reporter',
  'assignee',
  'creator',
  'created',
  'updated',
  'resolutiondate',
  'security',
  'project',
] as const;

export interface JiraUser {
  accountId?: string;
  displayName?: string;
}

export interface Named {
  id?: string;
  name?: string;
}

export interface JiraCommentBean {
  id: string;
  author?: JiraUser;
  updateAuthor?: JiraUser;
  body?: unknown;
  created?: string;
  updated?: string;
  visibility?: { type?: string; value?: string; identifier?: string | null };
  jsdPublic?: boolean;
}

/** The `comment` field embedded in a search result: a page, not necessarily all comments. */
export interface CommentPage {
  comments?: JiraCommentBean[];
  maxResults?: number;
  total?: number;
  startAt?: number;
}

export interface JiraAttachmentBean {
  id: string;
  filename?: string;
  mimeType?: string;
  size?: number;
  created?: string;
  author?: JiraUser;
}

export interface IssueFields {
  summary?: string;
  description?: unknown;
  status?: Named & { statusCategory?: { key?: string } };
  issuetype?: Named & { subtask?: boolean };
  priority?: Named;
  resolution?: Named | null;
  labels?: string[];
  components?: Named[];
  fixVersions?: Named[];
  parent?: { id?: string; key?: string };
  subtasks?: { id?: string; key?: string }[];
  reporter?: JiraUser | null;
  assignee?: JiraUser | null;
  creator?: JiraUser | null;
  created?: string;
  updated?: string;
  resolutiondate?: string | null;
  security?: Named | null;
  project?: { id?: string; key?: string };
  comment?: CommentPage;
  attachment?: JiraAttachmentBean[];
  [field: string]: unknown;
}

export interface IssueBean {
  id: string;
  key?: string;
  fields?: IssueFields;
}

/** Display names of the people an issue mentions most often, to render ADF mentions as names. */
export function knownPeople(fields: IssueFields | undefined): Map<string, string> {
  const names = new Map<string, string>();
  const add = (u: JiraUser | null | undefined): void => {
    if (u?.accountId && u.displayName) names.set(u.accountId, u.displayName);
  };
  add(fields?.reporter);
  add(fields?.assignee);
  add(fields?.creator);
  for (const c of fields?.comment?.comments ?? []) {
    add(c.author);
    add(c.updateAuthor);
  }
  for (const a of fields?.attachment ?? []) add(a.author);
  return names;
}
