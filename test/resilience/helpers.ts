// Shared bits of the resilience suite: the full catalog as discover returns it, the ground truth after the
// connector's default filters, and the audits every run goes through (read-only requests, no secret in output).
import type { Simulator } from '../../sim';
import type { AirbyteMessage, AirbyteStream } from '../../src/generated/protocol';
import { records, runConnector } from '../helpers/run-connector';

export interface RunOutput {
  stdout: string;
  stderr: string;
}

/** Every stream discover returns today (streams still being built join the suite as they land). */
export async function discoverStreams(config: Record<string, unknown>): Promise<AirbyteStream[]> {
  const run = await runConnector(['discover'], { config });
  if (run.exitCode !== 0) throw new Error(`discover failed: ${run.stdout}${run.stderr}`);
  const found = run.messages.find((m) => m.type === 'CATALOG')?.catalog?.streams;
  if (!found?.length) throw new Error('discover returned no streams');
  return found;
}

export function fullRefreshCatalog(streams: AirbyteStream[]) {
  return {
    streams: streams.map((stream) => ({
      stream,
      sync_mode: 'full_refresh',
      destination_sync_mode: 'overwrite',
    })),
  };
}

/** Streams that support incremental, read incrementally with their source-defined cursor and key. */
export function incrementalCatalog(streams: AirbyteStream[]) {
  return {
    streams: streams
      .filter((s) => s.supported_sync_modes.includes('incremental'))
      .map((stream) => ({
        stream,
        sync_mode: 'incremental',
        destination_sync_mode: 'append_dedup',
        cursor_field: stream.default_cursor_field ?? ['updated_at'],
        primary_key: stream.source_defined_primary_key ?? [['id']],
      })),
  };
}

/** The primary key of a record as one string (composite keys joined), from the stream's declared key. */
export function keyOf(stream: AirbyteStream, record: Record<string, unknown>): string {
  const paths = stream.source_defined_primary_key ?? [['id']];
  return JSON.stringify(paths.map((path) => path.reduce<unknown>((v, k) => (v as never)?.[k], record)));
}

export function keySet(stream: AirbyteStream, messages: AirbyteMessage[]): Set<string> {
  return new Set(records(messages, stream.name).map((r) => keyOf(stream, r)));
}

export { expectedIds, truthIds } from '../../sim/expected';

/** A stream's ids as the truth spells them (the single key column, unwrapped). */
export function idsOf(stream: AirbyteStream, messages: AirbyteMessage[]): Set<string> {
  const [[column = 'id'] = []] = stream.source_defined_primary_key ?? [['id']];
  return new Set(records(messages, stream.name).map((r) => String(r[column])));
}

export const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

// Requests that are not GET but still only read: the search endpoints that take their query
// as a POST body, and the OAuth client-credentials exchange. Paths as the simulator logs them (gateway
// prefix removed).
export const READ_ONLY_POSTS: RegExp[] = [
  /^\/rest\/api\/3\/search\/jql$/,
  /^\/rest\/api\/3\/search\/approximate-count$/,
  /^\/rest\/api\/3\/issue\/bulkfetch$/,
  /^\/rest\/api\/3\/comment\/list$/,
  /^\/rest\/api\/3\/changelog\/bulkfetch$/,
  /^\/wiki\/api\/v2\/users-bulk$/,
  /^\/admin\/v2\/orgs\/[^/]+\/directories\/[^/]+\/(users|groups)\/search$/,
  /^\/admin\/v2\/orgs\/[^/]+\/workspaces$/,
  /^\/oauth\/token$/,
];

/** Requests in the simulator's log that write or are not on the read-only allow-list. */
export function writes(sim: Simulator): string[] {
  return sim
    .requests()
    .filter(
      (r) => r.method !== 'GET' && !(r.method === 'POST' && READ_ONLY_POSTS.some((p) => p.test(r.path))),
    )
    .map((r) => `${r.method} ${r.path}`);
}

/** Every secret the simulator issued, plus the Basic header forms built from them. */
export function secretsOf(sim: Simulator): string[] {
  const c = sim.credentials;
  const raw = [c.serviceAccountToken, c.oauthClientSecret, c.userApiToken, c.orgAdminApiKey];
  const basic = [
    `${c.serviceAccountEmail}:${c.serviceAccountToken}`,
    `${c.userEmail}:${c.userApiToken}`,
    `${c.oauthClientId}:${c.oauthClientSecret}`,
  ].map((s) => Buffer.from(s).toString('base64'));
  return [...raw, ...basic];
}

/** The secrets found in any run's stdout or stderr (expected: none). */
export function leakedSecrets(secrets: string[], runs: RunOutput[]): string[] {
  return secrets.filter((s) => runs.some((run) => run.stdout.includes(s) || run.stderr.includes(s)));
}

/** LOG and TRACE ERROR texts of a run, for asserting that a problem was reported. */
export function reports(messages: AirbyteMessage[]): string[] {
  return messages.flatMap((m) => {
    if (m.type === 'LOG' && m.log) return [`${m.log.level}: ${m.log.message}`];
    if (m.type === 'TRACE' && m.trace?.type === 'ERROR' && m.trace.error) {
      const e = m.trace.error;
      return [`TRACE ${e.failure_type ?? ''}: ${e.message} ${e.internal_message ?? ''}`];
    }
    return [];
  });
}
