// Renders the configuration reference table of README.md from spec.json, between the markers
// <!-- config-reference:start --> and <!-- config-reference:end -->. `--check` exits 1 when stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { URL } from 'node:url';
import prettier from 'prettier';

const specUrl = new URL('../spec.json', import.meta.url);
const readmeUrl = new URL('../README.md', import.meta.url);

/** What a value must look like, from the schema's keywords: `1–64`, `≥ 0`, `non-empty`, a pattern's shape. */
function constraint(prop) {
  const { minimum: min, maximum: max } = prop;
  const parts = [];
  if (min !== undefined && max !== undefined) parts.push(`${min}–${max}`);
  else if (min !== undefined) parts.push(`≥ ${min}`);
  else if (max !== undefined) parts.push(`≤ ${max}`);
  if (prop.minLength === 1) parts.push('non-empty');
  if (prop.pattern_descriptor) parts.push(`like ${prop.pattern_descriptor}`);
  else if (prop.format) parts.push(prop.format);
  if (prop.enum) parts.push(prop.enum.map((v) => `\`${v}\``).join(' / '));
  return parts.length ? `, ${parts.join(', ')}` : '';
}

export function renderReference(spec) {
  const rows = [];
  const walk = (schema, path, required) => {
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      const key = path ? `${path}.${name}` : name;
      if (prop.airbyte_hidden) continue;
      if (prop.oneOf) {
        rows.push([key, 'object', required.includes(name) ? 'yes' : '', '', prop.description ?? '']);
        const kinds = prop.oneOf.map((option) => `\`${option.properties.auth_type.const}\``);
        rows.push([`${key}.auth_type`, 'string', 'yes', '', `One of ${kinds.join(', ')}: the fields below.`]);
        for (const option of prop.oneOf) {
          const kind = option.properties.auth_type.const;
          for (const [field, fp] of Object.entries(option.properties)) {
            if (field === 'auth_type') continue;
            const secret = fp.airbyte_secret ? ' (secret)' : '';
            const req = option.required.includes(field) ? 'yes' : '';
            rows.push([
              `${key}.${field}`,
              `${fp.type}${secret}${constraint(fp)}`,
              req,
              '',
              `*${kind}*: ${fp.description ?? fp.title}`,
            ]);
          }
        }
      } else if (prop.type === 'object' && prop.properties) {
        walk(prop, key, prop.required ?? []);
      } else {
        const type = prop.type === 'array' ? `${prop.items?.type ?? 'any'}[]` : prop.type;
        const secret = prop.airbyte_secret ? ' (secret)' : '';
        const dflt = prop.default === undefined ? '' : `\`${JSON.stringify(prop.default)}\``;
        rows.push([
          key,
          `${type}${secret}${constraint(prop)}`,
          required.includes(name) ? 'yes' : '',
          dflt,
          prop.description ?? prop.title,
        ]);
      }
    }
  };
  walk(spec.connectionSpecification, '', spec.connectionSpecification.required ?? []);
  const escape = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| field | type | required | default | description |',
    '|---|---|---|---|---|',
    ...rows.map(([k, t, r, d, desc]) => `| \`${k}\` | ${t} | ${r} | ${escape(d)} | ${escape(desc)} |`),
  ].join('\n');
}

const start = '<!-- config-reference:start -->';
const end = '<!-- config-reference:end -->';
const spec = JSON.parse(readFileSync(specUrl, 'utf8'));
const readme = readFileSync(readmeUrl, 'utf8');
const [before, rest] = readme.split(start);
if (rest === undefined) throw new Error('README.md has no config-reference markers');
const after = rest.slice(rest.indexOf(end));
// Formatted like the rest of the repository, so `prettier --check` and this script agree.
const options = (await prettier.resolveConfig(readmeUrl)) ?? {};
const updated = await prettier.format(`${before}${start}\n${renderReference(spec)}\n${after}`, {
  ...options,
  parser: 'markdown',
});
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('README.md configuration reference is stale: run `npm run docs`');
    process.exit(1);
  }
} else {
  writeFileSync(readmeUrl, updated);
}
