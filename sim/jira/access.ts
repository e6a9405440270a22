// Who may see what, computed from the model the way Jira evaluates it: BROWSE_PROJECTS grants of the
// project's permission scheme (users, groups, project roles resolved to actors, anyone, application roles and
// the issue-relative holders), narrowed by the issue's security level, and for comments by their visibility.
import { APPLICATION_ROLE_KEY, REVIEWER_FIELD } from './catalog';
import type { JiraComment, JiraIssue, JiraProject, JiraStore, PermissionHolder } from './model';
import type { Directory } from './seam';

export const BROWSE_PROJECTS = 'BROWSE_PROJECTS';
export const ADMINISTER_PROJECTS = 'ADMINISTER_PROJECTS';

interface IssuePeople {
  reporters: Set<string>;
  assignees: Set<string>;
  reviewers: Set<string>;
}

export class JiraAccess {
  private peopleCache = new Map<string, IssuePeople>();
  private peopleRevision = -1;

  constructor(
    private readonly store: JiraStore,
    private readonly directory: Directory,
  ) {}

  /**
   * A cheap fingerprint of the directory facts that decide access (group sizes, deactivations), so caches of
   * access decisions notice the core adding or removing members. A same-size swap inside one group is not
   * noticed; caches using this also expire every simulated minute.
   */
  directorySignature(): string {
    let sum = 0;
    let i = 1;
    for (const members of this.directory.members.values()) sum = (sum + members.size * i++) >>> 0;
    let inactive = 0;
    for (const u of this.directory.users) if (!u.active) inactive++;
    return `${this.directory.users.length}:${this.directory.members.size}:${sum}:${inactive}`;
  }

  /** Deactivated accounts cannot log in, so they see nothing. */
  isActive(accountId: string): boolean {
    return this.directory.userById(accountId)?.active === true;
  }

  isJiraAdmin(accountId: string): boolean {
    return this.isActive(accountId) && this.store.jiraAdmins.has(accountId);
  }

  canBrowseUsers(accountId: string): boolean {
    return (
      this.isActive(accountId) && (this.store.userBrowsers.has(accountId) || this.isJiraAdmin(accountId))
    );
  }

  isRoleMember(accountId: string, projectId: string, roleId: number): boolean {
    const actors = this.store.roleActors.get(projectId)?.get(roleId);
    if (!actors) return false;
    if (actors.users.has(accountId)) return true;
    const groups = this.directory.groupsOf(accountId);
    for (const g of actors.groups) if (groups.has(g)) return true;
    return false;
  }

  /**
   * Does `holder` include the account? With an issue, issue-relative holders are evaluated on it; without
   * one they match when the account holds that role on any issue of the project (Jira's project context).
   */
  holderMatches(
    accountId: string,
    holder: PermissionHolder,
    project: JiraProject,
    issue?: JiraIssue,
  ): boolean {
    switch (holder.type) {
      case 'anyone':
        return true;
      case 'applicationRole':
        // No parameter means "any application access".
        return (
          this.store.applicationAccess.has(accountId) &&
          (holder.parameter === undefined || holder.parameter === APPLICATION_ROLE_KEY)
        );
      case 'group':
        return holder.value !== undefined && this.directory.groupsOf(accountId).has(holder.value);
      case 'user':
        return holder.value === accountId;
      case 'projectRole':
        return holder.value !== undefined && this.isRoleMember(accountId, project.id, Number(holder.value));
      case 'projectLead':
        return project.leadAccountId === accountId;
      case 'reporter':
        return issue ? issue.reporter === accountId : this.people(project.id).reporters.has(accountId);
      case 'assignee':
        return issue ? issue.assignee === accountId : this.people(project.id).assignees.has(accountId);
      case 'userCustomField':
        if (holder.value !== REVIEWER_FIELD) return false;
        return issue ? issue.reviewer === accountId : this.people(project.id).reviewers.has(accountId);
    }
  }

  hasProjectPermission(
    accountId: string,
    project: JiraProject,
    permission: string,
    issue?: JiraIssue,
  ): boolean {
    if (!this.isActive(accountId)) return false;
    const scheme = this.store.permissionSchemes.get(project.permissionSchemeId);
    if (!scheme) return false;
    return scheme.grants.some(
      (g) => g.permission === permission && this.holderMatches(accountId, g.holder, project, issue),
    );
  }

  /** Listed by project/search and readable by GET project: browse, administer projects, or Jira admin. */
  canViewProject(accountId: string, project: JiraProject): boolean {
    return (
      this.hasProjectPermission(accountId, project, BROWSE_PROJECTS) ||
      this.hasProjectPermission(accountId, project, ADMINISTER_PROJECTS) ||
      this.isJiraAdmin(accountId)
    );
  }

  canAdministerProject(accountId: string, project: JiraProject): boolean {
    return this.isJiraAdmin(accountId) || this.hasProjectPermission(accountId, project, ADMINISTER_PROJECTS);
  }

  securityLevelAllows(accountId: string, issue: JiraIssue, project: JiraProject): boolean {
    if (issue.securityLevelId === undefined) return true;
    const level = this.store.securityLevels.get(issue.securityLevelId);
    if (!level) return false;
    return level.members.some((m) => this.holderMatches(accountId, m.holder, project, issue));
  }

  /** Can the account open the issue (GET issue)? Archived projects are read-only and open to Jira admins only. */
  canOpenIssue(accountId: string, issue: JiraIssue): boolean {
    const project = this.store.projects.get(issue.projectId);
    if (!project) return false;
    if (project.archived && !this.isJiraAdmin(accountId)) return false;
    return (
      this.hasProjectPermission(accountId, project, BROWSE_PROJECTS, issue) &&
      this.securityLevelAllows(accountId, issue, project)
    );
  }

  /** Does JQL search return the issue to the account? Archived issues are not in the search index. */
  canSearchIssue(accountId: string, issue: JiraIssue): boolean {
    const project = this.store.projects.get(issue.projectId);
    return project !== undefined && !project.archived && this.canOpenIssue(accountId, issue);
  }

  /** Visibility narrows a comment to members of a project role or of a group. */
  commentVisibilityAllows(accountId: string, comment: JiraComment, issue: JiraIssue): boolean {
    const v = comment.visibility;
    if (!v) return true;
    if (v.type === 'group') return this.directory.groupsOf(accountId).has(v.identifier);
    // Role visibility names the role (identifier and value are both the role name).
    for (const role of this.store.roles.values()) {
      if (role.name === v.identifier) return this.isRoleMember(accountId, issue.projectId, role.id);
    }
    return false;
  }

  canSeeComment(accountId: string, comment: JiraComment): boolean {
    const issue = this.store.issues.get(comment.issueId);
    return (
      issue !== undefined &&
      this.canOpenIssue(accountId, issue) &&
      this.commentVisibilityAllows(accountId, comment, issue)
    );
  }

  private people(projectId: string): IssuePeople {
    if (this.peopleRevision !== this.store.revision) {
      this.peopleCache.clear();
      this.peopleRevision = this.store.revision;
    }
    let p = this.peopleCache.get(projectId);
    if (!p) {
      p = { reporters: new Set(), assignees: new Set(), reviewers: new Set() };
      for (const issue of this.store.issues.values()) {
        if (issue.projectId !== projectId) continue;
        if (issue.reporter) p.reporters.add(issue.reporter);
        if (issue.assignee) p.assignees.add(issue.assignee);
        if (issue.reviewer) p.reviewers.add(issue.reviewer);
      }
      this.peopleCache.set(projectId, p);
    }
    return p;
  }
}
