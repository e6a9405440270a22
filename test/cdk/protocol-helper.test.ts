import { parseProtocolOutput, validateProtocolLine } from '../helpers/protocol';

const line = (message: unknown) => JSON.stringify(message);
const record = { type: 'RECORD', record: { stream: 's', data: { id: 1 }, emitted_at: 1700000000000 } };

describe('protocol helper', () => {
  it('accepts valid messages of every kind this connector emits', () => {
    const messages = [
      record,
      { type: 'LOG', log: { level: 'INFO', message: 'hi' } },
      {
        type: 'STATE',
        state: {
          type: 'STREAM',
          stream: { stream_descriptor: { name: 's' }, stream_state: { partitions: {} } },
          sourceStats: { recordCount: 3 },
        },
      },
      {
        type: 'TRACE',
        trace: { type: 'ERROR', emitted_at: 1, error: { message: 'x', failure_type: 'config_error' } },
      },
      {
        type: 'TRACE',
        trace: { type: 'ESTIMATE', emitted_at: 1, estimate: { name: 's', type: 'STREAM', row_estimate: 5 } },
      },
      {
        type: 'TRACE',
        trace: {
          type: 'STREAM_STATUS',
          emitted_at: 1,
          stream_status: { stream_descriptor: { name: 's' }, status: 'STARTED' },
        },
      },
      { type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } },
      { type: 'SPEC', spec: { connectionSpecification: { type: 'object' } } },
      {
        type: 'CATALOG',
        catalog: { streams: [{ name: 's', json_schema: {}, supported_sync_modes: ['full_refresh'] }] },
      },
    ];
    expect(parseProtocolOutput(messages.map(line).join('\n') + '\n').map((m) => m.type)).toEqual(
      messages.map((m) => m.type),
    );
  });

  it.each([
    ['not JSON', 'hello', /not a JSON line/],
    ['a JSON array', '[1]', /not a JSON object/],
    ['an unknown type', line({ type: 'NOPE' }), /allowed values/],
    ['a type without its payload', line({ type: 'RECORD' }), /record/],
    ['a payload of another type', line({ ...record, log: { level: 'INFO', message: 'x' } }), /log/],
    ['an unknown top-level key', line({ ...record, extra: 1 }), /additional/],
    [
      'a record without emitted_at',
      line({ type: 'RECORD', record: { stream: 's', data: {} } }),
      /emitted_at/,
    ],
    [
      'a non-integer emitted_at',
      line({ type: 'RECORD', record: { stream: 's', data: {}, emitted_at: 1.5 } }),
      /integer/,
    ],
    [
      'a misspelt state key',
      line({
        type: 'STATE',
        state: { type: 'STREAM', stream: { stream_descriptor: { name: 's' } }, sourcestats: {} },
      }),
      /additional/,
    ],
    ['a LEGACY state', line({ type: 'STATE', state: { data: { a: 1 } } }), /type/],
    ['a STREAM state without stream', line({ type: 'STATE', state: { type: 'STREAM' } }), /stream/],
    [
      'a trace ERROR without error',
      line({ type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1 } }),
      /error/,
    ],
    [
      'a bad failure_type',
      line({
        type: 'TRACE',
        trace: { type: 'ERROR', emitted_at: 1, error: { message: 'x', failure_type: 'oops' } },
      }),
      /allowed/,
    ],
    ['a bad log level', line({ type: 'LOG', log: { level: 'LOUD', message: 'x' } }), /allowed/],
  ])('rejects %s', (_name, text, pattern) => {
    expect(() => validateProtocolLine(text)).toThrow(pattern);
  });

  it('names the failing line and rejects blank lines in the middle', () => {
    expect(() => parseProtocolOutput(`${line(record)}\n\n${line(record)}\n`)).toThrow(/stdout line 2/);
    expect(parseProtocolOutput('')).toEqual([]);
  });
});
