// The only code that writes to stdout: one protocol message per line, nothing else.
// Honours back-pressure so a slow destination slows the source instead of growing memory.
// Lines are handed to stdout in batches: a pipe is written synchronously, one system call per write,
// and a sync emits hundreds of thousands of lines. A batch goes out when it reaches BATCH_CHARS or once
// the current turn of the event loop is over, so nothing waits longer than the work that produced it.
import type { AirbyteMessage } from '../generated/protocol';
import type { Scrubber } from './secrets';

export type OutputSink = NodeJS.WritableStream;

// Messages whose strings come from code and errors, not from upstream data: scrub them.
// Records and state are data; scrubbing them would corrupt values, and they never hold config secrets.
const SCRUBBED_TYPES = new Set(['LOG', 'TRACE', 'CONNECTION_STATUS']);

/** Most characters held before a batch is written. */
const BATCH_CHARS = 64 * 1024;

export class MessageWriter {
  private drained?: Promise<void>;
  private brokenWith?: Error;
  private readonly failureListeners: Array<(error: Error) => void> = [];
  /** Pending drain/flush waits; released when the sink fails so nobody waits forever. */
  private readonly waiters = new Set<() => void>();
  private batch: string[] = [];
  private batchChars = 0;
  private pushScheduled = false;

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
    const line = `${JSON.stringify(safe)}\n`;
    this.batch.push(line);
    this.batchChars += line.length;
    if (this.batchChars >= BATCH_CHARS) return this.push();
    if (!this.pushScheduled) {
      this.pushScheduled = true;
      setImmediate(() => {
        this.pushScheduled = false;
        void this.push();
      });
    }
    return this.drained ?? Promise.resolve();
  }

  /** Writes the batch; the promise resolves once the sink takes more (back-pressure). */
  private push(): Promise<void> {
    if (this.batch.length > 0 && !this.brokenWith) {
      const chunk = this.batch.length === 1 ? this.batch[0]! : this.batch.join('');
      this.batch = [];
      this.batchChars = 0;
      if (!this.sink.write(chunk)) {
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
      }
    }
    return this.drained ?? Promise.resolve();
  }

  /** Resolves when everything written so far has been handed to the OS (or the sink failed). */
  flush(): Promise<void> {
    void this.push();
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
