// The connector's error classes and the one place that maps any error to an Airbyte failure.
// Error objects are never serialized wholesale: an HTTP library's errors carry request headers (credentials).

export type FailureType = 'config_error' | 'transient_error' | 'system_error';

export interface ConnectorErrorOptions {
  cause?: unknown;
  /** Stops the whole run, not only the current stream (e.g. credentials rejected: every stream would fail). */
  fatal?: boolean;
  /** Detail for engineers (TRACE `internal_message`); the message itself is what the user sees. */
  internalMessage?: string;
}

export abstract class ConnectorError extends Error {
  abstract readonly code: FailureType;
  readonly fatal: boolean;
  readonly internalMessage?: string;

  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.fatal = options.fatal ?? false;
    this.internalMessage = options.internalMessage;
  }
}

/** The user must change something: config, catalog or state files, credentials, permissions. */
export class ConfigError extends ConnectorError {
  readonly code = 'config_error' as const;
}

/** Retrying later may succeed: upstream outage, network trouble, rate limits, interruption. */
export class TransientError extends ConnectorError {
  readonly code = 'transient_error' as const;
}

/** A bug or an unexpected upstream answer. The default for anything unclassified. */
export class SystemError extends ConnectorError {
  readonly code = 'system_error' as const;
}

export interface Failure {
  failureType: FailureType;
  message: string;
  internalMessage: string;
  stackTrace?: string;
  fatal: boolean;
}

const FAILURE_TYPES = new Set<string>(['config_error', 'transient_error', 'system_error']);
// Node socket errors that escaped the HTTP layer's retries are still worth retrying later.
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

type Loose = Record<string, unknown>;
const asLoose = (value: unknown): Loose => (value && typeof value === 'object' ? (value as Loose) : {});

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return `Non-error value thrown (${typeof error})`;
}

/** The stack of the error and of its causes; messages only, no enumerable properties. */
function stackOf(error: unknown): string | undefined {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push(current.stack ?? `${current.name}: ${current.message}`);
    current = current.cause;
  }
  return parts.length ? parts.join('\nCaused by: ') : undefined;
}

function failureTypeOf(error: unknown): FailureType {
  const code = asLoose(error).code;
  if (typeof code === 'string' && FAILURE_TYPES.has(code)) return code as FailureType;
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return 'transient_error';
  if (error instanceof Error && error.name === 'AbortError') return 'transient_error';
  return 'system_error';
}

/** The messages of an error's causes, for a config error's internal message (it carries no stack). */
function causesOf(error: unknown): string {
  const parts: string[] = [];
  let current = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; current instanceof Error && depth < 5; depth++, current = current.cause)
    parts.push(`${current.name}: ${current.message}`);
  return parts.length ? ` (caused by ${parts.join('; caused by ')})` : '';
}

/**
 * Maps any thrown value to what a TRACE ERROR reports. Strings are not scrubbed here; the writer does it.
 * A config error is the user's to fix and its message says how: no stack trace (it would only show the
 * install's file paths), its causes named in the internal message instead.
 */
export function toFailure(error: unknown): Failure {
  const message = messageOf(error);
  const internal = asLoose(error).internalMessage;
  const name = error instanceof Error ? error.name : 'Error';
  const failureType = failureTypeOf(error);
  const isConfig = failureType === 'config_error';
  return {
    failureType,
    message,
    internalMessage:
      typeof internal === 'string' ? internal : `${name}: ${message}${isConfig ? causesOf(error) : ''}`,
    ...(isConfig ? {} : { stackTrace: stackOf(error) }),
    fatal: asLoose(error).fatal === true,
  };
}
