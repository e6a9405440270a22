// What every Jira route handler shares: the model, the access rules, and per-request rendering context.
import type { JiraAccess } from './access';
import type { AdfDoc, Mentionable } from './adf';
import type { JiraStore } from './model';
import type { RenderContext } from './render';
import type { SearchIndexLag } from './search-index';
import type { Clock, Directory, SimRequest } from './seam';

export interface JiraState {
  store: JiraStore;
  access: JiraAccess;
  directory: Directory;
  clock: Clock;
  /** Bodies written through the control API, keyed `issue:<id>` / `comment:<id>`. */
  bodies: Map<string, AdfDoc | null>;
  people: readonly Mentionable[];
  /** Optional eventual consistency of JQL search. */
  index: SearchIndexLag;
}

/** The caller's profile time zone: Jira renders dates and reads JQL date literals in it. */
export function callerTimeZone(state: JiraState, caller: string): string {
  return state.directory.userById(caller)?.timeZone ?? 'UTC';
}

export function renderContext(state: JiraState, req: SimRequest): RenderContext {
  return {
    store: state.store,
    directory: state.directory,
    siteUrl: req.siteUrl,
    timeZone: callerTimeZone(state, req.caller),
    people: state.people,
    bodies: state.bodies,
  };
}
