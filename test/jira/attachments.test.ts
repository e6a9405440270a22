// Attachment text: extracted when enabled and the media type is listed, after a size check on the
// metadata; a failed download or a broken file is reported on the record, never a failed sync.
import { jiraStreams } from '../../src/jira';
import { harnessSite, readStream, type HarnessSite } from './harness-client';

const read = async (site: HarnessSite, config: Parameters<HarnessSite['deps']>[0] = {}) =>
  (
    await readStream(
      jiraStreams(site.deps(config)).find((s) => s.name === 'jira_attachments')!,
      { syncMode: 'full_refresh' },
    )
  ).records;
const downloads = (site: HarnessSite) =>
  site.requests.filter((r) => r.path.startsWith('/rest/api/3/attachment/content/'));

describe('jira_attachments text', () => {
  it('extracts the text of every listed media type (text, PDF, DOCX)', async () => {
    const site = harnessSite({ scale: 'small', seed: 9 });
    const records = await read(site);
    expect(records.length).toBe(site.harness.module.visibleIds('jira_attachments')!.size);
    const types = new Set(records.map((r) => r.media_type));
    expect(types.size).toBeGreaterThan(1);
    for (const r of records) {
      expect(r.extraction_error).toBeNull();
      expect(typeof r.text).toBe('string');
      expect((r.text as string).trim().length).toBeGreaterThan(0);
      expect(r.download_path).toBe(`/rest/api/3/attachment/content/${r.id}`);
    }
    // One download per file, asking for the bytes directly (no redirect hop).
    expect(downloads(site).length).toBe(records.length);
    expect(downloads(site).every((r) => r.query === 'redirect=false')).toBe(true);
  });

  it('skips files over max_size_mb by their metadata, without downloading them', async () => {
    const site = harnessSite({ scale: 'small', seed: 9 });
    const limit = 700; // bytes: the PDF and DOCX files of the simulator are larger, its text files smaller
    const records = await read(site, {
      attachments: {
        extract_text: true,
        max_size_mb: limit / 1024 / 1024,
        media_types: ['*/*', 'text/*', 'application/*'],
      },
    });
    const big = records.filter((r) => (r.size as number) > limit);
    expect(big.length).toBeGreaterThan(0);
    for (const r of big) {
      expect(r.text).toBeNull();
      expect(r.extraction_error).toMatch(/too large/);
    }
    const fetched = new Set(downloads(site).map((r) => r.path.split('/').pop()));
    for (const r of big) expect(fetched.has(r.id as string)).toBe(false);
    for (const r of records.filter((x) => (x.size as number) <= limit)) expect(r.text).not.toBeNull();
  });

  it('reports a failed download on the record and carries on', async () => {
    const probe = harnessSite({ scale: 'small', seed: 9 });
    const victim = [...probe.harness.module.visibleIds('jira_attachments')!][0]!;
    const site = harnessSite({
      scale: 'small',
      seed: 9,
      failPath: (_m, path) => (path === `/rest/api/3/attachment/content/${victim}` ? 500 : undefined),
    });
    const records = await read(site);
    const failed = records.find((r) => r.id === victim)!;
    expect(failed.text).toBeNull();
    expect(failed.extraction_error).toMatch(/download failed \(HTTP 500\)/);
    expect(records.filter((r) => r.text !== null).length).toBe(records.length - 1);
  });

  it('downloads nothing when extraction is off or the media type is not listed', async () => {
    const off = harnessSite({ scale: 'small', seed: 9 });
    const records = await read(off, { attachments: { extract_text: false } });
    expect(records.every((r) => r.text === null && r.extraction_error === null)).toBe(true);
    expect(downloads(off)).toEqual([]);
    const unlisted = harnessSite({ scale: 'small', seed: 9 });
    await read(unlisted, { attachments: { extract_text: true, media_types: ['image/*'] } });
    expect(downloads(unlisted)).toEqual([]);
  });
});
