// Config validation: spec.json's schema (ajv, every violation at once) plus the rules JSON Schema cannot say.
// Returns the config with spec defaults applied (nested option groups included) and the domain normalised.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ConfigError } from './cdk/errors';
import type { SourceConfig } from './generated/config';
import { normaliseDomain } from './atlassian/domain';
import { checkBaseUrl } from './atlassian/endpoints';
import spec from '../spec.json';

type Schema = Record<string, unknown>;
type Json = Record<string, unknown>;

const connectionSpecification = spec.connectionSpecification as unknown as Schema;
const credentialBranches = (
  (connectionSpecification.properties as Record<string, Schema>).credentials!.oneOf as Schema[]
).map((branch) => ({
  authType: ((branch.properties as Record<string, Schema>).auth_type!.const as string) ?? '',
  schema: branch,
}));
const AUTH_TYPES = credentialBranches.map((b) => b.authType);

const isObject = (value: unknown): value is Json =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** One ajv per validator set: compiled on first use, not at import (spec/discover do not pay for it). */
function compile(): { config: ValidateFunction; branches: Map<string, ValidateFunction> } {
  // strict: false because the spec carries Airbyte UI keywords (order, group, airbyte_secret, …).
  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true, verbose: true });
  addFormats(ajv);
  const branches = new Map(credentialBranches.map((b) => [b.authType, ajv.compile(b.schema)]));
  return { config: ajv.compile(connectionSpecification), branches };
}
let validators: ReturnType<typeof compile> | undefined;

/** `/confluence/spaces/include/0` → `config.confluence.spaces.include[0]`. */
function configPath(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (child !== undefined) parts.push(child);
  return parts.reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : `${out}.${part}`), 'config');
}

function describe(error: ErrorObject, prefix = ''): string {
  const path = configPath(prefix + error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${configPath(prefix + error.instancePath, String(params.missingProperty))} is required`;
    case 'additionalProperties':
      return `${path} has an unknown field "${String(params.additionalProperty)}"`;
    case 'pattern':
    case 'format': {
      const descriptor = (error.parentSchema as Schema | undefined)?.pattern_descriptor;
      return `${path} must look like ${typeof descriptor === 'string' ? descriptor : error.message}`;
    }
    case 'minLength':
      return params.limit === 1 ? `${path} is empty` : `${path} ${error.message ?? 'is too short'}`;
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

/** Adds `{}` for absent option groups so ajv applies the defaults inside them. */
function fillGroups(schema: Schema, value: Json): void {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const [key, child] of Object.entries(properties)) {
    if (child.type !== 'object' || !child.properties || child.oneOf) continue;
    if (value[key] === undefined) value[key] = {};
    if (isObject(value[key])) fillGroups(child, value[key]);
  }
}

/** The UI sends "" for optional fields left blank: treat them as absent. */
function dropBlanks(value: Json, keys: string[]): void {
  for (const key of keys) if (value[key] === '') delete value[key];
}

/** A pasted token or id often brings a space or newline along, which Atlassian would reject as a wrong token. */
function trimStrings(value: Json, keys: string[] = Object.keys(value)): void {
  for (const key of keys) if (typeof value[key] === 'string') value[key] = value[key].trim();
}

function credentialProblems(credentials: unknown): string[] {
  if (credentials === undefined) return []; // the `required` error already says it
  if (!isObject(credentials)) return ['config.credentials must be an object'];
  const authType = credentials.auth_type;
  const validate = typeof authType === 'string' ? validators!.branches.get(authType) : undefined;
  if (!validate) {
    return [`config.credentials.auth_type must be one of ${AUTH_TYPES.join(', ')}`];
  }
  trimStrings(credentials);
  dropBlanks(credentials, ['service_account_email']);
  return validate(credentials) ? [] : (validate.errors ?? []).map((e) => describe(e, '/credentials'));
}

function overlap(group: unknown, path: string): string[] {
  if (!isObject(group) || !Array.isArray(group.include) || !Array.isArray(group.exclude)) return [];
  const excluded = new Set(group.exclude);
  return group.include
    .filter((key) => excluded.has(key))
    .map((key) => `${path}: "${String(key)}" is both in include and in exclude`);
}

function crossFieldProblems(config: Json): string[] {
  const problems: string[] = [];
  if (typeof config.domain === 'string') {
    const domain = normaliseDomain(config.domain);
    if (domain.ok) config.domain = domain.domain;
    else problems.push(`config.domain ${domain.reason}`);
  }
  if (!!config.organization_id !== !!config.organization_admin_api_key) {
    const missing = config.organization_id ? 'organization_admin_api_key' : 'organization_id';
    problems.push(
      `config.${missing} is required when the other organization field is set (give both or neither)`,
    );
  }
  const confluence = isObject(config.confluence) ? config.confluence : {};
  const jira = isObject(config.jira) ? config.jira : {};
  problems.push(...overlap(confluence.spaces, 'config.confluence.spaces'));
  problems.push(...overlap(jira.projects, 'config.jira.projects'));
  problems.push(...overlap(config.users, 'config.users'));
  for (const field of ['site_url_override', 'gateway_url_override', 'auth_url_override']) {
    if (typeof config[field] !== 'string') continue;
    try {
      config[field] = checkBaseUrl(field, config[field]);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

/** Validates a raw config; throws one ConfigError listing every violation. */
export function validateConfig(raw: unknown): SourceConfig {
  if (!isObject(raw)) throw new ConfigError('The config must be a JSON object');
  validators ??= compile();
  const config = structuredClone(raw);
  trimStrings(config, ['organization_id', 'organization_admin_api_key']);
  dropBlanks(config, ['start_date', 'organization_id', 'organization_admin_api_key']);
  fillGroups(connectionSpecification, config);
  const problems: string[] = [];
  if (!validators.config(config)) {
    for (const error of validators.config.errors ?? []) {
      // The oneOf errors of credentials are noise (one per branch); credentialProblems says it per auth_type.
      if (error.instancePath === '/credentials' || error.instancePath.startsWith('/credentials/')) continue;
      problems.push(describe(error));
    }
  }
  problems.push(...credentialProblems(config.credentials));
  problems.push(...crossFieldProblems(config));
  const unique = [...new Set(problems)];
  if (unique.length) throw new ConfigError(`Invalid config: ${unique.join('; ')}`);
  return config as unknown as SourceConfig;
}
