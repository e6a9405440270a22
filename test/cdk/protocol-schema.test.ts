import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import shipped from '../../src/cdk/airbyte-protocol.schema.json';

describe('shipped protocol schema', () => {
  it('is identical to reference/airbyte_protocol.yaml (regenerate the JSON if the reference changes)', () => {
    const reference: unknown = parse(
      readFileSync(join(__dirname, '../../reference/airbyte_protocol.yaml'), 'utf8'),
    );
    expect(shipped).toEqual(reference);
  });
});
