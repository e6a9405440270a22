// Broken and hostile API bodies never crash the sync: HTML error pages and truncated JSON on 200s (the
// simulator's malformedRate knob), and content crafted to hurt a parser — a 5 MB body, deep nesting, unknown
// ADF nodes and storage macros, wrong field types. Each is either read or reported, and a stream that cannot
// be read is named in an ERROR trace while the others complete.
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { startSimulator, type Simulator } from '../../sim';
import type { ConfluenceModel } from '../../sim/confluence/model';
import type { AirbyteMessage, AirbyteStream } from '../../src/generated/protocol';
import { records, runConnector, type ConnectorRun } from '../helpers/run-connector';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import {
  discoverStreams,
  expectedIds,
  fullRefreshCatalog,
  idsOf,
  leakedSecrets,
  reports,
  secretsOf,
  sorted,
  writes,
} from './helpers';

const statusOf = (messages: AirbyteMessage[], stream: string) =>
  messages
    .filter((m) => m.trace?.stream_status?.stream_descriptor.name === stream)
    .map((m) => m.trace!.stream_status!.status)
    .at(-1);

const errorTraces = (messages: AirbyteMessage[]) =>
  messages.filter((m) => m.trace?.type === 'ERROR').map((m) => m.trace!.error!);

const validators = new Map<string, ValidateFunction>();
/** Records of a stream that do not match the schema discover declared for it, as `id: problem`. */
function schemaViolations(run: ConnectorRun, stream: AirbyteStream): string[] {
  let validate = validators.get(stream.name);
  if (!validate) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validate = ajv.compile(stream.json_schema);
    validators.set(stream.name, validate);
  }
  const check = validate;
  return records(run.messages, stream.name).flatMap((r: Record<string, unknown>) => {
    const id = String(r.id);
    return check(r)
      ? []
      : [`${id}: ${(check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join(', ')}`];
  });
}

/**
 * The contract for a run that met bad data: no crash (no system_error), every stream ends COMPLETE or
 * INCOMPLETE, each INCOMPLETE stream is named by an ERROR trace, the exit code says whether any failed,
 * every COMPLETE stream with a truth holds exactly it, and no record breaks its stream's declared schema
 * (bad upstream values are coerced or reported, not passed on to the destination).
 */
function expectReportedNotCrashed(sim: Simulator, run: ConnectorRun, streams: AirbyteStream[]): string[] {
  const failed: string[] = [];
  for (const stream of streams) {
    const status = statusOf(run.messages, stream.name);
    expect({ stream: stream.name, schemaViolations: schemaViolations(run, stream) }).toEqual({
      stream: stream.name,
      schemaViolations: [],
    });
    expect({ stream: stream.name, ended: status === 'COMPLETE' || status === 'INCOMPLETE' }).toEqual({
      stream: stream.name,
      ended: true,
    });
    if (status === 'INCOMPLETE') {
      failed.push(stream.name);
      const named = errorTraces(run.messages).find((e) => e.stream_descriptor?.name === stream.name);
      expect({ stream: stream.name, namedInErrorTrace: !!named }).toEqual({
        stream: stream.name,
        namedInErrorTrace: true,
      });
      failed.pop();
      failed.push(`${stream.name}: ${named?.message ?? ''} ${named?.internal_message ?? ''}`);
    } else {
      const expected = expectedIds(sim, stream.name);
      if (expected) {
        expect({ stream: stream.name, ids: sorted(idsOf(stream, run.messages)) }).toEqual({
          stream: stream.name,
          ids: sorted(expected),
        });
      }
    }
  }
  expect(errorTraces(run.messages).filter((e) => e.failure_type === 'system_error')).toEqual([]);
  expect(run.exitCode === 0).toBe(failed.length === 0);
  return failed;
}

describe('malformed bodies from the API', () => {
  let sim: Simulator;
  let streams: AirbyteStream[];
  let config: Record<string, unknown>;
  const outputs: ConnectorRun[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ scale: 'tiny', seed: 19 });
    secrets.push(...secretsOf(sim));
    config = sim.connectorConfig({ confluence: { include_archived_spaces: true } });
    streams = await discoverStreams(config);
  });
  afterAll(async () => {
    expect(writes(sim)).toEqual([]);
    expect(leakedSecrets(secrets, outputs)).toEqual([]);
    await sim.close();
  });

  it('retries the odd HTML page or truncated JSON and still reads everything, reporting it', async () => {
    sim.clearRequests();
    sim.setKnobs({ malformedRate: 0.05 });
    const run = await runConnector(['read'], { config, catalog: fullRefreshCatalog(streams) });
    sim.setKnobs({ malformedRate: 0 });
    outputs.push(run);
    expect(run.exitCode).toBe(0);
    expect(expectReportedNotCrashed(sim, run, streams)).toEqual([]);
    // The simulator logs a broken 200 like any 200; the run must say it met (and retried) bad bodies.
    expect(reports(run.messages).some((text) => /malformed|not json|invalid json|html/i.test(text))).toBe(
      true,
    );
  }, 60_000);

  it('names each stream that failed when every body stays broken, with the reason', async () => {
    // Every body broken: each stream gives up after its retries, and says why.
    const few = streams.filter((s) => ['confluence_spaces', 'jira_projects'].includes(s.name));
    expect(few).toHaveLength(2);
    sim.setKnobs({ malformedRate: 1 });
    const run = await runConnector(['read'], { config, catalog: fullRefreshCatalog(few) });
    sim.setKnobs({ malformedRate: 0 });
    outputs.push(run);
    const failed = expectReportedNotCrashed(sim, run, few);
    expect(failed).toHaveLength(2);
    expect(run.exitCode).not.toBe(0);
    for (const reason of failed) expect(reason).toMatch(/malformed|json|html/i);
  }, 60_000);

  describe('crafted Confluence bodies', () => {
    it('reads a 5 MB page, 10,000 nested elements, unknown macros and broken XHTML', async () => {
      const m = sim.model.confluence as ConfluenceModel;
      const pages = [...m.contents.values()].filter(
        (c) => c.kind === 'page' && c.status === 'current' && expectedIds(sim, 'confluence_pages')!.has(c.id),
      );
      const [huge, deep, unknown, broken] = pages;
      const paragraph = '<p>Lorem ipsum dolor sit amet &amp; consectetur.</p>';
      sim.control.confluence.updatePage(huge!.id, {
        body: paragraph.repeat(Math.ceil((5 * 1024 * 1024) / paragraph.length)),
      });
      sim.control.confluence.updatePage(deep!.id, {
        body: `${'<div>'.repeat(10_000)}deep text${'</div>'.repeat(10_000)}`,
      });
      sim.control.confluence.updatePage(unknown!.id, {
        body:
          '<p>before</p><ac:structured-macro ac:name="no-such-macro-xyz" ac:schema-version="9">' +
          '<ac:parameter ac:name="weird">1</ac:parameter><ac:rich-text-body><p>inside</p></ac:rich-text-body>' +
          '</ac:structured-macro><ri:nonsense ri:value="x"/><p>after</p>',
      });
      sim.control.confluence.updatePage(broken!.id, {
        body: '<p>unclosed <b>bold <table><tr><td>cell &bogus; <',
      });

      const run = await runConnector(['read'], {
        config,
        catalog: fullRefreshCatalog(streams.filter((s) => s.name === 'confluence_pages')),
      });
      outputs.push(run);
      const failed = expectReportedNotCrashed(
        sim,
        run,
        streams.filter((s) => s.name === 'confluence_pages'),
      );
      expect(failed).toEqual([]);
      const byId = new Map(records(run.messages, 'confluence_pages').map((r) => [r.id as string, r]));
      const reported = reports(run.messages).join('\n');
      for (const page of [huge, deep, unknown, broken]) {
        const record = byId.get(page!.id);
        // Read (with text, maybe bounded) or reported by id: never silently dropped.
        expect(record !== undefined || reported.includes(page!.id)).toBe(true);
      }
      expect(String(byId.get(deep!.id)?.body_text ?? '')).toContain('deep text');
      expect(String(byId.get(unknown!.id)?.body_text ?? '')).toMatch(/before[\s\S]*after/);
    }, 60_000);
  });

  describe('crafted Jira issues', () => {
    let proxy: FaultProxy;
    afterAll(() => proxy?.close());

    it('reads or reports issues with unknown ADF nodes, 1,500-deep ADF, wrong field types and a 5 MB description', async () => {
      const issues = [...expectedIds(sim, 'jira_issues')!].sort();
      const [unknownNode, deep, wrongTypes, huge] = issues;
      // Built as text: serialising a 3,000-level object would overflow the test's own stack first.
      const DEEP = '__deep_adf__';
      const deepAdf = (depth: number): string =>
        '{"type":"doc","version":1,"content":[' +
        '{"type":"bulletList","content":[{"type":"listItem","content":['.repeat(depth) +
        '{"type":"paragraph","content":[{"type":"text","text":"deep text"}]}' +
        ']}]}'.repeat(depth) +
        ']}';
      const crafted: Record<string, (fields: Record<string, unknown>) => void> = {
        [unknownNode!]: (f) => {
          f.description = {
            type: 'doc',
            version: 1,
            content: [
              { type: 'paragraph', content: [{ type: 'text', text: 'before' }] },
              {
                type: 'holographicProjection',
                attrs: { beam: 7 },
                content: [{ type: 'text', text: 'inner' }],
              },
              {
                type: 'paragraph',
                content: [
                  { type: 'mysteryInline', attrs: {} },
                  { type: 'text', text: 'after' },
                ],
              },
            ],
          };
        },
        [deep!]: (f) => {
          f.description = DEEP;
        },
        [wrongTypes!]: (f) => {
          f.summary = 12345;
          f.labels = 'not-an-array';
          f.description = 'a plain string where ADF belongs';
          f.priority = [];
          f.status = 'Open';
        },
      };
      // The 5 MB description goes through the simulator itself.
      const big = 'All work and no play makes Jack a dull boy. '.repeat(Math.ceil((5 * 1024 * 1024) / 44));
      (sim.control.jira.updateIssue as unknown as (o: { issue: string; description: string }) => unknown)({
        issue: huge!,
        description: big,
      });
      let rewritten = 0;
      proxy = await startFaultProxy({
        target: sim.url,
        seed: 19,
        rewrite: (_method, path, body) => {
          if (!path.startsWith('/ex/jira/')) return undefined;
          const list = (body as { issues?: { id?: string; fields?: Record<string, unknown> }[] }).issues;
          if (!Array.isArray(list)) return undefined;
          let changed = false;
          for (const issue of list) {
            const craft = issue.id !== undefined ? crafted[issue.id] : undefined;
            if (craft && issue.fields) {
              craft(issue.fields);
              changed = true;
            }
          }
          if (changed) rewritten++;
          return changed ? JSON.stringify(body).replace(`"${DEEP}"`, deepAdf(1500)) : undefined;
        },
      });
      const jiraIssues = streams.filter((s) => s.name === 'jira_issues');
      const run = await runConnector(['read'], {
        config: sim.connectorConfig({
          confluence: { enabled: false },
          site_url_override: proxy.url,
          gateway_url_override: proxy.url,
          auth_url_override: proxy.url,
        }),
        catalog: fullRefreshCatalog(jiraIssues),
      });
      outputs.push(run);
      expect(rewritten).toBeGreaterThan(0);
      const failed = expectReportedNotCrashed(sim, run, jiraIssues);
      const reported = reports(run.messages).join('\n');
      if (failed.length === 0) {
        const byId = new Map(records(run.messages, 'jira_issues').map((r) => [r.id as string, r]));
        for (const id of [unknownNode, deep, wrongTypes, huge]) {
          expect({ id, readOrReported: byId.has(id!) || reported.includes(id!) }).toEqual({
            id,
            readOrReported: true,
          });
        }
        expect(String(byId.get(unknownNode!)?.description_text ?? '')).toMatch(/before[\s\S]*after/);
        expect(String(byId.get(deep!)?.description_text ?? '')).toContain('deep text');
      }
    }, 60_000);
  });
});
