// Builds the Jira module on the core's directory, rng and clock, and calls its handlers through the core's
// router, the way the server does (path params, parsed query and JSON body, authenticated caller).
import { createClock } from '../../sim/core/clock';
import { createRng } from '../../sim/core/rng';
import { Router } from '../../sim/core/router';
import { SCALES, type ScaleName } from '../../sim/core/scale';
import type { Clock, ScaleCounts, SimResponse } from '../../sim/core/types';
import { generateDirectory } from '../../sim/directory/generate';
import type { DirectoryModel } from '../../sim/directory/model';
import { createJiraModule, type JiraModule } from '../../sim/jira';

export const SITE_URL = 'https://acme-sim.atlassian.net';
export const GATEWAY_BASE = 'https://api.atlassian.com/ex/jira/11111111-2222-3333-4444-555555555555';

export interface CallOptions {
  caller?: string;
  body?: unknown;
  headers?: Record<string, string>;
  viaGateway?: boolean;
}

export interface JiraHarness {
  module: JiraModule;
  directory: DirectoryModel;
  clock: Clock;
  serviceAccount: string;
  call(method: 'GET' | 'POST', pathAndQuery: string, opts?: CallOptions): Promise<SimResponse>;
}

export function jiraHarness(
  options: {
    seed?: number;
    scale?: ScaleName;
    counts?: Partial<ScaleCounts>;
    /** Wall clock for the simulator clock (default: stopped, so time moves only by mutation ticks). */
    wallClock?: () => number;
  } = {},
): JiraHarness {
  const rng = createRng(options.seed ?? 42);
  const counts = { ...SCALES[options.scale ?? 'tiny'], ...options.counts };
  const clock = createClock({ wallClock: options.wallClock ?? (() => 0) });
  const directory = generateDirectory({ rng, counts, epoch: clock.epoch });
  const module = createJiraModule({ rng, clock, directory, counts, siteUrl: () => SITE_URL });
  const router = new Router();
  module.register(router);
  return {
    module,
    directory,
    clock,
    serviceAccount: directory.serviceAccount.accountId,
    async call(method, pathAndQuery, opts = {}) {
      const url = new URL(pathAndQuery, SITE_URL);
      const match = router.match(method, url.pathname);
      if (!match) return { status: 404, body: { errorMessages: ['no route'], errors: {} } };
      if ('methodMismatch' in match) return { status: 405 };
      return match.handler({
        method,
        path: url.pathname,
        query: url.searchParams,
        body: opts.body,
        headers: opts.headers ?? {},
        surface: opts.viaGateway ? 'gateway' : 'site',
        params: match.params,
        caller: opts.caller ?? directory.serviceAccount.accountId,
        baseUrl: opts.viaGateway ? GATEWAY_BASE : SITE_URL,
        siteUrl: SITE_URL,
      });
    },
  };
}
