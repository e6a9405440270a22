import { matchFields } from '../../src/jira/custom-fields';
import { jiraTimeToIso, jiraTimeToMillis } from '../../src/jira/jira-time';
import { idsJql, jqlString, projectJql } from '../../src/jira/jql';
import { toIssueRecord } from '../../src/jira/issues';
import { toCommentRecord } from '../../src/jira/comments';
import { toAttachmentRecord } from '../../src/jira/attachments';
import { toProjectRecord } from '../../src/jira/projects';
import type { IssueBean } from '../../src/jira/issue-fields';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { loadSchema } from '../../src/schemas';

const site = { siteUrl: 'https://acme.atlassian.net', cloudId: 'cloud-1' };
const logger = () => {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) };
};

function validator(stream: string) {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addKeyword('airbyte_type');
  const validate = ajv.compile(loadSchema(stream));
  return (record: unknown) => {
    if (!validate(record)) throw new Error(`${stream}: ${ajv.errorsText(validate.errors)}`);
  };
}

const adf = (...content: unknown[]) => ({ version: 1, type: 'doc', content });
const para = (...content: unknown[]) => ({ type: 'paragraph', content });
const text = (t: string) => ({ type: 'text', text: t });

const issue: IssueBean = {
  id: '10042',
  key: 'ENG-7',
  fields: {
    summary: 'Fix the login',
    description: adf(
      para(text('Ask '), { type: 'mention', attrs: { id: 'acc-2', text: '@old name' } }, text(' first')),
    ),
    status: { id: '3', name: 'In Progress', statusCategory: { key: 'indeterminate' } },
    issuetype: { id: '10004', name: 'Sub-task', subtask: true },
    priority: { id: '2', name: 'High' },
    resolution: null,
    labels: ['auth'],
    components: [{ id: '100', name: 'Web' }],
    fixVersions: [{ id: '200', name: '1.0' }],
    parent: { id: '10040', key: 'ENG-5' },
    subtasks: [],
    reporter: { accountId: 'acc-1', displayName: 'Ada' },
    assignee: { accountId: 'acc-2', displayName: 'Grace Hopper' },
    creator: { accountId: 'acc-1', displayName: 'Ada' },
    created: '2026-01-31T10:15:30.123+1100',
    updated: '2026-02-01T00:00:00.000-0500',
    resolutiondate: null,
    security: { id: '10300', name: 'Staff' },
    project: { id: '10000', key: 'ENG' },
    customfield_10016: 5,
  },
};

describe('jira time', () => {
  it('reads Jira offsets without a colon as absolute instants', () => {
    expect(jiraTimeToIso('2026-01-31T10:15:30.123+1100')).toBe('2026-01-30T23:15:30.123Z');
    expect(jiraTimeToIso('2026-02-01T00:00:00.000-0500')).toBe('2026-02-01T05:00:00.000Z');
    expect(jiraTimeToMillis('2026-02-01T05:00:00Z')).toBe(Date.UTC(2026, 1, 1, 5));
    expect(jiraTimeToIso(undefined)).toBeNull();
    expect(jiraTimeToIso('yesterday')).toBeNull();
  });
});

describe('jql', () => {
  it('bounds by epoch milliseconds and orders by updated with the id tie-break', () => {
    expect(projectJql({ projectId: '10000', updatedFrom: 1767225600000.7 })).toBe(
      'project = 10000 AND updated >= 1767225600000 ORDER BY updated ASC, id ASC',
    );
    expect(projectJql({ projectId: '10000', ordered: false })).toBe('project = 10000');
  });
  it('quotes values and lists ids', () => {
    expect(jqlString('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"');
    expect(idsJql(['1', '22'])).toBe('id in (1, 22)');
    expect(() => idsJql([])).toThrow();
  });
});

describe('custom fields', () => {
  const fields = [
    { id: 'customfield_10016', name: 'Story Points' },
    { id: 'customfield_10020', name: 'Reviewer' },
    { id: 'summary', name: 'Summary' },
  ];
  it('resolves ids and names (case-insensitively) and reports unknown ones', () => {
    const log = logger();
    expect(matchFields(fields, ['story points', 'customfield_10020', 'Nope'], log)).toEqual([
      'customfield_10016',
      'customfield_10020',
    ]);
    expect(log.warnings.join()).toContain('Nope');
  });
});

describe('record mapping', () => {
  it('maps an issue to a flat record with text, people and an absolute url', () => {
    const record = toIssueRecord(issue, site, ['customfield_10016']);
    validator('jira_issues')(record);
    expect(record).toMatchObject({
      id: '10042',
      key: 'ENG-7',
      project_id: '10000',
      project_key: 'ENG',
      description_text: 'Ask @Grace Hopper first',
      status_category: 'indeterminate',
      is_subtask: true,
      parent_key: 'ENG-5',
      components: [{ id: '100', name: 'Web' }],
      reporter_account_id: 'acc-1',
      assignee_account_id: 'acc-2',
      created_at: '2026-01-30T23:15:30.123Z',
      updated_at: '2026-02-01T05:00:00.000Z',
      resolved_at: null,
      security_level_id: '10300',
      custom_fields: { customfield_10016: 5 },
      url: 'https://acme.atlassian.net/browse/ENG-7',
      cloud_id: 'cloud-1',
    });
  });

  it('maps a restricted comment with its visibility', () => {
    const record = toCommentRecord(
      {
        id: '500',
        author: { accountId: 'acc-1', displayName: 'Ada' },
        body: adf(para(text('Looks good'))),
        created: '2026-02-01T00:00:00.000+0000',
        updated: '2026-02-02T00:00:00.000+0000',
        visibility: { type: 'role', value: 'Developers', identifier: '10002' },
      },
      issue,
      site,
    );
    validator('jira_comments')(record);
    expect(record).toMatchObject({
      issue_id: '10042',
      body_text: 'Looks good',
      visibility: { type: 'role', value: 'Developers', identifier: '10002' },
      updated_at: '2026-02-02T00:00:00.000Z',
      url: 'https://acme.atlassian.net/browse/ENG-7?focusedCommentId=500',
    });
  });

  it('maps attachments and projects, and tombstones validate', () => {
    const a = toAttachmentRecord(
      {
        id: '900',
        filename: 'notes.txt',
        mimeType: 'text/plain',
        size: 12,
        created: '2026-02-01T00:00:00.000+0000',
      },
      issue,
      site,
      { error: 'too large' },
    );
    validator('jira_attachments')(a);
    expect(a).toMatchObject({
      updated_at: '2026-02-01T00:00:00.000Z',
      extraction_error: 'too large',
      text: null,
    });
    const p = toProjectRecord({ id: '10000', key: 'ENG', name: 'Engineering' }, site, {
      permission: '1',
      security: null,
    });
    validator('jira_projects')(p);
    for (const stream of ['jira_issues', 'jira_comments', 'jira_attachments']) {
      validator(stream)({
        id: '1',
        cloud_id: 'c',
        updated_at: '2026-02-01T00:00:00.000Z',
        _ab_cdc_deleted_at: '2026-02-02T00:00:00.000Z',
      });
    }
  });
});
