// Attachment text: size checked from metadata before downloading; a corrupt file
// yields a record with `extraction_error`, never a failed sync.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('a download that fails is reported on its record and the sync carries on', async () => {
    // A pass-through proxy in front of the simulator that answers 404 for one attachment's download
    // (deleted between the listing and the download).
    const first = await read();
    const victim = first.find((r) => r.media_type === 'text/plain')!;
    const proxy = createServer((req, res) => {
      if (req.url?.includes(`/child/attachment/${victim.id as string}/download`)) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"gone"}');
        return;
      }
      const upstream = request(
        new URL(req.url!, sim.url),
        { method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode!, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const rs = await read({ gateway_url_override: url, site_url_override: url, auth_url_override: url });
      const failed = rs.find((r) => r.id === victim.id)!;
      expect(failed.text).toBeNull();
      expect(failed.extraction_error).toMatch(/download failed/);
      expect(rs.length).toBe(first.length);
      expect(rs.filter((r) => typeof r.text === 'string').length).toBe(
        first.filter((r) => typeof r.text === 'string').length - 1,
      );
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 120_000);
});
