// Validates a connector's stdout (one Airbyte message per line) against the official protocol schema.
// Usage: node scripts/validate-protocol-output.mjs FILE [--expect TYPE]… [--succeeded] [--catalog-out FILE]
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { URL } from 'node:url';

const [file, ...flags] = process.argv.slice(2);
const protocol = parse(readFileSync(new URL('../reference/airbyte_protocol.yaml', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(protocol, 'protocol');
const validate = ajv.getSchema('protocol#/definitions/AirbyteMessage');

const messages = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((line, i) => {
    let m;
    try {
      m = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not JSON: ${line.slice(0, 200)}`);
    }
    if (!validate(m))
      throw new Error(`${file}:${i + 1}: invalid message: ${ajv.errorsText(validate.errors)}`);
    return m;
  });

const expected = flags.flatMap((f, i) => (f === '--expect' ? [flags[i + 1]] : []));
for (const type of expected) {
  if (!messages.some((m) => m.type === type)) throw new Error(`${file}: no ${type} message`);
}
if (flags.includes('--succeeded')) {
  const status = messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
  if (status?.status !== 'SUCCEEDED') throw new Error(`${file}: check did not succeed: ${status?.message}`);
}
const catalogOut = flags[flags.indexOf('--catalog-out') + 1];
if (flags.includes('--catalog-out')) {
  const { streams } = messages.find((m) => m.type === 'CATALOG').catalog;
  const configured = streams.map((stream) => ({
    stream,
    sync_mode: 'full_refresh',
    destination_sync_mode: 'overwrite',
  }));
  writeFileSync(catalogOut, JSON.stringify({ streams: configured }));
}
console.error(`${file}: ${messages.length} valid messages`);
