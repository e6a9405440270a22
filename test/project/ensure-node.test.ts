// scripts/ensure-node.sh (sourced by run.sh and .ci/run): a node of 22.21+ or 24.5+ already on PATH is
// used as it is; an older one (or none) gives way to Node 24 from the cache, installed there if missing.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '../../scripts/ensure-node.sh');

/** A `node` that reports `version` and answers `-e` by running the check with the real node. */
function fakeNode(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'node');
  writeFileSync(
    file,
    `#!/bin/sh\nexec "${process.execPath}" -e "Object.defineProperty(process.versions, 'node', { value: '${version}' }); eval(process.argv[1])" "$2"\n`,
  );
  chmodSync(file, 0o755);
  return dir;
}

function nodeAfterSourcing(pathDirs: string[], cache: string): string {
  const env = { PATH: [...pathDirs, '/usr/bin', '/bin'].join(':'), NODE24_DIR: cache, HOME: tmpdir() };
  return execFileSync('bash', ['-c', `. "${script}" && command -v node`], { env, encoding: 'utf8' }).trim();
}

test.each([
  ['25.0.0', false],
  ['24.5.0', false],
  ['24.1.0', true],
  ['23.11.0', true],
  ['22.21.0', false],
  ['22.20.0', true],
  ['20.19.0', true],
])('node %s on PATH: replaced by the cached Node 24 = %s', (version, replaced) => {
  const dir = mkdtempSync(join(tmpdir(), 'ensure-node-'));
  const machine = fakeNode(join(dir, 'machine'), version);
  const cache = join(dir, 'cache');
  fakeNode(join(cache, 'bin'), '24.0.0'); // already installed: no download
  expect(nodeAfterSourcing([machine], cache)).toBe(join(replaced ? join(cache, 'bin') : machine, 'node'));
});
