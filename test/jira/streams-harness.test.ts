import { jiraStreams } from '../../src/jira';
import { harnessSite, readStream } from './harness-client';

const byName = (deps: ReturnType<ReturnType<typeof harnessSite>['deps']>, name: string) =>
  jiraStreams(deps).find((s) => s.name === name)!;

describe('jira streams against the simulator (in-process)', () => {
  it('full read: id sets equal the ground truth', async () => {
    const site = harnessSite({ scale: 'small' });
    const deps = site.deps();
    for (const name of ['jira_projects', 'jira_issues', 'jira_comments', 'jira_attachments']) {
      const { records } = await readStream(byName(deps, name));
      const ids = new Set(records.map((r) => r.id as string));
      expect(ids.size).toBe(records.length);
      expect([...ids].sort()).toEqual([...site.harness.module.visibleIds(name)!].sort());
    }
    console.log(site.warnings);
  });
});
