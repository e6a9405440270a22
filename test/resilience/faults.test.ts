// A full sync through every transient fault at once ends with exactly the ground truth.
// 429s come from a proxy (a fixed 20% share, Retry-After alternating delta-seconds and HTTP-date); 5xx,
// connection resets and slow responses from the simulator's own knobs. The simulator's limiter cannot give
// a fixed share (it answers 429 only above a request rate, which the connector's pacing stays under) and
// asks for at least one second; the proxy asks for none (`0`, or an HTTP-date already past), so the suite
// measures recovery, not waiting. Each 429 still pauses the connector for up to a second of jitter, which
// puts a `small` site over the suite's time budget: `tiny` by default, RESILIENCE_SCALE=small for the full size.
import { startSimulator, type Simulator } from '../../sim';
import type { AirbyteMessage, AirbyteStream } from '../../src/generated/protocol';
import { runConnector, type ConnectorRun } from '../helpers/run-connector';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import {
  discoverStreams,
  expectedIds,
  fullRefreshCatalog,
  idsOf,
  keySet,
  leakedSecrets,
  secretsOf,
  sorted,
  writes,
} from './helpers';

const SCALE = process.env.RESILIENCE_SCALE === 'small' ? 'small' : 'tiny';

const rateLimitedStatuses = (messages: AirbyteMessage[]) =>
  messages.filter(
    (m) =>
      m.trace?.type === 'STREAM_STATUS' &&
      m.trace.stream_status?.status === 'RUNNING' &&
      m.trace.stream_status.reasons?.some((r) => r.type === 'RATE_LIMITED'),
  );

describe('a full sync under 429s, 5xx, resets and slow responses', () => {
  let sim: Simulator;
  let proxy: FaultProxy;
  let streams: AirbyteStream[];
  let clean: ConnectorRun;
  let faulted: ConnectorRun;

  beforeAll(async () => {
    sim = await startSimulator({ scale: SCALE, seed: 7 });
    // Archived spaces are skipped by default; include them so the read lines up with the truth.
    const direct = sim.connectorConfig({
      confluence: { include_archived_spaces: true },
      max_concurrency: 16,
    });
    streams = await discoverStreams(direct);
    // Permission and membership rows have no id-level truth in the simulator: a fault-free sync is their reference.
    clean = await runConnector(['read'], { config: direct, catalog: fullRefreshCatalog(streams) });

    proxy = await startFaultProxy({ target: sim.url, seed: 7, rateLimitedRate: 0.2, retryAfterSeconds: 0 });
    sim.clearRequests();
    sim.setKnobs({ errorRate: 0.05, resetRate: 0.02, slowRate: 0.01, slowMs: 500 });
    const viaProxy = sim.connectorConfig({
      confluence: { include_archived_spaces: true },
      max_concurrency: 16,
      site_url_override: proxy.url,
      gateway_url_override: proxy.url,
      auth_url_override: proxy.url,
    });
    faulted = await runConnector(['read'], { config: viaProxy, catalog: fullRefreshCatalog(streams) });
    sim.setKnobs({ errorRate: 0, resetRate: 0, slowRate: 0 });
  }, 600_000);

  afterAll(async () => {
    await proxy?.close();
    await sim?.close();
  });

  it('injected every fault it claims to', () => {
    const limited = proxy.limited.seconds + proxy.limited.httpDate;
    expect(limited / (limited + proxy.forwarded)).toBeGreaterThan(0.15);
    expect(proxy.limited.seconds).toBeGreaterThan(0);
    expect(proxy.limited.httpDate).toBeGreaterThan(0);
    const statuses = sim.requests().map((r) => r.status);
    expect(statuses.filter((s) => s >= 500).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 0).length).toBeGreaterThan(0); // connection resets
  });

  it('exits 0 with every stream complete', () => {
    expect(faulted.exitCode).toBe(0);
    expect(faulted.messages.filter((m) => m.trace?.type === 'ERROR')).toEqual([]);
    const complete = faulted.messages
      .filter((m) => m.trace?.stream_status?.status === 'COMPLETE')
      .map((m) => m.trace!.stream_status!.stream_descriptor.name);
    expect(sorted(complete)).toEqual(sorted(streams.map((s) => s.name)));
  });

  it('reads exactly the ground truth, stream by stream', () => {
    for (const stream of streams) {
      const expected = expectedIds(sim, stream.name);
      if (expected) {
        expect({ stream: stream.name, ids: sorted(idsOf(stream, faulted.messages)) }).toEqual({
          stream: stream.name,
          ids: sorted(expected),
        });
      } else {
        expect(clean.exitCode).toBe(0);
        expect({ stream: stream.name, keys: sorted(keySet(stream, faulted.messages)) }).toEqual({
          stream: stream.name,
          keys: sorted(keySet(stream, clean.messages)),
        });
      }
    }
  });

  it('tells Airbyte it is rate limited while waiting', () => {
    const statuses = rateLimitedStatuses(faulted.messages);
    expect(statuses.length).toBeGreaterThan(0);
    expect(rateLimitedStatuses(clean.messages)).toEqual([]);
  });

  it('sends only reads and prints no secret', () => {
    expect(writes(sim)).toEqual([]);
    expect(leakedSecrets(secretsOf(sim), [clean, faulted])).toEqual([]);
  });
});
