import { adfToText } from '../../src/text/adf-to-text';

const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });
const p = (...content: unknown[]) => ({ type: 'paragraph', content });
const t = (text: string, marks?: unknown[]) => ({ type: 'text', text, ...(marks ? { marks } : {}) });
const li = (...content: unknown[]) => ({ type: 'listItem', content });
const cell = (text: string, type = 'tableCell') => ({ type, attrs: {}, content: [p(t(text))] });

const names: Record<string, string> = { '5b10ac8d82e05b22cc7d4ef5': 'Jane Doe' };
const mentionName = (id: string): string | undefined => names[id];

// Each row: an ADF construct as the Jira REST API v3 returns it, and the expected text.
const cases: Array<[string, unknown, string]> = [
  [
    'paragraphs and headings',
    doc({ type: 'heading', attrs: { level: 2 }, content: [t('Steps')] }, p(t('One.')), p(t('Two.'))),
    'Steps\n\nOne.\n\nTwo.',
  ],
  [
    'marks are ignored, link text kept',
    doc(
      p(
        t('bold', [{ type: 'strong' }]),
        t(' and '),
        t('a link', [{ type: 'link', attrs: { href: 'https://x.example' } }]),
        t('!'),
      ),
    ),
    'bold and a link!',
  ],
  ['hard breaks', doc(p(t('line 1'), { type: 'hardBreak' }, t('line 2'))), 'line 1\nline 2'],
  [
    'nested bullet and ordered lists',
    doc({
      type: 'bulletList',
      content: [
        li(p(t('a')), { type: 'orderedList', attrs: { order: 3 }, content: [li(p(t('x'))), li(p(t('y')))] }),
        li(p(t('b')), p(t('b continued'))),
      ],
    }),
    '- a\n  3. x\n  4. y\n- b\n  b continued',
  ],
  [
    'tables: one row per line, cells separated',
    doc({
      type: 'table',
      attrs: { isNumberColumnEnabled: false, layout: 'default' },
      content: [
        { type: 'tableRow', content: [cell('Key', 'tableHeader'), cell('Value', 'tableHeader')] },
        {
          type: 'tableRow',
          content: [cell('env'), { type: 'tableCell', content: [p(t('prod')), p(t('eu'))] }],
        },
      ],
    }),
    'Key | Value\nenv | prod eu',
  ],
  [
    'code block kept verbatim',
    doc(
      p(t('Run:')),
      { type: 'codeBlock', attrs: { language: 'js' }, content: [t('const a = 1;\n\n  if (a) {}')] },
      p(t('end')),
    ),
    'Run:\n\nconst a = 1;\n\n  if (a) {}\n\nend',
  ],
  ['blockquote', doc({ type: 'blockquote', content: [p(t('quoted'))] }, p(t('after'))), 'quoted\n\nafter'],
  ['panel', doc({ type: 'panel', attrs: { panelType: 'warning' }, content: [p(t('Careful'))] }), 'Careful'],
  [
    'expand and nested expand keep title and body',
    doc({
      type: 'expand',
      attrs: { title: 'Logs' },
      content: [
        p(t('stack trace')),
        { type: 'nestedExpand', attrs: { title: 'More' }, content: [p(t('inner'))] },
      ],
    }),
    'Logs\n\nstack trace\n\nMore\n\ninner',
  ],
  ['rule separates blocks', doc(p(t('above')), { type: 'rule' }, p(t('below'))), 'above\n\nbelow'],
  [
    'mentions: callback name, else the stored text, else @id',
    doc(
      p(
        t('cc '),
        { type: 'mention', attrs: { id: '5b10ac8d82e05b22cc7d4ef5', text: '@Old Name', accessLevel: '' } },
        t(', '),
        { type: 'mention', attrs: { id: '123:abc', text: '@Bob' } },
        t(', '),
        { type: 'mention', attrs: { id: '999:zzz' } },
      ),
    ),
    'cc @Jane Doe, @Bob, @999:zzz',
  ],
  [
    'emoji: text, else id, else short name',
    doc(
      p(
        { type: 'emoji', attrs: { shortName: ':grinning:', id: '1f600', text: '😀' } },
        t(' '),
        { type: 'emoji', attrs: { shortName: ':thumbsup:', id: '1f44d' } },
        t(' '),
        { type: 'emoji', attrs: { shortName: ':custom:', id: 'custom-id' } },
      ),
    ),
    '😀 👍 :custom:',
  ],
  [
    'cards show their url',
    doc(p(t('see '), { type: 'inlineCard', attrs: { url: 'https://site.atlassian.net/browse/ABC-1' } }), {
      type: 'blockCard',
      attrs: { url: 'https://example.com/doc' },
    }),
    'see https://site.atlassian.net/browse/ABC-1\n\nhttps://example.com/doc',
  ],
  [
    'date as ISO day',
    doc(p(t('due '), { type: 'date', attrs: { timestamp: '1718755200000' } })),
    'due 2024-06-19',
  ],
  [
    'status lozenge text',
    doc(p(t('state: '), { type: 'status', attrs: { text: 'In review', color: 'blue', localId: 'x' } })),
    'state: In review',
  ],
  [
    'media: alt or file name',
    doc(
      {
        type: 'mediaSingle',
        attrs: { layout: 'center' },
        content: [
          { type: 'media', attrs: { id: 'u1', type: 'file', collection: '', alt: 'screenshot.png' } },
        ],
      },
      p(t('text')),
      { type: 'mediaGroup', content: [{ type: 'media', attrs: { id: 'u2', type: 'file', collection: '' } }] },
    ),
    'screenshot.png\n\ntext',
  ],
  [
    'task and decision lists',
    doc(
      {
        type: 'taskList',
        attrs: { localId: 'l1' },
        content: [
          { type: 'taskItem', attrs: { localId: 'a', state: 'DONE' }, content: [t('shipped')] },
          { type: 'taskItem', attrs: { localId: 'b', state: 'TODO' }, content: [t('write docs')] },
          {
            type: 'taskList',
            attrs: { localId: 'l2' },
            content: [{ type: 'taskItem', attrs: { state: 'TODO' }, content: [t('sub task')] }],
          },
        ],
      },
      {
        type: 'decisionList',
        content: [{ type: 'decisionItem', attrs: { state: 'DECIDED' }, content: [t('use ADF')] }],
      },
    ),
    '[x] shipped\n[ ] write docs\n  [ ] sub task\n\n- use ADF',
  ],
  [
    'placeholders are not text',
    doc(p({ type: 'placeholder', attrs: { text: 'Type here' } }, t('real'))),
    'real',
  ],
  [
    'unknown node types render their children and text',
    doc(
      { type: 'futureBlock', attrs: { x: 1 }, content: [p(t('inside future'))] },
      p({ type: 'futureInline', attrs: { text: 'inline text' } }),
    ),
    'inside future\n\ninline text',
  ],
  [
    'malformed children are skipped',
    doc(null, 'str', 42, [p(t('x'))], p(null, t('ok'), { type: 'text' }), { content: 'not an array' }),
    'ok',
  ],
];

describe('adfToText', () => {
  test.each(cases)('%s', (_name, input, expected) => {
    expect(adfToText(input, { mentionName })).toBe(expected);
  });

  it.each([null, undefined, 'text', 42, [], true])(
    'returns an empty string for a non-document (%p)',
    (input) => {
      expect(adfToText(input)).toBe('');
    },
  );

  it('handles 10k levels of nesting without recursion', () => {
    let node: unknown = t('deep');
    for (let i = 0; i < 10_000; i++) node = { type: 'blockquote', content: [node] };
    expect(adfToText(doc(node))).toBe('deep');
    let list: unknown = p(t('leaf'));
    for (let i = 0; i < 10_000; i++) list = { type: 'bulletList', content: [li(list)] };
    const lines = adfToText(doc(list)).split('\n');
    expect(lines).toEqual([expect.stringMatching(/^ *- leaf$/)]);
  });

  it('converts a 5 MB description and bounds the output', () => {
    const paragraphs = Array.from({ length: 50_000 }, (_, i) => p(t(`paragraph ${i} `.padEnd(100, 'x'))));
    const big = doc(...paragraphs);
    expect(JSON.stringify(big).length).toBeGreaterThan(5_000_000);
    const full = adfToText(big, { maxChars: 10_000_000 });
    expect(full.split('\n\n')).toHaveLength(50_000);
    const bounded = adfToText(big, { maxChars: 1000 });
    expect(bounded.length).toBeLessThanOrEqual(1000);
    expect(bounded.startsWith('paragraph 0 ')).toBe(true);
  });
});
