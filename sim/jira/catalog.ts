// Site-wide Jira configuration that every generated project shares: status categories, statuses, issue
// types, priorities, resolutions, project roles and the field list. Ids follow the ones a fresh Jira Cloud
// site uses, so responses look like the real thing.

export interface StatusCategoryDef {
  id: number;
  key: string;
  name: string;
  colorName: string;
}

export const STATUS_CATEGORIES: readonly StatusCategoryDef[] = [
  { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  { id: 3, key: 'done', name: 'Done', colorName: 'green' },
];

export interface StatusDef {
  id: string;
  name: string;
  categoryId: number;
}

export const STATUSES: readonly StatusDef[] = [
  { id: '10000', name: 'To Do', categoryId: 2 },
  { id: '3', name: 'In Progress', categoryId: 4 },
  { id: '10002', name: 'In Review', categoryId: 4 },
  { id: '10001', name: 'Done', categoryId: 3 },
];

export interface IssueTypeDef {
  id: string;
  name: string;
  subtask: boolean;
  hierarchyLevel: number;
  description: string;
}

export const ISSUE_TYPES: readonly IssueTypeDef[] = [
  { id: '10000', name: 'Epic', subtask: false, hierarchyLevel: 1, description: 'A big user story.' },
  { id: '10001', name: 'Story', subtask: false, hierarchyLevel: 0, description: 'A user-facing feature.' },
  {
    id: '10002',
    name: 'Task',
    subtask: false,
    hierarchyLevel: 0,
    description: 'A small, distinct piece of work.',
  },
  { id: '10003', name: 'Bug', subtask: false, hierarchyLevel: 0, description: 'A problem or error.' },
  {
    id: '10004',
    name: 'Sub-task',
    subtask: true,
    hierarchyLevel: -1,
    description: 'A small piece of a task.',
  },
  {
    id: '10005',
    name: 'Service Request',
    subtask: false,
    hierarchyLevel: 0,
    description: 'A customer request.',
  },
  { id: '10006', name: 'Idea', subtask: false, hierarchyLevel: 0, description: 'An idea to discover.' },
];

export const EPIC_TYPE_ID = '10000';
export const SUBTASK_TYPE_ID = '10004';

export interface PriorityDef {
  id: string;
  name: string;
}

export const PRIORITIES: readonly PriorityDef[] = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

export const RESOLUTION_DONE = {
  id: '10000',
  name: 'Done',
  description: 'Work has been completed on this issue.',
};

/** Project roles exist site-wide; their actors are per project. */
export const ROLE_ADMINISTRATORS = 10002;
export const ROLE_DEVELOPERS = 10003;
export const ROLE_VIEWERS = 10004;
export const ROLE_SERVICE_TEAM = 10005;

export const APPLICATION_ROLE_KEY = 'jira-software';

export const STORY_POINTS_FIELD = 'customfield_10010';
export const REVIEWER_FIELD = 'customfield_10020';

export interface FieldDef {
  id: string;
  name: string;
  custom: boolean;
  navigable: boolean;
  orderable: boolean;
  searchable: boolean;
  clauseNames: string[];
  schema?: { type: string; items?: string; system?: string; custom?: string; customId?: number };
}

function system(
  id: string,
  name: string,
  schema: FieldDef['schema'],
  opts: { navigable?: boolean; orderable?: boolean; clauseNames?: string[] } = {},
): FieldDef {
  return {
    id,
    name,
    custom: false,
    navigable: opts.navigable ?? true,
    orderable: opts.orderable ?? true,
    searchable: true,
    clauseNames: opts.clauseNames ?? [id],
    ...(schema ? { schema } : {}),
  };
}

/** The fields this simulator models, as `GET /rest/api/3/field` lists them. */
export const FIELDS: readonly FieldDef[] = [
  system('summary', 'Summary', { type: 'string', system: 'summary' }),
  system('description', 'Description', { type: 'string', system: 'description' }),
  system(
    'issuetype',
    'Issue Type',
    { type: 'issuetype', system: 'issuetype' },
    { clauseNames: ['issuetype', 'type'] },
  ),
  system('status', 'Status', { type: 'status', system: 'status' }, { orderable: false }),
  system('priority', 'Priority', { type: 'priority', system: 'priority' }),
  system('labels', 'Labels', { type: 'array', items: 'string', system: 'labels' }),
  system(
    'components',
    'Components',
    { type: 'array', items: 'component', system: 'components' },
    { clauseNames: ['component'] },
  ),
  system(
    'fixVersions',
    'Fix versions',
    { type: 'array', items: 'version', system: 'fixVersions' },
    { clauseNames: ['fixVersion'] },
  ),
  system('reporter', 'Reporter', { type: 'user', system: 'reporter' }),
  system('assignee', 'Assignee', { type: 'user', system: 'assignee' }),
  system('creator', 'Creator', { type: 'user', system: 'creator' }, { orderable: false }),
  system(
    'created',
    'Created',
    { type: 'datetime', system: 'created' },
    { orderable: false, clauseNames: ['created', 'createdDate'] },
  ),
  system(
    'updated',
    'Updated',
    { type: 'datetime', system: 'updated' },
    { orderable: false, clauseNames: ['updated', 'updatedDate'] },
  ),
  system('resolution', 'Resolution', { type: 'resolution', system: 'resolution' }),
  system(
    'resolutiondate',
    'Resolved',
    { type: 'datetime', system: 'resolutiondate' },
    { orderable: false, clauseNames: ['resolutiondate', 'resolved'] },
  ),
  system('project', 'Project', { type: 'project', system: 'project' }),
  system('parent', 'Parent', undefined, { clauseNames: ['parent'] }),
  system(
    'security',
    'Security Level',
    { type: 'securitylevel', system: 'security' },
    { clauseNames: ['level'] },
  ),
  system(
    'subtasks',
    'Sub-tasks',
    { type: 'array', items: 'issuelinks', system: 'subtasks' },
    { orderable: false, clauseNames: ['subtasks'] },
  ),
  system('comment', 'Comment', { type: 'comments-page', system: 'comment' }, { navigable: false }),
  system(
    'attachment',
    'Attachment',
    { type: 'array', items: 'attachment', system: 'attachment' },
    { clauseNames: ['attachments'] },
  ),
  {
    id: 'issuekey',
    name: 'Key',
    custom: false,
    navigable: true,
    orderable: false,
    searchable: false,
    clauseNames: ['id', 'issue', 'issuekey', 'key'],
  },
  {
    id: STORY_POINTS_FIELD,
    name: 'Story Points',
    custom: true,
    navigable: true,
    orderable: true,
    searchable: true,
    clauseNames: ['cf[10010]', 'Story Points', 'Story Points[Number]'],
    schema: {
      type: 'number',
      custom: 'com.atlassian.jira.plugin.system.customfieldtypes:float',
      customId: 10010,
    },
  },
  {
    id: REVIEWER_FIELD,
    name: 'Reviewer',
    custom: true,
    navigable: true,
    orderable: true,
    searchable: true,
    clauseNames: ['cf[10020]', 'Reviewer', 'Reviewer[User Picker (single user)]'],
    schema: {
      type: 'user',
      custom: 'com.atlassian.jira.plugin.system.customfieldtypes:userpicker',
      customId: 10020,
    },
  },
];

/** Fields that can appear in an issue's `fields` object (issuekey is a clause, not a field value). */
export const ISSUE_FIELD_IDS: readonly string[] = FIELDS.filter((f) => f.id !== 'issuekey').map((f) => f.id);
