// Logger that emits LOG messages through the writer (which scrubs secrets from them).
import type { Logger } from './stream';
import type { MessageWriter } from './writer';
import { logMessage, type LogLevel } from './messages';

export interface LoggerOptions {
  /** Emit DEBUG messages too (the CLI's `--debug`, known only once the command line is parsed). */
  debug?: boolean | (() => boolean);
}

export function createLogger(writer: MessageWriter, options: LoggerOptions = {}): Logger {
  // Fire-and-forget: logs are rare next to records, and Logger methods are synchronous by contract.
  const emit = (level: LogLevel, message: string, stackTrace?: string) => {
    void writer.write(logMessage(level, message, stackTrace));
  };
  // Several streams can meet the same condition (each one listing spaces finds the same unknown include
  // key): the same WARN is logged once per run.
  const warned = new Set<string>();
  return {
    debug: (message) => {
      const enabled = typeof options.debug === 'function' ? options.debug() : options.debug;
      if (enabled) emit('DEBUG', message);
    },
    info: (message) => emit('INFO', message),
    warn: (message) => {
      if (warned.has(message)) return;
      warned.add(message);
      emit('WARN', message);
    },
    error: (message, stackTrace) => emit('ERROR', message, stackTrace),
  };
}
