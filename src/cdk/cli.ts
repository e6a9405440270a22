// The connector's command line: spec | check | discover | read, as the Airbyte platform calls it.
// Runs in-process (tests pass their own sinks and get the exit code back) or as the process entry.
import { Command, CommanderError } from 'commander';
import { ConfigError, toFailure, TransientError } from './errors';
import { checkCatalog, readCatalogFile, readConfigFile, readStateFile } from './input-files';
import { airbyteStream } from './catalog';
import { createLogger } from './logger';
import { catalogMessage, connectionStatusMessage, errorTraceMessage, specMessage } from './messages';
import { installProcessHandlers } from './process-handlers';
import { createRuntime } from './runtime';
import { runRead } from './runner';
import { Scrubber, secretValues } from './secrets';
import type { Source } from './source';
import { MessageWriter, type OutputSink } from './writer';

export interface CliOptions {
  stdout?: OutputSink;
  stderr?: OutputSink;
  /** Aborting it stops a running `read`. */
  signal?: AbortSignal;
  /**
   * For the process entry: SIGTERM/SIGINT abort the run (a second one exits at once), and uncaught
   * errors become a scrubbed TRACE ERROR instead of Node's default dump of the error to stderr.
   */
  installProcessHandlers?: boolean;
  name?: string;
  description?: string;
  version?: string;
}

/** Runs one command; never throws. Resolves to the process exit code. */
export async function runCli<C>(
  source: Source<C>,
  argv: string[],
  options: CliOptions = {},
): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const controller = new AbortController();
  options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason), { once: true });
  const signal = controller.signal;
  const scrubber = new Scrubber();
  const writer = new MessageWriter(stdout, scrubber);
  // Nobody reads our output any more (EPIPE): stop reading upstream.
  writer.onFailure(() =>
    controller.abort(new TransientError('stdout was closed; the destination stopped reading.')),
  );
  const removeHandlers = options.installProcessHandlers
    ? installProcessHandlers(controller, writer)
    : () => {};
  let debug = false;
  const logger = createLogger(writer, { debug: () => debug });
  const { runtime, inStream } = createRuntime({ writer, logger });
  let exitCode = 0;

  const loadConfig = async (path: string): Promise<C> => {
    const raw = await readConfigFile(path);
    // Before validation: an invalid config's secrets must not leak through its error messages either.
    scrubber.addSecrets(secretValues(source.spec().connectionSpecification, raw));
    return source.validateConfig(raw);
  };

  const program = new Command(options.name ?? 'source')
    .description(options.description ?? 'An Airbyte source connector.')
    .option('--debug', 'also emit DEBUG log messages')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void stdout.write(text),
      writeErr: (text) => void stderr.write(scrubber.scrub(text)),
    })
    .hook('preAction', (command) => {
      debug = command.opts().debug === true;
    });
  if (options.version) program.version(options.version);

  program
    .command('spec')
    .description('print the connector specification (a SPEC message)')
    .action(async () => {
      await writer.write(specMessage(source.spec()));
    });

  program
    .command('check')
    .description('validate the config and test the connection (one CONNECTION_STATUS message)')
    .requiredOption('--config <path>', 'config JSON file')
    .action(async ({ config }: { config: string }) => {
      try {
        const result = await source.check(await loadConfig(config), runtime);
        await writer.write(connectionStatusMessage(result.status, result.message));
      } catch (error) {
        // check reports every failure as a FAILED status; unexpected ones also get their stack in a LOG.
        const failure = toFailure(error);
        if (failure.failureType !== 'config_error') logger.error(failure.internalMessage, failure.stackTrace);
        await writer.write(connectionStatusMessage('FAILED', failure.message));
      }
    });

  program
    .command('discover')
    .description('list the streams this config exposes (a CATALOG message)')
    .requiredOption('--config <path>', 'config JSON file')
    .action(async ({ config }: { config: string }) => {
      const streams = source.streams(await loadConfig(config), runtime);
      await writer.write(catalogMessage({ streams: streams.map(airbyteStream) }));
    });

  program
    .command('read')
    .description("read the catalog's streams (RECORD, STATE and TRACE messages)")
    .requiredOption('--config <path>', 'config JSON file')
    .requiredOption('--catalog <path>', 'configured catalog JSON file')
    .option('--state <path>', 'state JSON file from the previous sync (per-stream array form)')
    .action(async (opts: { config: string; catalog: string; state?: string }) => {
      const config = await loadConfig(opts.config);
      const catalog = await readCatalogFile(opts.catalog);
      const state = opts.state ? await readStateFile(opts.state) : new Map();
      const streams = source.streams(config, runtime);
      checkCatalog(catalog, streams, opts.catalog);
      const metrics = source.metrics?.bind(source);
      exitCode = await runRead({
        streams,
        catalog,
        state,
        writer,
        logger,
        inStream,
        streamsAtOnce: source.streamsAtOnce?.(config),
        signal,
        metrics,
      });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed to stderr by commander.
      if (error.exitCode !== 0) {
        const problem =
          error.code === 'commander.help'
            ? 'no command given; use spec, check, discover or read (see --help)'
            : error.message.replace(/^error: /, '');
        await writer.write(
          errorTraceMessage(toFailure(new ConfigError(`Invalid command line: ${problem}.`))),
        );
      }
      exitCode = error.exitCode;
    } else {
      await writer.write(errorTraceMessage(toFailure(error)));
      exitCode = 1;
    }
  }
  removeHandlers();
  await writer.flush();
  return exitCode;
}
