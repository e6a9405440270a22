// document_permissions' `document_type` → the kind the simulator's `truth.canSee` takes.
export const SIM_KIND_OF_DOCUMENT: Readonly<Record<string, string>> = {
  confluence_page: 'page',
  confluence_blogpost: 'blogpost',
  confluence_comment: 'comment',
  confluence_attachment: 'attachment',
  jira_issue: 'jira_issue',
  jira_comment: 'jira_comment',
  jira_attachment: 'jira_attachment',
};
