import { Writable } from 'node:stream';
import { runCli } from '../../src/cdk/cli';
import { recordMessage } from '../../src/cdk/messages';
import { Scrubber } from '../../src/cdk/secrets';
import { MessageWriter } from '../../src/cdk/writer';
import { parseProtocolOutput } from '../helpers/protocol';
import { withInputFiles } from '../helpers/run-connector';
import { CaptureSink, fakeSource, fakeStream } from './fake-source';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('stdout writer', () => {
  it('stops pulling records from a stream while stdout is not draining, and resumes when it drains', async () => {
    const total = 5000;
    let produced = 0;
    const stream = fakeStream('big', async function* () {
      for (let i = 0; i < total; i++) {
        produced++;
        yield { type: 'record', data: { id: i, padding: 'x'.repeat(100) } };
      }
    });
    const catalog = {
      streams: [
        {
          stream: { name: 'big', json_schema: {}, supported_sync_modes: ['full_refresh'] },
          sync_mode: 'full_refresh',
          destination_sync_mode: 'append',
        },
      ],
    };
    const stdout = new CaptureSink(4096);
    stdout.pause();
    const args = withInputFiles(['read'], { config: { token: 'abcd1234' }, catalog });
    const done = runCli(
      fakeSource(() => [stream]),
      args,
      { stdout, stderr: new CaptureSink() },
    );
    while (produced === 0) await tick(); // input files are read first
    for (let i = 0; i < 200; i++) await tick();
    // One 64 KiB batch plus the sink's 4 KiB, in lines of ~150 bytes: a few hundred records at most,
    // nowhere near all of them.
    expect(produced).toBeGreaterThan(0);
    expect(produced).toBeLessThan(600);
    stdout.resume();
    expect(await done).toBe(0);
    expect(produced).toBe(total);
    expect(parseProtocolOutput(stdout.text).filter((m) => m.type === 'RECORD')).toHaveLength(total);
  });

  it('writes one JSON object per line', async () => {
    const sink = new CaptureSink();
    const writer = new MessageWriter(sink, new Scrubber());
    await writer.write(recordMessage('s', { text: 'line one\nline two' }, 1));
    await writer.flush();
    expect(sink.text).toBe(
      '{"type":"RECORD","record":{"stream":"s","data":{"text":"line one\\nline two"},"emitted_at":1}}\n',
    );
  });

  it('hands lines to stdout in batches, not one write per line, in order', async () => {
    const sink = new CaptureSink();
    const writer = new MessageWriter(sink, new Scrubber());
    for (let i = 0; i < 1000; i++) await writer.write(recordMessage('s', { id: i }, 1));
    await writer.flush();
    const ids = parseProtocolOutput(sink.text).map((m) => (m.record?.data as { id: number }).id);
    expect(ids).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(sink.chunks.filter((c) => c !== '').length).toBeLessThan(10);
  });

  it('does not hang or throw when stdout breaks (EPIPE), and reports it', async () => {
    const sink = new CaptureSink(16);
    sink.pause();
    const writer = new MessageWriter(sink, new Scrubber());
    const failures: Error[] = [];
    writer.onFailure((e) => failures.push(e));
    const pending = writer.write(recordMessage('s', { padding: 'x'.repeat(64) }, 1));
    sink.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await pending;
    await writer.write(recordMessage('s', {}, 1));
    await writer.flush();
    expect(writer.error?.message).toBe('write EPIPE');
    expect(failures).toHaveLength(1);
  });

  it('stops the read with exit code 1 when stdout breaks mid-sync', async () => {
    let produced = 0;
    const stream = fakeStream('big', async function* () {
      for (let i = 0; i < 100000; i++) {
        produced++;
        yield { type: 'record', data: { id: i } };
      }
    });
    const catalog = {
      streams: [
        {
          stream: { name: 'big', json_schema: {}, supported_sync_modes: ['full_refresh'] },
          sync_mode: 'full_refresh',
          destination_sync_mode: 'append',
        },
      ],
    };
    // The destination goes away after ~50 KB, a few hundred of these ~75-byte lines.
    let written = 0;
    const stdout = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        callback(written > 50_000 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : null);
      },
    });
    const args = withInputFiles(['read'], { config: { token: 'abcd1234' }, catalog });
    expect(
      await runCli(
        fakeSource(() => [stream]),
        args,
        { stdout, stderr: new CaptureSink() },
      ),
    ).toBe(1);
    // What was written plus a batch or two (64 KiB each) in flight: nowhere near the 100,000.
    expect(produced).toBeLessThan(5000);
  });
});
