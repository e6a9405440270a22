// The README's main job (`./run.sh demo` = dist/sim/demo.js, built by `npm test`): one full sync of a
// seeded site, every stream's records in <out>/<stream>.jsonl, the final state in <out>/state.json (the
// array of STREAM states a next incremental sync starts from), and a summary whose counts are the files'.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { validateProtocolLine, type AirbyteMessage } from '../helpers/protocol';

const demo = join(__dirname, '../../dist/sim/demo.js');

test('the demo syncs every stream once and its summary matches the files it wrote', async () => {
  const out = mkdtempSync(join(tmpdir(), 'demo-'));
  const { stdout } = await promisify(execFile)(process.execPath, [demo, '--scale', 'tiny', '--out', out]);

  const rows = new Map(
    [...stdout.matchAll(/^(\w+)\s+(\d+)\s+([\d.]+)\s+(\w+)$/gm)].map(([, stream, records, , status]) => [
      stream!,
      { records: Number(records), status },
    ]),
  );
  const total = rows.get('TOTAL');
  rows.delete('TOTAL');
  expect(rows.size).toBe(17);
  expect(total?.status).toBe('COMPLETE');
  let sum = 0;
  for (const [stream, row] of rows) {
    expect(row.status).toBe('COMPLETE');
    const lines = readFileSync(join(out, `${stream}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(lines).toHaveLength(row.records);
    sum += row.records;
  }
  expect(total?.records).toBe(sum);
  expect(sum).toBeGreaterThan(0);
  expect(readdirSync(out).sort()).toEqual(
    [...[...rows.keys()].map((s) => `${s}.jsonl`), 'state.json'].sort(),
  );

  const states = JSON.parse(readFileSync(join(out, 'state.json'), 'utf8')) as AirbyteMessage['state'][];
  expect(states.map((s) => s?.stream?.stream_descriptor.name).sort()).toEqual([...rows.keys()].sort());
  for (const state of states) validateProtocolLine(JSON.stringify({ type: 'STATE', state }));
  // One sync, not one per stream: the requests line counts them all.
  expect(stdout).toMatch(/^\d+ requests to the simulator \(0 answered 429\)/m);
});
