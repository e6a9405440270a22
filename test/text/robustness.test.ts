import { adfToText } from '../../src/text/adf-to-text';
import { extractAttachmentText } from '../../src/text/attachment-text';
import { storageToText } from '../../src/text/storage-to-text';
import { docx, pptx, simplePdf, wp, wr, xlsx } from './fixtures';

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** A damaged copy: flipped bytes, a cut-out range or a truncation. */
function damage(bytes: Buffer, rnd: () => number): Buffer {
  const copy = Buffer.from(bytes);
  const at = Math.floor(rnd() * copy.length);
  const roll = rnd();
  if (roll < 0.5) {
    for (let i = 0; i < 8; i++) copy[Math.floor(rnd() * copy.length)] = Math.floor(rnd() * 256);
    return copy;
  }
  if (roll < 0.75)
    return Buffer.concat([copy.subarray(0, at), copy.subarray(at + 1 + Math.floor(rnd() * 64))]);
  return copy.subarray(0, at);
}

const valid: Array<[string, Buffer]> = [
  [
    'application/pdf',
    simplePdf(['BT /F1 12 Tf 72 700 Td (Hello) Tj T* [(A) -300 (B)] TJ ET'], { flate: true }),
  ],
  ['application/pdf', simplePdf(['BT /F1 12 Tf 72 700 Td (Plain stream) Tj ET'])],
  [
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    docx(wp(wr('hello')) + `<w:tbl><w:tr><w:tc>${wp(wr('cell'))}</w:tc></w:tr></w:tbl>`),
  ],
  [
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    xlsx([{ name: 'S', rows: '<row><c t="s"><v>0</v></c><c><v>1</v></c></row>' }], ['<t>a</t>']),
  ],
  [
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    pptx([{ shapes: [['title', 'body']], notes: 'notes' }]),
  ],
  ['text/html', Buffer.from('<html><body><h1>T</h1><p>x&nbsp;y</p></body></html>')],
];

describe('robustness against damaged and random input', () => {
  it('answers every damaged file with text or a known error, never an exception', async () => {
    const rnd = prng(7);
    for (let i = 0; i < 300; i++) {
      const [mediaType, bytes] = valid[i % valid.length]!;
      const result = await extractAttachmentText(damage(bytes, rnd), {
        mediaType,
        fileName: 'f',
        timeoutMs: 5000,
      });
      if (result.error === undefined) expect(typeof result.text).toBe('string');
      else expect(result.error).toMatch(/^(corrupt: .+|encrypted|timeout)$/);
    }
  });

  it('converts random tag soup of storage-format elements without leaving markup', () => {
    const rnd = prng(11);
    const tags = [
      'p',
      'ul',
      'li',
      'table',
      'tr',
      'td',
      'ac:structured-macro ac:name="code"',
      'ac:parameter ac:name="title"',
      'ac:plain-text-body',
      'ac:rich-text-body',
      'ac:link',
      'ri:user ri:account-id="u1"',
      'ac:task-list',
      'ac:task',
      'ac:task-body',
      'pre',
      'br',
      'ac:image',
    ];
    const words = ['word ', ' ', '\n', 'ünï ', '😀', '&nbsp;', '&amp;', '&#x1F600;', '<![CDATA[ code ]]>'];
    for (let i = 0; i < 300; i++) {
      let input = '';
      for (let j = 0; j < 50; j++) {
        const tag = tags[Math.floor(rnd() * tags.length)]!;
        const roll = rnd();
        if (roll < 0.35) input += `<${tag}>`;
        else if (roll < 0.6) input += `</${tag.split(' ')[0]}>`;
        else if (roll < 0.65) input += `<${tag}/>`;
        else input += words[Math.floor(rnd() * words.length)];
      }
      const text = storageToText(input);
      expect(text).not.toMatch(/<\/?(p|ul|li|table|tr|td|pre|br|ac:|ri:)\b/);
    }
  });

  it('converts random ADF-like JSON without throwing', () => {
    const rnd = prng(13);
    const types = [
      'doc',
      'paragraph',
      'text',
      'bulletList',
      'orderedList',
      'listItem',
      'table',
      'tableRow',
      'tableCell',
      'codeBlock',
      'mention',
      'emoji',
      'panel',
      'expand',
      'hardBreak',
      'taskList',
      'taskItem',
      'date',
      'status',
      'media',
      'unknownThing',
    ];
    const attrs = [
      { text: 'x', id: 'y', timestamp: 'not-a-number', order: 'q', title: 5 },
      null,
      'bad',
      { url: 3 },
    ];
    const node = (depth: number): unknown => {
      if (rnd() < 0.05) return [null, 1, 'x', [], true][Math.floor(rnd() * 5)];
      const n: Record<string, unknown> = { type: types[Math.floor(rnd() * types.length)] };
      if (rnd() < 0.5) n.text = ['a ', 'b', 5, null][Math.floor(rnd() * 4)];
      if (rnd() < 0.5) n.attrs = attrs[Math.floor(rnd() * attrs.length)];
      if (depth < 6 && rnd() < 0.7)
        n.content = Array.from({ length: Math.floor(rnd() * 4) }, () => node(depth + 1));
      return n;
    };
    for (let i = 0; i < 300; i++) expect(typeof adfToText(node(0))).toBe('string');
  });
});
