// The process handlers: a first signal aborts the run; a second exits at once, but not before the lines
// already written (held in the writer's batch) reach stdout.
import { installProcessHandlers } from '../../src/cdk/process-handlers';
import { stateMessage } from '../../src/cdk/messages';
import { Scrubber } from '../../src/cdk/secrets';
import { MessageWriter } from '../../src/cdk/writer';
import { CaptureSink } from './fake-source';

test('a second SIGTERM exits with 143 after stdout got every line written so far', () => {
  const sink = new CaptureSink();
  const writer = new MessageWriter(sink, new Scrubber());
  const controller = new AbortController();
  const exits: Array<{ code: number | undefined; written: string }> = [];
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
    exits.push({ code, written: sink.text });
  }) as typeof process.exit);
  // Only ours hear the emitted signals (the test runner may listen too).
  const others = process.listeners('SIGTERM');
  process.removeAllListeners('SIGTERM');
  const uninstall = installProcessHandlers(controller, writer);
  try {
    process.emit('SIGTERM', 'SIGTERM');
    expect(controller.signal.aborted).toBe(true);
    expect(exits).toEqual([]);
    void writer.write(stateMessage('numbers', { next: 5 }, 5));
    process.emit('SIGTERM', 'SIGTERM');
    expect(exits).toHaveLength(1);
    expect(exits[0]!.code).toBe(143);
    expect(exits[0]!.written).toContain('"next":5');
  } finally {
    uninstall();
    for (const listener of others) process.on('SIGTERM', listener);
    exit.mockRestore();
  }
});
