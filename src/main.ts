#!/usr/bin/env node
// Process entry of the connector (the package's bin and the Docker ENTRYPOINT).
import { runCli } from './cdk/cli';
import { AtlassianSource } from './source';

void runCli(new AtlassianSource(), process.argv.slice(2), {
  name: 'source-atlassian',
  description: 'Airbyte source for Atlassian Cloud: Confluence, Jira, directory and permission data.',
  installProcessHandlers: true,
}).then((exitCode) => process.exit(exitCode));
