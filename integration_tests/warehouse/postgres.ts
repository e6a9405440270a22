// A throwaway PostgreSQL cluster for the warehouse-load test: initdb in a temp dir, trust auth, listening on
// 127.0.0.1 only at a free port (its unix socket in the temp dir too), fsync off. stop() removes it all.
// The server binaries come from the Debian package (scripts/ensure-postgres.sh installs it).
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const BINARIES = ['initdb', 'pg_ctl', 'postgres'];
const DEBIAN_ROOT = '/usr/lib/postgresql';
/** Postgres refuses to run as root; as root the cluster belongs to the Debian package's `postgres` user. */
const SERVICE_USER = 'postgres';

export interface Postgres {
  client: Client;
  port: number;
  binDir: string;
  stop(): Promise<void>;
}

export class PostgresUnavailableError extends Error {}

/** The directory holding initdb, pg_ctl and postgres: $PG_BIN_DIR, else the newest Debian version. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const complete = (dir: string) => BINARIES.every((b) => existsSync(join(dir, b)));
  if (env.PG_BIN_DIR) {
    if (complete(env.PG_BIN_DIR)) return env.PG_BIN_DIR;
    throw new PostgresUnavailableError(
      `PG_BIN_DIR=${env.PG_BIN_DIR} lacks one of ${BINARIES.join(', ')}: run scripts/ensure-postgres.sh`,
    );
  }
  const versions = existsSync(DEBIAN_ROOT)
    ? readdirSync(DEBIAN_ROOT)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const found = versions.map((v) => join(DEBIAN_ROOT, v, 'bin')).find(complete);
  if (found) return found;
  throw new PostgresUnavailableError(
    `PostgreSQL server binaries (${BINARIES.join(', ')}) not found under ${DEBIAN_ROOT}/*/bin: ` +
      'run scripts/ensure-postgres.sh (or set PG_BIN_DIR)',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

async function uidOf(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Starts a fresh cluster and connects to its `postgres` database as the `postgres` superuser. */
export async function startPostgres(): Promise<Postgres> {
  const binDir = postgresBinDir();
  const root = mkdtempSync(join(tmpdir(), 'warehouse-pg-'));
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await uidOf(SERVICE_USER);
    chownSync(root, uid, gid);
  }
  const pg = (binary: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', SERVICE_USER, '--', join(binDir, binary), ...args])
      : run(join(binDir, binary), args);

  let started = false;
  const stop = async (): Promise<void> => {
    if (started) await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    started = false;
    rmSync(root, { recursive: true, force: true });
  };

  try {
    // --no-sync and fsync=off: the cluster lives for one test run; durability buys nothing here.
    await pg('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-c listen_addresses=127.0.0.1`,
      `-c unix_socket_directories=${root}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    await pg('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', '-o', options, 'start']);
    started = true;
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await client.connect();
    return {
      client,
      port,
      binDir,
      stop: async () => {
        await client.end().catch(() => undefined);
        await stop();
      },
    };
  } catch (error) {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    await stop();
    throw new Error(`could not start PostgreSQL from ${binDir}: ${(error as Error).message}\n${serverLog}`, {
      cause: error,
    });
  }
}
