// The only code that writes to stdout: one protocol message per line, nothing else.
// Honours back-pressure so a slow destination slows the source instead of growing memory.
import type { AirbyteMessage } from '../generated/protocol';
import type { Scrubber } from './secrets';

export type OutputSink = NodeJS.WritableStream;

// Messages whose strings come from code and errors, not from upstream data: scrub them.
// Records and state are data; scrubbing them would corrupt values, and they never hold config secrets.
const SCRUBBED_TYPES = new Set(['LOG', 'TRACE', 'CONNECTION_STATUS']);

export class MessageWriter {
  private drained?: Promise<void>;
  private brokenWith?: Error;
  private readonly failureListeners: Array<(error: Error) => void> = [];
  /** Pending drain/flush waits; released when the sink fails so nobody waits forever. */
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly sink: OutputSink,
    private readonly scrubber: Scrubber,
  ) {
    // Without a listener an EPIPE (destination went away) would crash the process with an uncaught error.
    sink.on('error', (error: Error) => this.fail(error));
  }

  /** Set when the sink failed (e.g. EPIPE); later messages are dropped. */
  get error(): Error | undefined {
    return this.brokenWith;
  }

  onFailure(listener: (error: Error) => void): void {
    this.failureListeners.push(listener);
  }

  /**
   * Writes one message. Always call it in order; await the promise before producing more output
   * (records) so memory stays bounded. Fire-and-forget is fine for rare messages (logs): the
   * promise never rejects.
   */
  write(message: AirbyteMessage): Promise<void> {
    if (this.brokenWith) return Promise.resolve();
    const safe = SCRUBBED_TYPES.has(message.type) ? this.scrubber.scrubDeep(message) : message;
    const ok = this.sink.write(`${JSON.stringify(safe)}\n`);
    if (ok) return this.drained ?? Promise.resolve();
    this.drained ??= new Promise<void>((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        this.sink.removeListener('drain', done);
        this.drained = undefined;
        resolve();
      };
      this.waiters.add(done);
      this.sink.once('drain', done);
    });
    return this.drained;
  }

  /** Resolves when everything written so far has been handed to the OS (or the sink failed). */
  flush(): Promise<void> {
    if (this.brokenWith) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      this.sink.write('', () => done());
    });
  }

  private fail(error: Error): void {
    if (this.brokenWith) return;
    this.brokenWith = error;
    for (const waiter of [...this.waiters]) waiter();
    for (const listener of this.failureListeners) listener(error);
  }
}
