// The Confluence content streams end to end: the real connector (CLI, HTTP client, state) against the
// simulator over HTTP. Every stdout line is validated against the Airbyte protocol (runConnector), every
// record against its stream's schema.
import { startSimulator, type Simulator } from '../../sim';
import { apiMinimumPer1000, requestBreakdown, requestsPer1000 } from '../../src/confluence/request-cost';
import { records, runConnector } from '../helpers/run-connector';
import { catalog, CONTENT, expectedIds, sorted, STREAMS, validate } from './helpers';
import type { ConfluenceModel } from '../../sim/confluence/model';

// Storage-format tags and undecoded entities. (The sim's bodies contain the text `<notes>`, escaped in the XHTML.)
const MARKUP =
  /<\/?(p|div|span|strong|em|table|tbody|tr|td|th|ul|ol|li|h[1-6]|br|a|code|pre|ac:[a-z-]+|ri:[a-z-]+)[\s/>]|&(amp|lt|gt|quot|nbsp|#\d+);/i;

describe('confluence streams end to end', () => {
  let sim: Simulator;
  let config: Record<string, unknown>;
  beforeAll(async () => {
    sim = await startSimulator({ scale: 'small', seed: 5 });
    config = sim.connectorConfig({ jira: { enabled: false } });
  });
  afterAll(() => sim.close());

  it('full refresh reads exactly what the account may see, bodies as plain text; prints requests per 1,000', async () => {
    const rows: string[] = [];
    for (const name of STREAMS) {
      sim.clearRequests();
      const run = await runConnector(['read'], { config, catalog: catalog([name], 'full_refresh') });
      expect(run.exitCode).toBe(0);
      const rs = records(run.messages, name);
      rs.forEach((r) => validate(name, r));
      expect(sorted(rs.map((r) => r.id as string))).toEqual(sorted(expectedIds(sim, name)));
      expect(rs.every((r) => typeof r.url === 'string' && (r.url as string).startsWith('https://'))).toBe(
        true,
      );
      if (['confluence_pages', 'confluence_blogposts', 'confluence_comments'].includes(name)) {
        for (const r of rs) {
          expect(typeof r.body_text).toBe('string');
          expect((r.body_text as string).length).toBeGreaterThan(0);
          expect(r.body_text).not.toMatch(MARKUP);
          expect(r.body_storage).toBeNull();
        }
      }
      if (name !== 'confluence_spaces') {
        // A cheap count goes out first so the Airbyte UI can show progress.
        const estimates = run.messages.filter((m) => m.type === 'TRACE' && m.trace?.type === 'ESTIMATE');
        expect(estimates.map((m) => m.trace!.estimate!.row_estimate)).toEqual([rs.length]);
      }
      const downloads = sim.requests().filter((r) => r.path.includes('/download')).length;
      const per1000 = requestsPer1000(sim.requests(), rs.length);
      rows.push(
        `${name.padEnd(23)} ${String(rs.length).padStart(5)} records ${per1000.toFixed(1).padStart(7)} requests/1,000 ` +
          `(API minimum ${apiMinimumPer1000({ records: rs.length, downloads }).toFixed(1)}) ${JSON.stringify(requestBreakdown(sim.requests()))}`,
      );
    }
    console.log(`requests per 1,000 records (small site, full refresh)\n${rows.join('\n')}`);
  });

  it('asks for the estimate side by side with the first pages, not before them', async () => {
    sim.clearRequests();
    sim.setKnobs({ latencyMs: 150 });
    try {
      const run = await runConnector(['read'], {
        config,
        catalog: catalog(['confluence_pages'], 'full_refresh'),
      });
      expect(run.exitCode).toBe(0);
    } finally {
      sim.setKnobs({ latencyMs: 0 });
    }
    const count = sim.requests().find((r) => r.path === '/wiki/rest/api/search')!;
    const firstPage = sim.requests().find((r) => r.path === '/wiki/rest/api/content/search')!;
    // Awaited first, the first page would leave only after the count's 150 ms answer.
    expect(firstPage.at - count.at).toBeLessThan(150);
  });

  it('carries labels, ancestors, comment containers and replies, attachment text', async () => {
    const m = sim.model.confluence as ConfluenceModel;
    sim.clearRequests();
    const run = await runConnector(['read'], {
      config: { ...config, confluence: { include_raw_body: true } },
      catalog: catalog(CONTENT, 'full_refresh'),
    });
    expect(run.exitCode).toBe(0);
    const pages = records(run.messages, 'confluence_pages');
    const child = pages.find((p) => (p.ancestor_ids as string[]).length >= 2)!;
    const page = m.contents.get(child.id as string)!;
    expect(child.parent_id).toBe(page.parentId);
    expect((child.ancestor_ids as string[]).at(-1)).toBe(page.parentId);
    const labelled = pages.find((p) => m.contents.get(p.id as string)!.labels.length > 0)!;
    expect(sorted(labelled.labels as string[])).toEqual(
      sorted(m.contents.get(labelled.id as string)!.labels.map((l) => l.name)),
    );
    expect(
      pages.every((p) => typeof p.body_storage === 'string' && (p.body_storage as string).includes('<')),
    ).toBe(true);

    // Mentions come out as names: each person is looked up once per run, whichever stream met them first.
    const lookedUp = sim
      .requests()
      .filter((r) => r.path === '/wiki/api/v2/users-bulk')
      .flatMap((r) => (JSON.parse(r.body ?? '{}') as { accountIds: string[] }).accountIds);
    expect(lookedUp.length).toBeGreaterThan(0);
    // Gathered across pages, spaces and streams: a lookup per result page was 8 requests for these 60
    // people; gathered it is one, or a few on a slow machine where the read spans several windows.
    expect(sim.requests().filter((r) => r.path === '/wiki/api/v2/users-bulk').length).toBeLessThanOrEqual(3);
    expect(new Set(lookedUp).size).toBe(lookedUp.length);
    const mentioning = pages.filter((p) => /ri:account-id="/.test(p.body_storage as string));
    expect(mentioning.length).toBeGreaterThan(0);
    for (const p of mentioning) {
      for (const [, id] of (p.body_storage as string).matchAll(/ri:account-id="([^"]+)"/g)) {
        const user = sim.model.directory.users.find((u) => u.accountId === id);
        if (!user) continue;
        expect(p.body_text).toContain(`@${user.displayName}`);
        expect(p.body_text).not.toContain(id!);
      }
    }

    const comments = records(run.messages, 'confluence_comments');
    for (const c of comments) {
      const truth = m.comments.get(c.id as string)!;
      expect(c).toMatchObject({
        container_id: truth.containerId,
        container_type: truth.containerType,
        parent_comment_id: truth.parentCommentId ?? null,
        location: truth.kind,
      });
      if (truth.kind === 'inline') {
        expect(c.resolution_status).toBe(truth.resolutionStatus ?? 'open');
        expect(c.anchor_text).toBe(truth.inlineOriginalSelection);
      }
    }
    expect(comments.some((c) => c.parent_comment_id)).toBe(true);
    expect(comments.some((c) => c.location === 'inline')).toBe(true);

    const attachments = records(run.messages, 'confluence_attachments');
    for (const a of attachments) {
      const truth = m.attachments.get(a.id as string)!;
      expect(a).toMatchObject({
        container_id: truth.containerId,
        file_name: truth.title,
        media_type: truth.mediaType,
      });
      expect(a.download_path).toBe(
        `/wiki/rest/api/content/${truth.containerId}/child/attachment/${a.id}/download`,
      );
    }
    const extracted = attachments.filter(
      (a) => typeof a.text === 'string' && (a.text as string).trim().length > 0,
    );
    expect(new Set(extracted.map((a) => a.media_type)).size).toBeGreaterThanOrEqual(2);
    // Images are not in the default media types: listed, never downloaded.
    expect(attachments.filter((a) => a.media_type === 'image/png').every((a) => a.text === null)).toBe(true);
  });
});
