// A sync killed at random record counts and resumed from its last STATE each time loses nothing.
// Runs the built connector as a child process (`npm run build` first; `npm test` does it).
import { startSimulator } from '../../sim';
import { spawnConnector, statesAsInput } from '../helpers/run-connector';
import { catalog, CONTENT, expectedIds } from './helpers';

it('a sync killed at random points and resumed from its last state loses nothing', async () => {
  const sim = await startSimulator({
    scale: { spaces: 6, pages: 1200, blogposts: 300, comments: 1500, attachments: 200 },
    seed: 29,
  });
  try {
    const config = sim.connectorConfig({
      jira: { enabled: false },
      attachments: { extract_text: false },
      max_concurrency: 2,
    });
    const seen = new Map<string, Set<string>>(CONTENT.map((s) => [s, new Set()]));
    let state: unknown[] | undefined;
    let random = 4242;
    let kills = 0;
    for (let run = 0; run < 40; run++) {
      random = (random * 1103515245 + 12345) % 2 ** 31;
      const killAfter = 50 + (random % 900);
      const result = await spawnConnector(
        ['read'],
        { config, catalog: catalog(CONTENT, 'incremental'), ...(state ? { state } : {}) },
        { killAfterRecords: killAfter },
      );
      // Records after the last STATE may die with the process: only those before it count.
      const last = result.messages.map((m) => m.type).lastIndexOf('STATE');
      for (const m of result.messages.slice(0, last + 1)) {
        if (m.type === 'RECORD' && m.record && !m.record.data._ab_cdc_deleted_at) {
          seen.get(m.record.stream)?.add(m.record.data.id as string);
        }
      }
      if (last >= 0) state = statesAsInput(result.messages.slice(0, last + 1));
      if (result.signal === null) {
        expect(result.exitCode).toBe(0);
        break;
      }
      kills++;
    }
    expect(kills).toBeGreaterThan(2);
    for (const name of CONTENT) {
      expect([name, [...expectedIds(sim, name)].filter((id) => !seen.get(name)!.has(id))]).toEqual([
        name,
        [],
      ]);
    }
  } finally {
    await sim.close();
  }
}, 300_000);
