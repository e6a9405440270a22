// Ten SIGKILLs at seeded random points of an incremental sync, each followed by a resume from the last
// STATE the killed process emitted, lose nothing: what a destination committed across all runs is the truth.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../sim';
import { createRng } from '../../sim/core/rng';
import type { AirbyteMessage, AirbyteStream } from '../../src/generated/protocol';
import { runConnector, spawnConnector, statesAsInput, type SpawnedRun } from '../helpers/run-connector';
import {
  discoverStreams,
  expectedIds,
  idsOf,
  incrementalCatalog,
  keySet,
  leakedSecrets,
  secretsOf,
  sorted,
  writes,
} from './helpers';

const KILLS = 10;

describe('a sync killed ten times and resumed each time', () => {
  let sim: Simulator;
  afterAll(() => sim?.close());

  it('loses no record of any incremental stream', async () => {
    if (!existsSync(join(__dirname, '../../dist/src/main.js'))) {
      throw new Error('dist/src/main.js is missing: run `npm run build` (npm test does) first');
    }
    sim = await startSimulator({ scale: 'small', seed: 11 });
    const config = sim.connectorConfig({ confluence: { include_archived_spaces: true } });
    const streams: AirbyteStream[] = (await discoverStreams(config)).filter((s) =>
      s.supported_sync_modes.includes('incremental'),
    );
    expect(streams.length).toBeGreaterThan(0);
    const catalog = incrementalCatalog(streams);
    const committed = new Map<string, Set<string>>(streams.map((s) => [s.name, new Set()]));
    // Streams with an id-level truth are compared by id; the others (composite permission rows) by key
    // against a fault-free sync.
    const reference = await runConnector(['read'], { config, catalog });
    expect(reference.exitCode).toBe(0);
    const expected = new Map(
      streams.map((s) => {
        const truth = expectedIds(sim, s.name);
        return [s.name, truth ? new Set(truth) : keySet(s, reference.messages)];
      }),
    );
    const commit = (messages: AirbyteMessage[]) => {
      for (const stream of streams) {
        const found = expectedIds(sim, stream.name) ? idsOf(stream, messages) : keySet(stream, messages);
        for (const id of found) committed.get(stream.name)!.add(id);
      }
    };
    const random = createRng(11).fork('kill-points');
    const runs: SpawnedRun[] = [];
    let state: unknown[] | undefined;
    let kills = 0;
    for (let attempt = 0; kills < KILLS && attempt < 3 * KILLS; attempt++) {
      // A small site has ~2,600 incremental records; states come every 1,000 records and per finished partition.
      const killAfter = random.int(1, 600);
      const run = await spawnConnector(
        ['read'],
        { config, catalog, ...(state ? { state } : {}) },
        { killAfterRecords: killAfter },
      );
      runs.push(run);
      // A destination keeps only what a STATE covers: records after the last one die with the process.
      const lastState = run.messages.map((m) => m.type).lastIndexOf('STATE');
      const covered = run.messages.slice(0, lastState + 1);
      commit(covered);
      if (lastState >= 0) state = statesAsInput(covered);
      if (run.signal === 'SIGKILL') kills++;
      else expect(run.exitCode).toBe(0);
    }
    expect(kills).toBe(KILLS);

    const last = await spawnConnector(['read'], { config, catalog, ...(state ? { state } : {}) });
    runs.push(last);
    expect(last.exitCode).toBe(0);
    commit(last.messages);

    for (const stream of streams) {
      const want = expected.get(stream.name)!;
      const lost = [...want].filter((id) => !committed.get(stream.name)!.has(id));
      expect({ stream: stream.name, lost }).toEqual({ stream: stream.name, lost: [] });
      expect({ stream: stream.name, ids: sorted(committed.get(stream.name)!) }).toEqual({
        stream: stream.name,
        ids: sorted(want),
      });
    }
    expect(writes(sim)).toEqual([]);
    expect(leakedSecrets(secretsOf(sim), [...runs, reference])).toEqual([]);
  }, 150_000);
});
