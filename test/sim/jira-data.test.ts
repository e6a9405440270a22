// The generated data set: deterministic per seed, with the shapes the connector must cope with, and
// attachment downloads with real file bytes.
import { attachmentBytes } from '../../sim/jira/attachment-bytes';
import { adfBody } from '../../sim/jira/adf';
import { jiraHarness } from './jira-harness';

test('same seed and scale give the same digest; another seed gives another', () => {
  const a = jiraHarness({ seed: 1, scale: 'small' }).module.digest();
  expect(jiraHarness({ seed: 1, scale: 'small' }).module.digest()).toBe(a);
  expect(jiraHarness({ seed: 2, scale: 'small' }).module.digest()).not.toBe(a);
  expect(jiraHarness({ seed: 1, scale: 'tiny' }).module.digest()).not.toBe(a);
});

test('same seed gives byte-identical API responses', async () => {
  const body = { jql: 'project = PLAT ORDER BY id ASC', fields: ['*all'], maxResults: 20 };
  const a = await jiraHarness({ seed: 5 }).call('POST', '/rest/api/3/search/jql', { body });
  const b = await jiraHarness({ seed: 5 }).call('POST', '/rest/api/3/search/jql', { body });
  expect(JSON.stringify(a.body)).toBe(JSON.stringify(b.body));
});

test('the data set has the cases a connector must handle', () => {
  const { module } = jiraHarness({ scale: 'small' });
  const m = module.model;
  const types = new Set([...m.projects.values()].map((p) => p.typeKey));
  expect([...types].sort()).toEqual(['business', 'product_discovery', 'service_desk', 'software']);
  expect([...m.projects.values()].some((p) => p.archived)).toBe(true);
  const issues = [...m.issues.values()];
  expect(issues.some((i) => i.issueTypeId === '10004' && i.parentId !== undefined)).toBe(true);
  expect(issues.some((i) => i.issueTypeId !== '10004' && i.parentId !== undefined)).toBe(true);
  expect(issues.some((i) => i.storyPoints !== undefined)).toBe(true);
  expect(issues.some((i) => i.reviewer !== undefined)).toBe(true);
  expect(issues.some((i) => i.reporter === undefined)).toBe(true);
  expect(issues.some((i) => i.bodySize === 'large')).toBe(true);
  expect(issues.some((i) => i.securityLevelId !== undefined)).toBe(true);
  const comments = [...m.comments.values()];
  expect(comments.some((c) => c.visibility?.type === 'role')).toBe(true);
  expect(comments.some((c) => c.visibility?.type === 'group')).toBe(true);
  expect(new Set([...m.attachments.values()].map((a) => a.kind))).toEqual(new Set(['text', 'pdf', 'docx']));
  // Ids ascend with creation time, keys per project.
  const byId = [...issues].sort((a, b) => Number(a.id) - Number(b.id));
  for (let i = 1; i < byId.length; i++) expect(byId[i]!.created).toBeGreaterThanOrEqual(byId[i - 1]!.created);
});

test('ADF bodies cover the node types a converter must handle, including an unknown one', () => {
  const seen = new Set<string>();
  const visit = (n: { type: string; content?: unknown[]; marks?: { type: string }[] }): void => {
    seen.add(n.type);
    n.marks?.forEach((mk) => seen.add(`mark:${mk.type}`));
    (n.content as (typeof n)[] | undefined)?.forEach(visit);
  };
  for (let seed = 0; seed < 300; seed++) {
    const doc = adfBody(seed, 'normal', [{ accountId: 'a1', displayName: 'Ada' }]);
    if (doc) visit(doc);
  }
  for (const t of [
    'paragraph',
    'heading',
    'mention',
    'panel',
    'table',
    'tableHeader',
    'tableCell',
    'codeBlock',
    'bulletList',
    'orderedList',
    'listItem',
    'emoji',
    'hardBreak',
    'futureWidget',
    'mark:strong',
    'mark:em',
    'mark:code',
    'mark:link',
  ]) {
    expect(seen).toContain(t);
  }
  const nested = JSON.stringify(adfBody(1, 'large', []));
  expect(nested.length).toBeGreaterThan(100_000);
});

test('attachment bytes are real files', () => {
  const pdf = attachmentBytes('pdf', 3).toString('latin1');
  expect(pdf.startsWith('%PDF-1.4')).toBe(true);
  const xref = Number(/startxref\n(\d+)/.exec(pdf)![1]);
  expect(pdf.slice(xref, xref + 4)).toBe('xref');
  const docx = attachmentBytes('docx', 3);
  expect(docx.subarray(0, 4).toString('hex')).toBe('504b0304');
  expect(docx.toString('latin1')).toContain('word/document.xml');
  expect(attachmentBytes('text', 3).toString('utf8')).toContain('Attachment');
});

test('attachment content: 303 by default, bytes with redirect=false, byte ranges', async () => {
  const h = jiraHarness({ scale: 'small' });
  const id = [...h.module.visibleIds('jira_attachments')!][0]!;
  const att = h.module.model.attachments.get(id)!;
  const redirect = await h.call('GET', `/rest/api/3/attachment/content/${id}`, { viaGateway: true });
  expect(redirect.status).toBe(303);
  expect(redirect.headers?.location).toMatch(
    /^https:\/\/api\.atlassian\.com\/ex\/jira\/[^/]+\/rest\/api\/3\/attachment\/content\/\d+\?redirect=false$/,
  );
  const full = await h.call('GET', `/rest/api/3/attachment/content/${id}?redirect=false`);
  expect(full.status).toBe(200);
  expect(full.raw!.length).toBe(att.size);
  expect(full.headers?.['content-type']).toBe(att.mimeType);
  const meta = await h.call('GET', `/rest/api/3/attachment/${id}`);
  expect((meta.body as { size: number }).size).toBe(att.size);
  const part = await h.call('GET', `/rest/api/3/attachment/content/${id}?redirect=false`, {
    headers: { range: 'bytes=0-3' },
  });
  expect(part.status).toBe(206);
  expect(part.raw).toEqual(full.raw!.subarray(0, 4));
  expect(part.headers?.['content-range']).toBe(`bytes 0-3/${att.size}`);
  const beyond = await h.call('GET', `/rest/api/3/attachment/content/${id}?redirect=false`, {
    headers: { range: `bytes=${att.size + 10}-` },
  });
  expect(beyond.status).toBe(416);
});
