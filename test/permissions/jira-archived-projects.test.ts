// With include_archived_projects, the permission streams list archived projects too. Jira's project search
// takes `status` as an array (repeated keys, per the OpenAPI spec): a comma-joined value names no status.
import { startSimulator, type Simulator } from '../../sim';
import type { JiraStore } from '../../sim/jira/model';
import { loadSchema } from '../../src/schemas';
import { records, runConnector } from '../helpers/run-connector';

const catalog = (names: string[]) => ({
  streams: names.map((name) => ({
    stream: { name, json_schema: loadSchema(name), supported_sync_modes: ['full_refresh'] },
    sync_mode: 'full_refresh',
    destination_sync_mode: 'overwrite',
  })),
});

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scale: 'tiny', seed: 3 });
});
afterAll(() => sim.close());

test('jira_project_permissions lists the grants of archived projects when they are included', async () => {
  const store = sim.model.jira as JiraStore;
  // An archived project (archived directly in the store: the connector only reads).
  const archived = [...store.projects.values()].at(-1)!;
  archived.archived = true;
  const config = sim.connectorConfig({
    confluence: { enabled: false },
    jira: { include_archived_projects: true },
  });
  const run = await runConnector(['read'], { config, catalog: catalog(['jira_project_permissions']) });
  expect(run.exitCode).toBe(0);
  const projects = new Set(records(run.messages, 'jira_project_permissions').map((r) => r.project_id));
  expect(projects).toContain(archived!.id);
});
