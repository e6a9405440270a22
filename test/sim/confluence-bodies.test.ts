// Generated bodies and attachment bytes are real: storage XHTML with macros, mentions and entities, and
// files that a text extractor can read (plain text, PDF, DOCX) or that are valid images.
import { startSimulator, type Simulator } from '../../sim';
import { attachmentText } from '../../sim/confluence/attachment-bytes';
import { extractAttachmentText } from '../../src/text/attachment-text';
import { call } from './sim-client';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scale: 'small', seed: 4 });
});
afterAll(() => sim.close());

test('storage bodies carry headings, macros, mentions, tables and entities', async () => {
  const r = await call(sim, '/wiki/api/v2/pages?limit=100&body-format=storage');
  const bodies = (r.body as { results: Array<{ body: { storage: { value: string } } }> }).results
    .map((p) => p.body.storage.value)
    .join('\n');
  for (const needle of [
    '<h1>',
    '<h2>',
    'ac:structured-macro ac:name="code"',
    'ac:name="expand"',
    '<ri:user ri:account-id=',
    '<table',
    '&amp;',
    '<ac:emoticon',
  ]) {
    expect(bodies).toContain(needle);
  }
  const adf = await call(sim, '/wiki/api/v2/pages?limit=5&body-format=atlas_doc_format');
  const doc = JSON.parse(
    (adf.body as { results: Array<{ body: { atlas_doc_format: { value: string } } }> }).results[0]!.body
      .atlas_doc_format.value,
  ) as { type: string; version: number };
  expect(doc).toMatchObject({ type: 'doc', version: 1 });
});

test.each(['text', 'pdf', 'docx'] as const)(
  '%s attachments download through the 302 and their text extracts',
  async (kind) => {
    const sa = sim.model.directory.serviceAccount.accountId;
    const a = [...sim.model.confluence.attachments.values()].find(
      (x) => x.kind === kind && sim.truth.canSee(sa, 'attachment', x.id),
    )!;
    const redirect = await call(
      sim,
      `/wiki/rest/api/content/${a.containerId}/child/attachment/${a.id}/download`,
    );
    expect(redirect.status).toBe(302);
    const bytes = Buffer.from(await (await fetch(redirect.headers.get('location')!)).arrayBuffer());
    const meta = await call(sim, `/wiki/api/v2/attachments/${a.id}`);
    expect((meta.body as { fileSize: number }).fileSize).toBe(bytes.length);
    const extracted = await extractAttachmentText(bytes, { mediaType: a.mediaType, fileName: a.title });
    expect(extracted.error).toBeUndefined();
    const expected = attachmentText(a.id, a.title);
    // The PDF's standard font is Latin-1: compare on the ASCII words.
    expect(extracted.text).toContain(kind === 'pdf' ? `Attachment ${a.id}` : expected);
  },
);

test('images are valid PNGs', async () => {
  const sa = sim.model.directory.serviceAccount.accountId;
  const a = [...sim.model.confluence.attachments.values()].find(
    (x) => x.kind === 'png' && sim.truth.canSee(sa, 'attachment', x.id),
  )!;
  const redirect = await call(
    sim,
    `/wiki/rest/api/content/${a.containerId}/child/attachment/${a.id}/download`,
  );
  const bytes = Buffer.from(await (await fetch(redirect.headers.get('location')!)).arrayBuffer());
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
});

test('the signed media URL refuses a wrong token', async () => {
  const a = [...sim.model.confluence.attachments.values()][0]!;
  expect((await fetch(`${sim.url}/file/${a.fileId}/binary?token=forged`)).status).toBe(401);
});
