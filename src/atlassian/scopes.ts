// Which OAuth scopes an operation needs, read from the vendored OpenAPI specs (`x-atlassian-oauth2-scopes`).
// Only `check` uses it, after a 401/403, so the (large) spec files are loaded lazily and at most once each.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathOnly } from './errors';

export interface OperationScopes {
  /** Classic scopes (`"state":"Current"`), e.g. `read:jira-work`. */
  classic: string[];
  /** Granular scopes (`"state":"Beta"`), e.g. `read:project:jira`. */
  granular: string[];
}

interface SpecFile {
  file: string;
  /** Prefix of our request paths that the spec's paths leave out (its server URL carries it). */
  stripPrefix: string;
}

type OpenApi = {
  paths: Record<string, Record<string, { 'x-atlassian-oauth2-scopes'?: unknown; security?: unknown }>>;
};

// src/atlassian → repo root in tests; dist/src/atlassian → /app in the image (reference/ is copied next to dist/).
const ROOTS = [join(__dirname, '..', '..'), join(__dirname, '..', '..', '..')];

function specFor(path: string, admin: boolean): SpecFile {
  if (admin) return { file: 'admin-organization.openapi.json', stripPrefix: '/admin' };
  if (path.startsWith('/wiki/api/v2/'))
    return { file: 'confluence-v2.openapi.json', stripPrefix: '/wiki/api/v2' };
  if (path.startsWith('/wiki/')) return { file: 'confluence-v1.openapi.json', stripPrefix: '' };
  return { file: 'jira-platform-v3.openapi.json', stripPrefix: '' };
}

export class ScopeCatalog {
  private readonly loaded = new Map<string, OpenApi | null>();

  private load(file: string): OpenApi | null {
    if (!this.loaded.has(file)) {
      const root = ROOTS.find((dir) => existsSync(join(dir, 'reference', 'atlassian', file)));
      this.loaded.set(
        file,
        root
          ? (JSON.parse(readFileSync(join(root, 'reference', 'atlassian', file), 'utf8')) as OpenApi)
          : null,
      );
    }
    return this.loaded.get(file) ?? null;
  }

  /** Scopes of `METHOD path` (a product path such as `/rest/api/3/project/search`), if the spec knows it. */
  scopesOf(
    method: string,
    requestPath: string,
    options: { admin?: boolean } = {},
  ): OperationScopes | undefined {
    const path = pathOnly(requestPath);
    const { file, stripPrefix } = specFor(path, options.admin === true);
    const spec = this.load(file);
    if (!spec) return undefined;
    const relative = stripPrefix && path.startsWith(stripPrefix) ? path.slice(stripPrefix.length) : path;
    const template = Object.keys(spec.paths).find((candidate) => matches(candidate, relative));
    const operation = template ? spec.paths[template]?.[method.toLowerCase()] : undefined;
    const declared = operation?.['x-atlassian-oauth2-scopes'];
    if (!Array.isArray(declared)) return undefined;
    const out: OperationScopes = { classic: [], granular: [] };
    for (const entry of declared as Array<{ state?: string; scopes?: string[] }>) {
      (entry.state === 'Beta' ? out.granular : out.classic).push(...(entry.scopes ?? []));
    }
    return out;
  }
}

function matches(template: string, path: string): boolean {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}

/** "read:space:confluence (granular) or read:confluence-space.summary (classic)" style wording for check. */
export function describeScopes(scopes: OperationScopes | undefined): string | undefined {
  if (!scopes || (!scopes.classic.length && !scopes.granular.length)) return undefined;
  const parts: string[] = [];
  if (scopes.granular.length) parts.push(`granular: ${scopes.granular.join(', ')}`);
  if (scopes.classic.length) parts.push(`classic: ${scopes.classic.join(', ')}`);
  return parts.join('; or ');
}
