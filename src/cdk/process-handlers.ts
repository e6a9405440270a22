// Process-level behaviour for the real entry point: signals and crashes, never a raw dump to stderr.
import { errorTraceMessage } from './messages';
import { toFailure, TransientError } from './errors';
import type { MessageWriter } from './writer';

/**
 * SIGTERM/SIGINT abort the run (streams stop, states of what was emitted are kept); a second signal
 * exits at once, after handing stdout what is already written. Uncaught errors become a scrubbed TRACE ERROR and exit 1. Returns an uninstaller.
 */
export function installProcessHandlers(controller: AbortController, writer: MessageWriter): () => void {
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      // Exit now, but hand the lines already batched (the state restated after the first signal among
      // them) to stdout first: a pipe takes them synchronously.
      void writer.flush();
      process.exit(128 + (name === 'SIGINT' ? 2 : 15));
    }
    controller.abort(
      new TransientError(`The sync was interrupted by ${name}; the next sync resumes from the last state.`),
    );
  };
  const onCrash = (error: unknown) => {
    void writer.write(errorTraceMessage(toFailure(error)));
    void writer.flush().then(() => process.exit(1));
  };
  process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
  process.on('uncaughtException', onCrash).on('unhandledRejection', onCrash);
  return () => {
    process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
    process.off('uncaughtException', onCrash).off('unhandledRejection', onCrash);
  };
}
