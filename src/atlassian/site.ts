// What every Atlassian stream receives: the validated config and a lazily connected site.
import type { SourceConfig } from '../generated/config';
import type { Logger } from '../cdk/stream';
import type { ProductClient } from './product-client';

export interface AtlassianSite {
  cloudId: string;
  /** `https://{domain}`: the base of every web link (`url`) in records. */
  siteUrl: string;
  confluence: ProductClient;
  jira: ProductClient;
  /** The organization Admin API, when `organization_id` + `organization_admin_api_key` are configured. */
  admin?: { client: ProductClient; orgId: string };
}

export interface StreamDeps {
  /** Validated config with spec defaults applied. */
  config: SourceConfig;
  /** Resolves the cloudId and builds the clients on first call (no network until a stream reads). */
  site(): Promise<AtlassianSite>;
  logger: Logger;
}
