// Mutations for tests, between syncs. Each takes one options object (the core also exposes them over HTTP
// as JSON). Edits stamp `updated` with the core clock's next tick, as Jira does for any field change, a new,
// edited or deleted comment, and an added or removed attachment. Permission changes stamp nothing.
import { adfFromText } from './adf';
import { attachmentBytes, EXTENSIONS, MIME_TYPES } from './attachment-bytes';
import { ISSUE_TYPES, STATUSES, SUBTASK_TYPE_ID } from './catalog';
import type { AttachmentKind, CommentVisibility, JiraIssue, JiraProject, PermissionHolder } from './model';
import type { JiraState } from './state';

export interface JiraControl {
  createIssue(o: CreateIssue): { id: string; key: string };
  updateIssue(o: { issue: string } & IssueEdit): { id: string; key: string; updated: number };
  deleteIssue(o: { issue: string }): { deleted: string[] };
  moveIssue(o: { issue: string; toProjectKey: string }): { id: string; key: string };
  setSecurityLevel(o: { issue: string; levelId: string | null }): { id: string };
  addComment(o: { issue: string; author?: string; body?: string; visibility?: CommentVisibility }): {
    id: string;
  };
  updateComment(o: { commentId: string; body?: string; visibility?: CommentVisibility | null }): {
    id: string;
  };
  deleteComment(o: { commentId: string }): { id: string };
  addAttachment(o: { issue: string; kind?: AttachmentKind; filename?: string; author?: string }): {
    id: string;
  };
  deleteAttachment(o: { attachmentId: string }): { id: string };
  setPermissionGrant(o: {
    schemeId: number;
    permission: string;
    holder: PermissionHolder;
    granted: boolean;
  }): {
    grantIds: number[];
  };
  addRoleActor(o: { project: string; roleId: number; accountId?: string; groupId?: string }): void;
  removeRoleActor(o: { project: string; roleId: number; accountId?: string; groupId?: string }): void;
  archiveProject(o: { project: string; archived?: boolean }): void;
  setJiraAdmin(o: { accountId: string; admin: boolean }): void;
  /** Eventual consistency of search: changes reach JQL results `ms` after they happen (0 = at once). */
  setSearchIndexLag(o: { ms: number }): void;
}

export interface IssueEdit {
  summary?: string;
  description?: string | null;
  statusId?: string;
  assignee?: string | null;
  reporter?: string | null;
  reviewer?: string | null;
  labels?: string[];
  storyPoints?: number | null;
}

export interface CreateIssue extends IssueEdit {
  projectKey: string;
  summary: string;
  issueTypeId?: string;
  parent?: string;
  securityLevelId?: string;
}

export class ControlError extends Error {}

export function createJiraControl(state: JiraState): JiraControl {
  const { store, clock } = state;
  const issueOf = (idOrKey: string): JiraIssue => {
    const issue = store.findIssue(idOrKey);
    if (!issue) throw new ControlError(`no issue ${idOrKey}`);
    return issue;
  };
  const projectOf = (idOrKey: string): JiraProject => {
    const project = store.findProject(idOrKey);
    if (!project) throw new ControlError(`no project ${idOrKey}`);
    return project;
  };
  const touch = (issue: JiraIssue): number => {
    state.index.updating(issue, clock.now());
    issue.updated = clock.tick();
    store.revision++;
    return issue.updated;
  };
  const applyEdit = (issue: JiraIssue, edit: IssueEdit): void => {
    if (edit.summary !== undefined) issue.summary = edit.summary;
    if (edit.description !== undefined) {
      state.bodies.set(`issue:${issue.id}`, edit.description === null ? null : adfFromText(edit.description));
    }
    if (edit.statusId !== undefined) {
      const status = STATUSES.find((s) => s.id === edit.statusId);
      if (!status) throw new ControlError(`no status ${edit.statusId}`);
      issue.statusId = status.id;
      if (status.categoryId === 3) issue.resolutionDate = clock.now();
      else delete issue.resolutionDate;
    }
    const person = (key: 'assignee' | 'reporter' | 'reviewer'): void => {
      const v = edit[key];
      if (v === undefined) return;
      if (v === null) delete issue[key];
      else issue[key] = v;
    };
    person('assignee');
    person('reporter');
    person('reviewer');
    if (edit.labels !== undefined) issue.labels = [...edit.labels];
    if (edit.storyPoints !== undefined) {
      if (edit.storyPoints === null) delete issue.storyPoints;
      else issue.storyPoints = edit.storyPoints;
    }
  };
  const removeIssue = (issue: JiraIssue, deleted: string[]): void => {
    // Sub-tasks go with their parent; other children (an epic's stories) survive without the link, as in Jira.
    for (const child of [...store.childrenOf(issue.id)]) {
      if (child.issueTypeId === SUBTASK_TYPE_ID) removeIssue(child, deleted);
      else delete child.parentId;
    }
    for (const id of issue.commentIds) store.comments.delete(id);
    for (const id of issue.attachmentIds) store.attachments.delete(id);
    store.removeIssue(issue);
    deleted.push(issue.id);
  };

  return {
    createIssue(o) {
      const project = projectOf(o.projectKey);
      const now = clock.tick();
      const typeId = o.issueTypeId ?? project.issueTypeIds.find((t) => t !== SUBTASK_TYPE_ID)!;
      if (!ISSUE_TYPES.some((t) => t.id === typeId)) throw new ControlError(`no issue type ${typeId}`);
      const parent = o.parent !== undefined ? issueOf(o.parent) : undefined;
      const creator = o.reporter ?? state.directory.serviceAccount.accountId;
      const issue: JiraIssue = {
        id: String(store.allocateId('issue')),
        key: `${project.key}-${project.nextNumber++}`,
        projectId: project.id,
        summary: o.summary,
        issueTypeId: typeId,
        statusId: STATUSES[0]!.id,
        priorityId: '3',
        labels: [],
        componentIds: [],
        fixVersionIds: [],
        creator,
        created: now,
        updated: now,
        ...(parent ? { parentId: parent.id } : {}),
        ...(o.securityLevelId !== undefined ? { securityLevelId: o.securityLevelId } : {}),
        bodySeed: 0,
        bodySize: 'empty',
        commentIds: [],
        attachmentIds: [],
      };
      applyEdit(issue, { reporter: creator, ...o, summary: o.summary });
      store.addIssue(issue);
      state.index.created(issue, now);
      return { id: issue.id, key: issue.key };
    },
    updateIssue(o) {
      const issue = issueOf(o.issue);
      applyEdit(issue, o);
      return { id: issue.id, key: issue.key, updated: touch(issue) };
    },
    deleteIssue(o) {
      const deleted: string[] = [];
      removeIssue(issueOf(o.issue), deleted);
      return { deleted };
    },
    moveIssue(o) {
      const issue = issueOf(o.issue);
      const target = projectOf(o.toProjectKey);
      if (target.id === issue.projectId) return { id: issue.id, key: issue.key };
      issue.projectId = target.id;
      store.rekeyIssue(issue, `${target.key}-${target.nextNumber++}`);
      // The level belongs to the old project's scheme; Jira asks for a new one, the simulator drops it.
      const level =
        issue.securityLevelId !== undefined ? store.securityLevels.get(issue.securityLevelId) : undefined;
      if (level && level.schemeId !== target.securitySchemeId) delete issue.securityLevelId;
      issue.componentIds = [];
      issue.fixVersionIds = [];
      touch(issue);
      return { id: issue.id, key: issue.key };
    },
    setSecurityLevel(o) {
      const issue = issueOf(o.issue);
      if (o.levelId === null) delete issue.securityLevelId;
      else {
        if (!store.securityLevels.has(o.levelId)) throw new ControlError(`no security level ${o.levelId}`);
        issue.securityLevelId = o.levelId;
      }
      touch(issue);
      return { id: issue.id };
    },
    addComment(o) {
      const issue = issueOf(o.issue);
      const now = clock.tick();
      const id = String(store.allocateId('comment'));
      const author = o.author ?? state.directory.serviceAccount.accountId;
      store.comments.set(id, {
        id,
        issueId: issue.id,
        author,
        updateAuthor: author,
        created: now,
        updated: now,
        ...(o.visibility ? { visibility: { ...o.visibility } } : {}),
        bodySeed: 0,
        bodySize: 'normal',
      });
      state.bodies.set(`comment:${id}`, adfFromText(o.body ?? 'A new comment.'));
      issue.commentIds.push(id);
      state.index.updating(issue, now);
      issue.updated = now;
      store.revision++;
      return { id };
    },
    updateComment(o) {
      const comment = store.comments.get(o.commentId);
      if (!comment) throw new ControlError(`no comment ${o.commentId}`);
      if (o.body !== undefined) state.bodies.set(`comment:${comment.id}`, adfFromText(o.body));
      if (o.visibility === null) delete comment.visibility;
      else if (o.visibility !== undefined) comment.visibility = { ...o.visibility };
      const issue = issueOf(comment.issueId);
      comment.updated = touch(issue);
      return { id: comment.id };
    },
    deleteComment(o) {
      const comment = store.comments.get(o.commentId);
      if (!comment) throw new ControlError(`no comment ${o.commentId}`);
      const issue = issueOf(comment.issueId);
      store.comments.delete(comment.id);
      state.bodies.delete(`comment:${comment.id}`);
      issue.commentIds = issue.commentIds.filter((id) => id !== comment.id);
      touch(issue);
      return { id: comment.id };
    },
    addAttachment(o) {
      const issue = issueOf(o.issue);
      const kind = o.kind ?? 'text';
      const now = clock.tick();
      const id = String(store.allocateId('attachment'));
      const bytesSeed = Number(id);
      store.attachments.set(id, {
        id,
        issueId: issue.id,
        filename: o.filename ?? `added-${id}.${EXTENSIONS[kind]}`,
        mimeType: MIME_TYPES[kind],
        kind,
        size: attachmentBytes(kind, bytesSeed).length,
        created: now,
        author: o.author ?? state.directory.serviceAccount.accountId,
        bytesSeed,
      });
      issue.attachmentIds.push(id);
      state.index.updating(issue, now);
      issue.updated = now;
      store.revision++;
      return { id };
    },
    deleteAttachment(o) {
      const att = store.attachments.get(o.attachmentId);
      if (!att) throw new ControlError(`no attachment ${o.attachmentId}`);
      const issue = issueOf(att.issueId);
      store.attachments.delete(att.id);
      issue.attachmentIds = issue.attachmentIds.filter((id) => id !== att.id);
      touch(issue);
      return { id: att.id };
    },
    setPermissionGrant(o) {
      const scheme = store.permissionSchemes.get(o.schemeId);
      if (!scheme) throw new ControlError(`no permission scheme ${o.schemeId}`);
      const same = (h: PermissionHolder): boolean =>
        h.type === o.holder.type && (h.value ?? h.parameter) === (o.holder.value ?? o.holder.parameter);
      if (o.granted) {
        const existing = scheme.grants.filter((g) => g.permission === o.permission && same(g.holder));
        if (existing.length === 0) {
          scheme.grants.push({
            id: store.allocateId('grant'),
            permission: o.permission,
            holder: { ...o.holder },
          });
        }
      } else {
        scheme.grants = scheme.grants.filter((g) => !(g.permission === o.permission && same(g.holder)));
      }
      store.revision++;
      return {
        grantIds: scheme.grants
          .filter((g) => g.permission === o.permission && same(g.holder))
          .map((g) => g.id),
      };
    },
    addRoleActor(o) {
      const actors = store.actorsOf(projectOf(o.project).id, o.roleId);
      if (o.accountId) actors.users.add(o.accountId);
      if (o.groupId) actors.groups.add(o.groupId);
      store.revision++;
    },
    removeRoleActor(o) {
      const actors = store.actorsOf(projectOf(o.project).id, o.roleId);
      if (o.accountId) actors.users.delete(o.accountId);
      if (o.groupId) actors.groups.delete(o.groupId);
      store.revision++;
    },
    archiveProject(o) {
      const project = projectOf(o.project);
      const archived = o.archived ?? true;
      project.archived = archived;
      if (archived) {
        project.archivedAt = clock.tick();
        project.archivedBy = state.directory.serviceAccount.accountId;
      } else {
        delete project.archivedAt;
        delete project.archivedBy;
      }
      store.revision++;
    },
    setSearchIndexLag(o) {
      state.index.setLag(o.ms);
    },
    setJiraAdmin(o) {
      if (o.admin) store.jiraAdmins.add(o.accountId);
      else store.jiraAdmins.delete(o.accountId);
      store.revision++;
    },
  };
}
