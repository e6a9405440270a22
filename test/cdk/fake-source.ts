// A minimal Source for exercising the CDK: the CDK is generic, this is simply one of its consumers.
import { Writable } from 'node:stream';
import { ConfigError } from '../../src/cdk/errors';
import type { Source, SourceRuntime } from '../../src/cdk/source';
import type { ReadContext, Stream, StreamEvent } from '../../src/cdk/stream';

export interface FakeConfig {
  token: string;
  credentials?: { auth_type: 'key'; api_key: string };
}

export const connectionSpecification = {
  type: 'object',
  required: ['token'],
  properties: {
    token: { type: 'string', airbyte_secret: true },
    name: { type: 'string' },
    credentials: {
      oneOf: [
        { properties: { auth_type: { const: 'none' } } },
        { properties: { auth_type: { const: 'key' }, api_key: { type: 'string', airbyte_secret: true } } },
      ],
    },
  },
};

export function fakeStream(
  name: string,
  read: (context: ReadContext) => AsyncIterable<StreamEvent>,
  options: { cursorField?: string[] } = {},
): Stream {
  return {
    name,
    jsonSchema: { type: 'object' },
    primaryKey: [['id']],
    cursorField: options.cursorField,
    read,
  };
}

/** A stream read that fails on its first pull, after running `before` (e.g. logging). */
export function failingRead(error: () => unknown, before?: (context: ReadContext) => void) {
  return (context: ReadContext): AsyncIterable<StreamEvent> => ({
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        before?.(context);
        throw error();
      },
    }),
  });
}

export function fakeSource(
  streams: (config: FakeConfig, runtime: SourceRuntime) => Stream[],
  options: {
    check?: (config: FakeConfig) => Promise<{ status: 'SUCCEEDED' | 'FAILED'; message?: string }>;
    streamsAtOnce?: number;
  } = {},
): Source<FakeConfig> {
  return {
    spec: () => ({ connectionSpecification }),
    validateConfig(raw) {
      const config = raw as Partial<FakeConfig>;
      if (typeof config.token !== 'string') throw new ConfigError('Invalid config: /token is required');
      return config as FakeConfig;
    },
    check: options.check ?? (async () => ({ status: 'SUCCEEDED' })),
    streams,
    metrics: () => ({ requests: 7, retries: 1 }),
    streamsAtOnce: options.streamsAtOnce === undefined ? undefined : () => options.streamsAtOnce!,
  };
}

/** A stdout stand-in; `highWaterMark` small to make back-pressure visible, `paused` holds writes back. */
export class CaptureSink extends Writable {
  readonly chunks: string[] = [];
  private release?: () => void;
  private gate?: Promise<void>;

  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark, decodeStrings: false });
  }

  get text(): string {
    return this.chunks.join('');
  }

  pause(): void {
    this.gate ??= new Promise((resolve) => (this.release = resolve));
  }

  resume(): void {
    this.release?.();
    this.gate = undefined;
  }

  override _write(
    chunk: string | Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    const store = () => {
      this.chunks.push(chunk.toString());
      callback();
    };
    if (this.gate) void this.gate.then(store);
    else store();
  }
}
