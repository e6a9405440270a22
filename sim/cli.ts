#!/usr/bin/env node
// `npm run sim -- --scale small --port 0 --seed 1 [--latency 50 --rate-limit 100]`: serves the simulator
// until killed and prints where it listens, its credentials and a connector config that points at it.
import { Command, InvalidArgumentError } from 'commander';
import { startSimulator, type ScaleName } from './index';

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

async function main(): Promise<void> {
  const program = new Command('sim')
    .description('Atlassian Cloud simulator (site, API gateway, OAuth token endpoint, org Admin API)')
    .option('--scale <name>', 'tiny | small | bench | large', 'small')
    .option('--port <port>', 'port to listen on (0 = any free port)', number, 0)
    .option('--seed <seed>', 'seed of the generated dataset and of the faults', number, 1)
    .option('--latency <ms>', 'fixed latency per response', number, 0)
    .option('--jitter <ms>', 'random extra latency up to this many ms', number, 0)
    .option('--rate-limit <rps>', 'requests per second before 429 (0 = off)', number, 0)
    .option('--error-rate <share>', 'share of requests answered 5xx', number, 0)
    .option('--reset-rate <share>', 'share of connections reset', number, 0)
    .option('--config-only', 'print only the connector config JSON (for scripts)')
    .parse();
  const o = program.opts<{
    scale: string;
    port: number;
    seed: number;
    latency: number;
    jitter: number;
    rateLimit: number;
    errorRate: number;
    resetRate: number;
    configOnly?: boolean;
  }>();
  if (!['tiny', 'small', 'bench', 'large'].includes(o.scale))
    throw new InvalidArgumentError(`unknown scale ${o.scale}`);
  const sim = await startSimulator({
    scale: o.scale as ScaleName,
    seed: o.seed,
    port: o.port,
    knobs: {
      latencyMs: o.latency,
      jitterMs: o.jitter,
      rateLimitPerSecond: o.rateLimit,
      errorRate: o.errorRate,
      resetRate: o.resetRate,
    },
  });
  const config = JSON.stringify(sim.connectorConfig(), null, 2);
  if (o.configOnly) process.stdout.write(`${config}\n`);
  else {
    const c = sim.credentials;
    const m = sim.model.confluence;
    process.stdout.write(
      [
        `Atlassian Cloud simulator listening on ${sim.url}  (scale ${o.scale}, seed ${o.seed})`,
        `  site ${sim.domain}  cloudId ${sim.cloudId}  orgId ${c.orgId}`,
        `  gateway       ${sim.url}/ex/{confluence|jira}/${sim.cloudId}/…`,
        `  service acct  ${c.serviceAccountEmail} / ${c.serviceAccountToken}`,
        `  OAuth client  ${c.oauthClientId} / ${c.oauthClientSecret}  (POST ${sim.url}/oauth/token)`,
        `  api token     ${c.userEmail} / ${c.userApiToken}  (site paths only)`,
        `  org API key   ${c.orgAdminApiKey}  (${sim.url}/admin/…)`,
        `  data          ${m.spaces.size} spaces, ${m.contents.size} pages+blog posts, ${m.comments.size} comments, ${m.attachments.size} attachments, ${sim.model.directory.users.length} users`,
        `  control       POST ${sim.url}/__control/{confluence|jira|directory}/{method}, GET ${sim.url}/__control/requests`,
        'Connector config:',
        config,
        'Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  }
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`sim: ${(error as Error).message}\n`);
  process.exit(1);
});
