// Reading the config, catalog and state files the platform hands us. Every problem is a ConfigError
// that names the file and says what is wrong, so a user can fix it without reading a stack trace.
import { readFile } from 'node:fs/promises';
import type { ConfiguredAirbyteCatalog } from '../generated/protocol';
import { ConfigError } from './errors';
import { protocolValidator } from './protocol-schema';
import type { Stream, StreamStateBlob } from './stream';

type Kind = 'config' | 'catalog' | 'state';
const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);
const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

async function readJson(path: string, kind: Kind): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (error as Error).message})`;
    throw new ConfigError(`The ${kind} file "${path}" ${why}.`, { cause: error });
  }
  if (text.trim() === '') {
    if (kind === 'state') return undefined;
    throw new ConfigError(`The ${kind} file "${path}" is empty; it must contain a JSON object.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(`The ${kind} file "${path}" is not valid JSON: ${(error as Error).message}.`, {
      cause: error,
    });
  }
}

export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  const value = await readJson(path, 'config');
  if (!isObject(value))
    throw new ConfigError(`The config file "${path}" must contain a JSON object, not ${typeName(value)}.`);
  return value;
}

const validateCatalog = protocolValidator('ConfiguredAirbyteCatalog');

export async function readCatalogFile(path: string): Promise<ConfiguredAirbyteCatalog> {
  const value = await readJson(path, 'catalog');
  const problems = isObject(value)
    ? validateCatalog(value)
    : [`must be a JSON object, not ${typeName(value)}`];
  if (problems.length) {
    throw new ConfigError(
      `The catalog file "${path}" is not a valid configured catalog: ${problems.join('; ')}.`,
    );
  }
  return value as unknown as ConfiguredAirbyteCatalog;
}

/** Every catalog stream must exist and support its sync mode; all problems are reported at once. */
export function checkCatalog(catalog: ConfiguredAirbyteCatalog, streams: Stream[], path: string): void {
  const byName = new Map(streams.map((s) => [s.name, s]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { stream, sync_mode } of catalog.streams) {
    const known = byName.get(stream.name);
    if (seen.has(stream.name)) problems.push(`stream "${stream.name}" is listed twice`);
    seen.add(stream.name);
    if (!known) problems.push(`unknown stream "${stream.name}"`);
    else if (sync_mode === 'incremental' && !known.cursorField) {
      problems.push(`stream "${stream.name}" does not support incremental sync (use full_refresh)`);
    }
  }
  if (problems.length) {
    const available = streams.map((s) => s.name).join(', ') || 'none';
    throw new ConfigError(
      `The catalog file "${path}" has problems: ${problems.join('; ')}. Streams available: ${available}.`,
    );
  }
}

function stateEntry(entry: unknown, index: number, path: string): [string, StreamStateBlob | undefined] {
  const bad = (why: string) => new ConfigError(`The state file "${path}" is invalid: entry ${index} ${why}.`);
  if (!isObject(entry)) throw bad(`is ${typeName(entry)}, expected an object`);
  const type = entry.type ?? (entry.stream ? 'STREAM' : 'LEGACY');
  if (type === 'LEGACY' || type === 'GLOBAL') {
    throw bad(
      `is ${type} state, which this source does not support; use per-stream (type STREAM) state or reset the connection`,
    );
  }
  if (type !== 'STREAM') throw bad(`has unknown type ${JSON.stringify(type)}`);
  const stream = entry.stream;
  const name =
    isObject(stream) && isObject(stream.stream_descriptor) ? stream.stream_descriptor.name : undefined;
  if (typeof name !== 'string' || name === '') throw bad('has no stream.stream_descriptor.name');
  const blob = (stream as Record<string, unknown>).stream_state;
  if (blob !== undefined && blob !== null && !isObject(blob))
    throw bad(`(stream "${name}") has a stream_state that is ${typeName(blob)}`);
  return [name, blob ?? undefined];
}

/** Per-stream state from the array form Airbyte sends. An empty file, `[]` or `{}` means no state. */
export async function readStateFile(path: string): Promise<Map<string, StreamStateBlob>> {
  const value = await readJson(path, 'state');
  const states = new Map<string, StreamStateBlob>();
  if (value === undefined || (isObject(value) && Object.keys(value).length === 0)) return states;
  if (!Array.isArray(value)) {
    const why = isObject(value)
      ? 'looks like LEGACY state (one object for all streams); this source needs the per-stream array form [{"type":"STREAM","stream":{...}}]'
      : `must be a JSON array of STREAM states, not ${typeName(value)}`;
    throw new ConfigError(`The state file "${path}" is invalid: it ${why}.`);
  }
  const seen = new Set<string>();
  value.forEach((entry, index) => {
    const [name, blob] = stateEntry(entry, index, path);
    if (seen.has(name))
      throw new ConfigError(
        `The state file "${path}" is invalid: stream "${name}" appears twice (keep only the last STATE message of each stream).`,
      );
    seen.add(name);
    if (blob) states.set(name, blob);
  });
  return states;
}
