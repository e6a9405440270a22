import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README.md', () => {
  it('has a configuration reference generated from spec.json', () => {
    expect(() =>
      execFileSync(process.execPath, [join(root, 'scripts/config-reference.mjs'), '--check'], {
        stdio: 'pipe',
      }),
    ).not.toThrow();
  });

  it('lists every stream the connector has', () => {
    const streams = readdirSync(join(root, 'schemas')).map((f) => f.replace(/\.json$/, ''));
    for (const stream of streams) expect(readme).toContain(`\`${stream}\``);
  });

  it('gives the two set-up commands', () => {
    expect(readme).toContain('./run.sh demo');
    expect(readme).toContain('./run.sh test');
  });
});
