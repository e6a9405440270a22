// Configured extra fields (config.jira.custom_fields) by id (`customfield_10016`) or by display name
// ("Story Points"). Names are resolved once per sync through GET /rest/api/3/field (a bare array of
// FieldDetails). Values are emitted under `custom_fields["<field id>"]`: ids are stable, names are not.
import type { ProductClient } from '../atlassian/product-client';
import type { Logger } from '../cdk/stream';

interface FieldDetails {
  id?: string;
  key?: string;
  name?: string;
}

export async function resolveCustomFields(options: {
  client: ProductClient;
  wanted: readonly string[];
  logger: Logger;
  signal?: AbortSignal;
}): Promise<string[]> {
  const { client, wanted, logger, signal } = options;
  if (wanted.length === 0) return [];
  const fields = await client.get<FieldDetails[]>('/rest/api/3/field', { signal });
  return matchFields(fields, wanted, logger);
}

/** Pure: the field ids for the wanted ids / names (names case-insensitively); unknown ones are reported. */
export function matchFields(
  fields: readonly FieldDetails[],
  wanted: readonly string[],
  logger: Logger,
): string[] {
  const ids = new Set<string>();
  const unknown: string[] = [];
  for (const w of wanted) {
    const byId = fields.find((f) => f.id === w || f.key === w);
    const byName = fields.filter((f) => f.name?.toLowerCase() === w.trim().toLowerCase());
    if (byId?.id) ids.add(byId.id);
    else if (byName.length > 0) {
      if (byName.length > 1) {
        logger.warn(
          `Jira: custom field name "${w}" matches ${byName.length} fields; all are emitted (${byName.map((f) => f.id).join(', ')}).`,
        );
      }
      for (const f of byName) if (f.id) ids.add(f.id);
    } else unknown.push(w);
  }
  if (unknown.length > 0) logger.warn(`Jira: custom fields not found, skipped: ${unknown.join(', ')}.`);
  return [...ids];
}
