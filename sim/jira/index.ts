// The Jira product module of the simulator: seeded model, REST routes under /rest/api/3, ground truth for
// tests (what the service account may see), and the control API.
import { JiraAccess } from './access';
import { createJiraControl, type JiraControl } from './control';
import { digestStore } from './digest';
import { generateJira } from './generate';
import { registerCommentRoutes } from './routes-comments';
import { registerMetaRoutes } from './routes-meta';
import { registerProjectRoutes } from './routes-projects';
import { registerSearchRoutes } from './routes-search';
import { registerUserRoutes } from './routes-users';
import { SearchIndexLag } from './search-index';
import type { ProductContext, ProductModule } from './seam';
import type { JiraState } from './state';
import type { JiraStore } from './model';

export type { JiraControl } from './control';

export interface JiraModule extends ProductModule {
  control: JiraControl;
  /** The live model, read-only by convention: tests use it to pick fixtures (mutate only via `control`). */
  model: JiraStore;
}

export function createJiraModule(ctx: ProductContext): JiraModule {
  const store = generateJira({
    rng: ctx.rng.fork('jira'),
    directory: ctx.directory,
    counts: ctx.counts,
    epoch: ctx.clock.epoch,
  });
  const access = new JiraAccess(store, ctx.directory);
  const state: JiraState = {
    store,
    access,
    directory: ctx.directory,
    clock: ctx.clock,
    bodies: new Map(),
    people: ctx.directory.users
      .filter((u) => u.active && u.accountType === 'atlassian')
      .slice(0, 30)
      .map((u) => ({ accountId: u.accountId, displayName: u.displayName })),
    index: new SearchIndexLag(),
  };
  const sa = (): string => ctx.directory.serviceAccount.accountId;

  const visibleIds = (stream: string): Set<string> | undefined => {
    const ids = new Set<string>();
    switch (stream) {
      case 'jira_projects':
        for (const p of store.projects.values())
          if (!p.archived && access.canViewProject(sa(), p)) ids.add(p.id);
        return ids;
      case 'jira_issues':
        for (const i of store.issues.values()) if (access.canSearchIssue(sa(), i)) ids.add(i.id);
        return ids;
      case 'jira_comments':
        for (const c of store.comments.values()) {
          const issue = store.issues.get(c.issueId);
          if (issue && access.canSearchIssue(sa(), issue) && access.commentVisibilityAllows(sa(), c, issue))
            ids.add(c.id);
        }
        return ids;
      case 'jira_attachments':
        for (const a of store.attachments.values()) {
          const issue = store.issues.get(a.issueId);
          if (issue && access.canSearchIssue(sa(), issue)) ids.add(a.id);
        }
        return ids;
      default:
        return undefined;
    }
  };

  const canSee = (accountId: string, kind: string, id: string): boolean | undefined => {
    switch (kind) {
      case 'issue':
      case 'jira_issue': {
        const issue = store.findIssue(id);
        return issue !== undefined && access.canOpenIssue(accountId, issue);
      }
      case 'jira_comment': {
        const comment = store.comments.get(id);
        return comment !== undefined && access.canSeeComment(accountId, comment);
      }
      case 'jira_attachment': {
        const att = store.attachments.get(id);
        const issue = att ? store.issues.get(att.issueId) : undefined;
        return issue !== undefined && access.canOpenIssue(accountId, issue);
      }
      case 'jira_project': {
        const project = store.findProject(id);
        return project !== undefined && access.canViewProject(accountId, project);
      }
      default:
        return undefined;
    }
  };

  return {
    register(routes) {
      registerMetaRoutes(routes, state);
      registerSearchRoutes(routes, state);
      registerCommentRoutes(routes, state);
      registerProjectRoutes(routes, state);
      registerUserRoutes(routes, state);
    },
    visibleIds,
    canSee,
    control: createJiraControl(state),
    digest: () => digestStore(store),
    model: store,
  };
}
