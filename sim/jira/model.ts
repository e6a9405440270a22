// The Jira data model of the simulator: plain records plus the indexes the routes need. Rich bodies (ADF
// descriptions and comments) are not stored; they are re-derived from `bodySeed` when a response needs them,
// which keeps memory bounded at bench scale.

export type ProjectTypeKey = 'software' | 'business' | 'service_desk' | 'product_discovery';

export interface JiraProject {
  id: string;
  key: string;
  name: string;
  typeKey: ProjectTypeKey;
  style: 'classic' | 'next-gen';
  description: string;
  leadAccountId: string;
  permissionSchemeId: number;
  /** Classic projects only; next-gen projects have no issue security. */
  securitySchemeId?: number;
  archived: boolean;
  archivedAt?: number;
  archivedBy?: string;
  componentIds: string[];
  versionIds: string[];
  issueTypeIds: string[];
  /** Next issue number for new keys (`KEY-<n>`); never reused, as in Jira. */
  nextNumber: number;
  uuid: string;
}

export interface JiraComponent {
  id: string;
  projectId: string;
  name: string;
  description: string;
}

export interface JiraVersion {
  id: string;
  projectId: string;
  name: string;
  released: boolean;
  archived: boolean;
  releaseDate?: string;
}

/** A permission holder as the permission-scheme and issue-security APIs describe it. */
export type HolderType =
  | 'anyone'
  | 'applicationRole'
  | 'group'
  | 'user'
  | 'projectRole'
  | 'reporter'
  | 'assignee'
  | 'projectLead'
  | 'userCustomField';

export interface PermissionHolder {
  type: HolderType;
  /** group: group name; user: account id; projectRole: role id; userCustomField: field id; applicationRole: key. */
  parameter?: string;
  /** group: group id; user: account id; projectRole: role id; userCustomField: field id. */
  value?: string;
}

export interface PermissionGrant {
  id: number;
  permission: string;
  holder: PermissionHolder;
}

export interface PermissionScheme {
  id: number;
  name: string;
  description: string;
  grants: PermissionGrant[];
}

export interface ProjectRoleDef {
  id: number;
  name: string;
  description: string;
}

export interface RoleActors {
  users: Set<string>;
  groups: Set<string>;
}

export interface SecurityLevelMember {
  id: number;
  holder: PermissionHolder;
}

export interface SecurityLevel {
  id: string;
  schemeId: number;
  name: string;
  description: string;
  members: SecurityLevelMember[];
}

export interface SecurityScheme {
  id: number;
  name: string;
  description: string;
  defaultLevelId?: string;
  levelIds: string[];
}

export type BodySize = 'empty' | 'normal' | 'large';

export interface JiraIssue {
  id: string;
  key: string;
  projectId: string;
  summary: string;
  issueTypeId: string;
  statusId: string;
  priorityId: string;
  labels: string[];
  componentIds: string[];
  fixVersionIds: string[];
  reporter?: string;
  assignee?: string;
  creator: string;
  created: number;
  updated: number;
  resolutionDate?: number;
  parentId?: string;
  securityLevelId?: string;
  storyPoints?: number;
  /** customfield_10020, a single user picker ("Reviewer"). */
  reviewer?: string;
  bodySeed: number;
  bodySize: BodySize;
  commentIds: string[];
  attachmentIds: string[];
}

export interface CommentVisibility {
  type: 'role' | 'group';
  /** Role name or group name. */
  value: string;
  /** Group id, or role NAME (the spec: "the ID of the group or the name of the role"). */
  identifier: string;
}

export interface JiraComment {
  id: string;
  issueId: string;
  author: string;
  updateAuthor: string;
  created: number;
  updated: number;
  visibility?: CommentVisibility;
  bodySeed: number;
  bodySize: BodySize;
}

export type AttachmentKind = 'text' | 'pdf' | 'docx';

export interface JiraAttachment {
  id: string;
  issueId: string;
  filename: string;
  mimeType: string;
  kind: AttachmentKind;
  size: number;
  created: number;
  author: string;
  bytesSeed: number;
}

/** Every Jira entity of one simulated site, with the lookups the routes and the ACL model need. */
export class JiraStore {
  readonly projects = new Map<string, JiraProject>();
  readonly components = new Map<string, JiraComponent>();
  readonly versions = new Map<string, JiraVersion>();
  readonly permissionSchemes = new Map<number, PermissionScheme>();
  readonly roles = new Map<number, ProjectRoleDef>();
  /** project id -> role id -> actors */
  readonly roleActors = new Map<string, Map<number, RoleActors>>();
  readonly securitySchemes = new Map<number, SecurityScheme>();
  readonly securityLevels = new Map<string, SecurityLevel>();
  readonly issues = new Map<string, JiraIssue>();
  readonly comments = new Map<string, JiraComment>();
  readonly attachments = new Map<string, JiraAttachment>();
  /** Global permission ADMINISTER (Administer Jira). */
  readonly jiraAdmins = new Set<string>();
  /** Global permission USER_PICKER (Browse users and groups). */
  readonly userBrowsers = new Set<string>();
  /** Accounts holding the `jira-software` application role (product access). */
  readonly applicationAccess = new Set<string>();
  private readonly issueByKey = new Map<string, string>();
  private nextIds = { issue: 10000, comment: 10000, attachment: 10000, grant: 10000, member: 10000 };
  /** Bumped by every mutation; derived caches compare against it. */
  revision = 0;

  allocateId(kind: keyof JiraStore['nextIds']): number {
    return this.nextIds[kind]++;
  }

  addIssue(issue: JiraIssue): void {
    this.issues.set(issue.id, issue);
    this.issueByKey.set(issue.key.toUpperCase(), issue.id);
    this.revision++;
  }

  rekeyIssue(issue: JiraIssue, newKey: string): void {
    // Jira keeps the old key working as an alias after a move.
    issue.key = newKey;
    this.issueByKey.set(newKey.toUpperCase(), issue.id);
    this.revision++;
  }

  removeIssue(issue: JiraIssue): void {
    this.issues.delete(issue.id);
    for (const [k, id] of this.issueByKey) if (id === issue.id) this.issueByKey.delete(k);
    this.revision++;
  }

  /** By id, or by key (case-insensitive, including keys from before a move). */
  findIssue(idOrKey: string): JiraIssue | undefined {
    if (/^\d+$/.test(idOrKey)) return this.issues.get(idOrKey);
    const id = this.issueByKey.get(idOrKey.toUpperCase());
    return id === undefined ? undefined : this.issues.get(id);
  }

  /** By id or key; project keys are case-sensitive in the REST API, but Jira accepts upper-cased input. */
  findProject(idOrKey: string): JiraProject | undefined {
    if (/^\d+$/.test(idOrKey)) return this.projects.get(idOrKey);
    for (const p of this.projects.values()) if (p.key === idOrKey.toUpperCase()) return p;
    return undefined;
  }

  private childIndex: { revision: number; byParent: Map<string, JiraIssue[]> } | undefined;

  /** Child issues (sub-tasks and epic children) by parent id, rebuilt when the data changes. */
  childrenOf(parentId: string): JiraIssue[] {
    if (!this.childIndex || this.childIndex.revision !== this.revision) {
      const byParent = new Map<string, JiraIssue[]>();
      for (const issue of this.issues.values()) {
        if (issue.parentId === undefined) continue;
        const list = byParent.get(issue.parentId) ?? [];
        list.push(issue);
        byParent.set(issue.parentId, list);
      }
      this.childIndex = { revision: this.revision, byParent };
    }
    return this.childIndex.byParent.get(parentId) ?? [];
  }

  actorsOf(projectId: string, roleId: number): RoleActors {
    let byRole = this.roleActors.get(projectId);
    if (!byRole) {
      byRole = new Map();
      this.roleActors.set(projectId, byRole);
    }
    let actors = byRole.get(roleId);
    if (!actors) {
      actors = { users: new Set(), groups: new Set() };
      byRole.set(roleId, actors);
    }
    return actors;
  }
}
