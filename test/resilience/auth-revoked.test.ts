// The service account's token is rotated while a sync runs (an admin revoking it): every later request gets
// the gateway's 401. The sync must stop with a config_error, exit non-zero, and checkpoint what it emitted.
import { startSimulator, type Simulator } from '../../sim';
import type { AirbyteMessage, AirbyteStream } from '../../src/generated/protocol';
import { runConnector, statesAsInput } from '../helpers/run-connector';
import {
  discoverStreams,
  expectedIds,
  fullRefreshCatalog,
  idsOf,
  incrementalCatalog,
  keySet,
  leakedSecrets,
  secretsOf,
  sorted,
  writes,
} from './helpers';

/** The whole catalog: incremental where the stream supports it, full refresh otherwise. */
function mixedCatalog(streams: AirbyteStream[]) {
  const incremental = incrementalCatalog(streams).streams;
  const rest = fullRefreshCatalog(streams).streams.filter(
    (s) => !incremental.some((i) => i.stream.name === s.stream.name),
  );
  return { streams: [...incremental, ...rest] };
}

const indexOfLast = (messages: AirbyteMessage[], match: (m: AirbyteMessage) => boolean) =>
  messages.map((m) => match(m)).lastIndexOf(true);

describe('a credential revoked mid-sync', () => {
  let sim: Simulator;
  afterAll(() => sim?.close());

  it('ends with a config_error, a non-zero exit and a state covering every record emitted', async () => {
    sim = await startSimulator({ scale: 'small', seed: 13 });
    const secrets = secretsOf(sim);
    const original = sim.credentials.serviceAccountToken;
    const config = sim.connectorConfig({ confluence: { include_archived_spaces: true } });
    const streams = await discoverStreams(config);
    const catalog = mixedCatalog(streams);
    sim.clearRequests();

    // The simulator checks every request against `sim.credentials`: changing the token there revokes ours.
    const revokeAfter = 150;
    const watcher = setInterval(() => {
      if (sim.requests().length < revokeAfter) return;
      sim.credentials.serviceAccountToken = `ATSTT3xrotated${Date.now()}`;
      clearInterval(watcher);
    }, 5);
    const run = await runConnector(['read'], { config, catalog }).finally(() => clearInterval(watcher));
    secrets.push(...secretsOf(sim));

    expect(sim.credentials.serviceAccountToken).not.toBe(original); // the revocation happened mid-run
    expect(sim.requests().some((r) => r.status === 401)).toBe(true);
    expect(run.exitCode).not.toBe(0);
    const errors = run.messages.filter((m) => m.trace?.type === 'ERROR').map((m) => m.trace!.error!);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.failure_type)).toContain('config_error');
    expect(errors.find((e) => e.failure_type === 'config_error')!.message).toMatch(/401|credential|token/i);
    // Some records came through before the revocation, so there is something to checkpoint.
    expect(run.messages.some((m) => m.type === 'RECORD')).toBe(true);

    // Every incremental stream that emitted records has a STATE after its last record.
    const incremental = incrementalCatalog(streams).streams.map((s) => s.stream.name);
    for (const name of incremental) {
      const lastRecord = indexOfLast(run.messages, (m) => m.record?.stream === name);
      if (lastRecord < 0) continue;
      const lastState = indexOfLast(run.messages, (m) => m.state?.stream?.stream_descriptor.name === name);
      expect({ stream: name, stateAfterLastRecord: lastState > lastRecord }).toEqual({
        stream: name,
        stateAfterLastRecord: true,
      });
    }

    // With the token restored, resuming from that state completes the sync without a gap.
    sim.credentials.serviceAccountToken = original;
    const resumed = await runConnector(['read'], { config, catalog, state: statesAsInput(run.messages) });
    expect(resumed.exitCode).toBe(0);
    // Streams without an id-level truth (composite permission rows) are compared with a fault-free sync.
    const reference = await runConnector(['read'], { config, catalog });
    expect(reference.exitCode).toBe(0);
    for (const stream of streams.filter((s) => incremental.includes(s.name))) {
      const truth = expectedIds(sim, stream.name);
      const found = (messages: AirbyteMessage[]) =>
        truth ? idsOf(stream, messages) : keySet(stream, messages);
      const union = new Set([...found(run.messages), ...found(resumed.messages)]);
      expect({ stream: stream.name, ids: sorted(union) }).toEqual({
        stream: stream.name,
        ids: sorted(truth ?? found(reference.messages)),
      });
    }

    expect(writes(sim)).toEqual([]);
    expect(leakedSecrets(secrets, [run, resumed, reference])).toEqual([]);
  }, 120_000);
});
