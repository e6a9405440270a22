// Scrubbing of secrets from every string that leaves the process (logs, traces, stderr).
// Two nets: the exact values of the config's `airbyte_secret` fields, and patterns for credentials
// that never were in the config (exchanged OAuth tokens, Authorization headers, Atlassian tokens).

type Schema = Record<string, unknown>;

const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 4; // shorter "secrets" would shred ordinary text and protect nothing

const PATTERNS: Array<[RegExp, string]> = [
  // Header dumps: `Authorization: Basic abc`, `"authorization":"Bearer x"`, `Proxy-Authorization=...`
  [/((?:proxy-)?authorization["']?\s*[:=]\s*["']?)[^"'\n,}]+/gi, `$1${REDACTED}`],
  [/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{16,}/g, `$1 ${REDACTED}`],
  // Atlassian API tokens: keep the prefix, it tells a personal (ATATT) from a service-account (ATSTT) token.
  [/\b(AT[A-Z]{2}T)[A-Za-z0-9_=+/.-]{8,}/g, `$1${REDACTED}`],
  // Token fields in JSON bodies or form-encoded OAuth exchanges.
  [
    /(["']?\b(?:access_token|refresh_token|id_token|client_secret|api_token|password)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi,
    `$1${REDACTED}`,
  ],
];

function schemasFor(schema: Schema, key: string): Schema[] {
  const found: Schema[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const s = node as Schema;
    const child = (s.properties as Record<string, unknown> | undefined)?.[key];
    if (child && typeof child === 'object') found.push(child as Schema);
    for (const k of ['oneOf', 'anyOf', 'allOf']) if (Array.isArray(s[k])) (s[k] as unknown[]).forEach(visit);
  };
  visit(schema);
  return found;
}

/** Values of every `airbyte_secret` field of `config`, found by walking the spec schema (incl. oneOf/anyOf/allOf). */
export function secretValues(connectionSpecification: Schema, config: unknown): string[] {
  const out: string[] = [];
  const walk = (schemas: Schema[], value: unknown) => {
    if (value === null || value === undefined) return;
    if (schemas.some((s) => s.airbyte_secret === true)) {
      if (typeof value === 'string' || typeof value === 'number') out.push(String(value));
      else out.push(JSON.stringify(value));
      return;
    }
    if (Array.isArray(value)) {
      const items = schemas.flatMap((s) =>
        s.items && typeof s.items === 'object' ? [s.items as Schema] : [],
      );
      value.forEach((v) => walk(items, v));
    } else if (typeof value === 'object') {
      for (const [key, v] of Object.entries(value))
        walk(
          schemas.flatMap((s) => schemasFor(s, key)),
          v,
        );
    }
  };
  walk([connectionSpecification], config);
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Scrubber {
  private values: string[] = [];
  private valuesPattern?: RegExp;

  /** Adds exact values to scrub, plus their URL-encoded and JSON-escaped forms. */
  addSecrets(values: Iterable<string>): void {
    for (const value of values) {
      if (value.length < MIN_SECRET_LENGTH) continue;
      const forms = [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)];
      this.values.push(...forms.filter((f) => !this.values.includes(f)));
    }
    // Longest first, so a secret containing another is replaced whole.
    const sorted = [...this.values].sort((a, b) => b.length - a.length);
    this.valuesPattern = sorted.length ? new RegExp(sorted.map(escapeRegExp).join('|'), 'g') : undefined;
  }

  scrub(text: string): string {
    let out = this.valuesPattern ? text.replace(this.valuesPattern, REDACTED) : text;
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /** Scrubs every string inside a JSON-like value (a copy; the input is not changed). */
  scrubDeep<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.scrubDeep(v)) as T;
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.scrubDeep(v)])) as T;
    }
    return value;
  }
}
