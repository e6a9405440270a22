// Attachment text: size checked from metadata before downloading; a corrupt file
// yields a record with `extraction_error`, never a failed sync.
import { startSimulator, type Simulator } from '../../sim';
import { records, runConnector } from '../helpers/run-connector';
import { catalog, expectedIds } from './helpers';

describe('confluence_attachments text', () => {
  let sim: Simulator;
  let base: Record<string, unknown>;
  const read = async (overrides: Record<string, unknown> = {}) => {
    sim.clearRequests();
    const run = await runConnector(['read'], {
      config: { ...base, ...overrides },
      catalog: catalog(['confluence_attachments'], 'full_refresh'),
    });
    expect(run.exitCode).toBe(0);
    return records(run.messages, 'confluence_attachments');
  };
  const downloads = () => sim.requests().filter((r) => r.path.endsWith('/download'));

  beforeAll(async () => {
    sim = await startSimulator({ scale: 'small', seed: 7 });
    base = sim.connectorConfig({ jira: { enabled: false } });
  });
  afterAll(() => sim.close());

  it('skips files over max_size_mb by their metadata, without downloading them', async () => {
    const limit = 700; // bytes: the simulator's PDF and DOCX files are larger, its text files smaller
    const rs = await read({ attachments: { extract_text: true, max_size_mb: limit / 1024 / 1024 } });
    const big = rs.filter((r) => (r.size as number) > limit && r.media_type !== 'image/png');
    expect(big.length).toBeGreaterThan(0);
    for (const r of big) {
      expect(r.text).toBeNull();
      expect(r.extraction_error).toMatch(/too large/);
    }
    const fetched = new Set(downloads().map((r) => r.path.split('/').at(-2)));
    for (const r of big) expect(fetched.has(r.id as string)).toBe(false);
    expect(fetched.size).toBeGreaterThan(0);
  });

  it('a corrupt PDF is reported on its record; the rest is extracted', async () => {
    const page = [...expectedIds(sim, 'confluence_pages')][0]!;
    const corrupt = sim.control.confluence.addAttachment({
      containerId: page,
      title: 'broken.pdf',
      kind: 'pdf',
      mediaType: 'application/pdf',
      bytes: Buffer.from('%PDF-1.7\nthis is not a pdf at all'),
    });
    const rs = await read();
    expect(rs.find((r) => r.id === corrupt.id)!.extraction_error).toEqual(expect.any(String));
    expect(rs.find((r) => r.id === corrupt.id)!.text).toBeNull();
    expect(
      rs.filter((r) => typeof r.text === 'string' && (r.text as string).length > 0).length,
    ).toBeGreaterThan(5);
  });

  it('downloads nothing when extraction is off', async () => {
    const rs = await read({ attachments: { extract_text: false } });
    expect(rs.every((r) => r.text === null && r.extraction_error === null)).toBe(true);
    expect(downloads()).toEqual([]);
  });
});
