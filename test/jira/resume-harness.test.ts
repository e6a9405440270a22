// A sync stopped after any record and resumed from the last state it emitted loses nothing.
import { jiraStreams } from '../../src/jira';
import { harnessSite, readStream } from './harness-client';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('kill and resume of the jira streams', () => {
  for (const name of ['jira_issues', 'jira_comments', 'jira_attachments']) {
    it(`${name}: stopping at random records and resuming from the last state loses nothing`, async () => {
      const site = harnessSite({
        scale: 'small',
        seed: 21,
        counts: { issues: 4000, jiraComments: 8000, jiraAttachments: 1500 },
      });
      // Small pages and several projects give checkpoints at many points of the sync.
      const stream = jiraStreams(site.deps({ page_size: { jira: 20 } })).find((s) => s.name === name)!;
      const random = rng(name.length * 7919);
      const seen = new Set<string>();
      let state: Record<string, unknown> | undefined;
      const stops: number[] = [];
      for (let run = 0; run < 50; run++) {
        // States come every 500 records and when a project completes.
        const stopAfter = 1 + Math.floor(random() * (site.harness.module.visibleIds(name)!.size / 2));
        const result = await readStream(stream, { state, stopAfterRecords: stopAfter });
        // Only what was followed by a state is safely delivered; later records may be lost with the process.
        const lastStateAt = result.events.map((e) => e.type).lastIndexOf('state');
        result.events
          .slice(0, lastStateAt + 1)
          .forEach((e) => e.type === 'record' && seen.add(e.data.id as string));
        if (lastStateAt >= 0)
          state = (result.events[lastStateAt] as { state: Record<string, unknown> }).state;
        if (result.records.length < stopAfter) break; // ran to the end
        stops.push(stopAfter);
      }
      expect(stops.length).toBeGreaterThan(1);
      expect([...site.harness.module.visibleIds(name)!].filter((id) => !seen.has(id))).toEqual([]);
    });
  }
});
