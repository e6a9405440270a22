#!/usr/bin/env node
// Process entry of the connector (the package's bin and the Docker ENTRYPOINT).
import { runCli } from './cdk/cli';
import type { Source } from './cdk/source';

// TODO(source): a plain import once src/source.ts (AtlassianSource) has landed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { AtlassianSource } = require('./source') as { AtlassianSource: new () => Source<unknown> };

void runCli(new AtlassianSource(), process.argv.slice(2), {
  name: 'source-atlassian',
  description: 'Airbyte source for Atlassian Cloud: Confluence, Jira, directory and permission data.',
  installProcessHandlers: true,
}).then((exitCode) => process.exit(exitCode));
