// Requests per 1,000 records of each Jira stream on a full read, next to the API minimum (no N+1).
import { jiraStreams } from '../../src/jira';
import { apiMinimumPer1000, requestCost } from '../../src/jira/request-cost';
import { harnessSite, readStream } from './harness-client';

describe('request cost of the jira streams', () => {
  it('stays within twice the API minimum per 1,000 records on a full read, and only reads', async () => {
    const rows: string[] = [];
    for (const name of ['jira_projects', 'jira_issues', 'jira_comments', 'jira_attachments'] as const) {
      const site = harnessSite({ scale: 'small', seed: 11 });
      const stream = jiraStreams(site.deps()).find((s) => s.name === name)!;
      const { records } = await readStream(stream, { syncMode: 'full_refresh' });
      const cost = requestCost(site.requests, records.length);
      const issues = site.harness.module.visibleIds('jira_issues')!.size;
      const projects = site.harness.module.visibleIds('jira_projects')!.size;
      // Files whose text was extracted (or tried) had to be downloaded: one request each.
      const downloads = records.filter(
        (r) => r.text != null || (r.extraction_error && !/too large/.test(String(r.extraction_error))),
      ).length;
      const minimum = apiMinimumPer1000(name, { projects, issues, records: records.length, downloads });
      rows.push(
        `${name.padEnd(17)} records ${String(records.length).padStart(5)}  requests ${String(cost.requests).padStart(4)}` +
          `  per 1,000: ${cost.per1000.toFixed(1).padStart(6)}  API minimum: ${minimum.toFixed(1).padStart(6)}  ${JSON.stringify(cost.byEndpoint)}`,
      );
      expect(cost.per1000).toBeLessThanOrEqual(2 * minimum);
      // Read-only: GETs, and POSTs only to the search endpoints.
      for (const r of site.requests) {
        if (r.method !== 'GET')
          expect(['/rest/api/3/search/jql', '/rest/api/3/search/approximate-count']).toContain(r.path);
      }
    }
    console.log(rows.join('\n'));
  });
});
