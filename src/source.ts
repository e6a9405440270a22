// The Atlassian source as the CDK runs it: spec, config validation, check, and the streams over a lazily
// connected site (no network until a stream reads).
import type { CheckResult, Source, SourceRuntime } from './cdk/source';
import type { Stream } from './cdk/stream';
import type { ConnectorSpecification } from './generated/protocol';
import type { SourceConfig } from './generated/config';
import { checkConnection } from './atlassian/check';
import { connectSite, createConnection } from './atlassian/connect';
import { createMetrics, type HttpMetrics } from './atlassian/metrics';
import { OAuthClientCredentials } from './atlassian/oauth';
import type { AtlassianSite, StreamDeps } from './atlassian/site';
import { validateConfig } from './config';
import { checkPermissionAccess } from './permissions';
import { allStreams } from './streams';
import spec from '../spec.json';

const STREAMS_AT_ONCE = 4;

export class AtlassianSource implements Source<SourceConfig> {
  private readonly counters: HttpMetrics = createMetrics();
  private readonly oauth: OAuthClientCredentials[] = [];

  spec(): ConnectorSpecification {
    return spec as unknown as ConnectorSpecification;
  }

  validateConfig(raw: unknown): SourceConfig {
    return validateConfig(raw);
  }

  check(config: SourceConfig, runtime: SourceRuntime): Promise<CheckResult> {
    return checkConnection(config, runtime, {
      metrics: this.counters,
      siteProblems: (site, signal) => checkPermissionAccess(site, config, signal),
    });
  }

  streams(config: SourceConfig, runtime: SourceRuntime): Stream[] {
    const connection = createConnection(config, { runtime, metrics: this.counters });
    if (connection.auth instanceof OAuthClientCredentials) this.oauth.push(connection.auth);
    let site: Promise<AtlassianSite> | undefined;
    const deps: StreamDeps = {
      config,
      logger: runtime.logger,
      site: () => {
        // Memoized; a failed connect is forgotten so the next stream may try again.
        site ??= connectSite(connection).catch((error: unknown) => {
          site = undefined;
          throw error;
        });
        return site;
      },
    };
    return allStreams(deps);
  }

  /**
   * Streams read side by side so that one stream's sequential stretches (a cursor chain, the directory)
   * leave request slots to the others; `max_concurrency` still bounds the requests in flight.
   */
  streamsAtOnce(): number {
    return STREAMS_AT_ONCE;
  }

  metrics(): Record<string, number> {
    const exchanges = this.oauth.reduce((sum, auth) => sum + auth.exchanges, 0);
    return { ...this.counters, oauth_token_exchanges: this.counters.oauth_token_exchanges + exchanges };
  }
}
