import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { extractAttachmentText } from '../../src/text/attachment-text';
import { buildPdf, docx, lzwEncode, pptx, simplePdf, wp, wr, xlsx, zip } from './fixtures';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const extract = (
  bytes: Buffer,
  mediaType: string,
  fileName = 'file',
  extra: { maxChars?: number; timeoutMs?: number } = {},
) => extractAttachmentText(bytes, { mediaType, fileName, ...extra });

describe('extractAttachmentText: plain text', () => {
  it('decodes UTF-8 and drops the BOM, keeping layout', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n"c",  d\n\n€ 👍\n')]);
    expect(await extract(bytes, 'text/csv; charset=utf-8')).toEqual({ text: 'a,b\n"c",  d\n\n€ 👍\n' });
  });

  it('decodes UTF-16 with a BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo', 'utf16le')]);
    expect(await extract(bytes, 'text/plain')).toEqual({ text: 'héllo' });
  });

  it('falls back to Windows-1252 for bytes that are not UTF-8', async () => {
    const bytes = Buffer.from([0x93, 0x63, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x80, 0x35]); // “café” €5
    expect(await extract(bytes, 'text/plain')).toEqual({ text: '“café” €5' });
  });

  it('drops NUL characters and refuses binary content labelled as text', async () => {
    const padded = 'x'.repeat(100);
    expect(await extract(Buffer.from(`a\u0000b\tc\n${padded}`), 'text/plain')).toEqual({
      text: `ab\tc\n${padded}`,
    });
    const binary = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 32));
    expect(await extract(binary, 'text/plain')).toEqual({ error: 'corrupt: binary content in a text file' });
  });

  it('reads JSON, XML and +json types as text', async () => {
    for (const type of ['application/json', 'application/xml', 'application/ld+json', 'text/markdown']) {
      expect(await extract(Buffer.from('{"k": "<v>"}'), type)).toEqual({ text: '{"k": "<v>"}' });
    }
  });

  it('uses the file name when the media type is generic', async () => {
    expect(await extract(Buffer.from('# Title'), 'application/octet-stream', 'README.md')).toEqual({
      text: '# Title',
    });
    expect(await extract(Buffer.from('x'), 'application/octet-stream', 'blob.bin')).toEqual({
      error: 'unsupported media type',
    });
  });

  it('cuts at maxChars without splitting an emoji and says so', async () => {
    expect(await extract(Buffer.from('abc👍def'), 'text/plain', 'a.txt', { maxChars: 4 })).toEqual({
      text: 'abc',
      truncated: true,
    });
    expect(await extract(Buffer.from('abcdef'), 'text/plain', 'a.txt', { maxChars: 6 })).toEqual({
      text: 'abcdef',
    });
  });

  it('turns HTML into text', async () => {
    const html =
      '<!DOCTYPE html><html><head><title>T</title><meta charset="utf-8"><style>p{}</style></head><body><h1>Hi</h1><p>a&nbsp;b</p></body></html>';
    expect(await extract(Buffer.from(html), 'text/html')).toEqual({ text: 'Hi\n\na b' });
  });

  it('reads HTML whose head is never closed', async () => {
    const html = '<html><head><title>Hidden</title><meta charset="utf-8"><body><p>Shown</p></body></html>';
    expect(await extract(Buffer.from(html), 'text/html')).toEqual({ text: 'Shown' });
  });

  it('answers with an error, not an exception, for input that is not bytes', async () => {
    const result = await extractAttachmentText(undefined as unknown as Buffer, {
      mediaType: 'text/plain',
      fileName: 'a.txt',
    });
    expect(result.error).toMatch(/^corrupt: /);
  });

  it('reports unsupported media types without reading them', async () => {
    expect(await extract(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png', 'x.png')).toEqual({
      error: 'unsupported media type',
    });
    expect(await extract(Buffer.from('x'), 'application/msword', 'x.doc')).toEqual({
      error: 'unsupported media type',
    });
  });
});

describe('extractAttachmentText: PDF', () => {
  const page1 = 'BT /F1 24 Tf 72 700 Td (Hello PDF world) Tj 0 -30 Td (Second line \\(with parens\\)) Tj ET';

  it('reads an uncompressed content stream, line by line', async () => {
    expect(await extract(simplePdf([page1]), PDF)).toEqual({
      text: 'Hello PDF world\nSecond line (with parens)',
    });
  });

  it('reads FlateDecode streams, TJ kerning and word gaps, and pages in order', async () => {
    const page2 =
      "BT /F1 12 Tf 1 0 0 1 72 700 Tm [(Ker) 30 (ning) -400 (gap)] TJ 14 TL T* (next) Tj (\\351t\\351 <\\223q\\224>) ' ET";
    const result = await extract(simplePdf([page1, page2], { flate: true }), PDF);
    expect(result).toEqual({
      text: 'Hello PDF world\nSecond line (with parens)\n\nKerning gap\nnext\nété <“q”>',
    });
  });

  it('reads word gaps written as character spacing (Ghostscript style)', async () => {
    const content =
      'BT /F1 10 Tf 2.5 Tc 1 0 0 1 72 700 Tm (Ag) Tj 0 Tc 14.72 0 Td (rof) Tj 2.5 Tc 15 0 Td (ft) Tj 0 Tc 12 0 Td (itle) Tj ET';
    expect(await extract(simplePdf([content]), PDF)).toEqual({ text: 'A groff title' });
  });

  it('reads LZW-compressed content streams (pre-Flate PDFs)', async () => {
    // The encoder reproduces the example of ISO 32000-1 §7.4.4.2, so it speaks the same dialect.
    expect(lzwEncode(Buffer.from('-----A---B')).toString('hex')).toBe('800b6050220c0c8501');
    const lines = Array.from({ length: 120 }, (_, i) => `0 -12 Td (Line ${i} of an old document) Tj`).join(
      '\n',
    );
    const content = Buffer.from(`BT /F1 10 Tf 72 780 Td ${lines} ET`);
    expect(content.length).toBeGreaterThan(3000); // long enough for 10- and 11-bit codes
    const pdf = buildPdf([
      { dict: '<< /Type /Catalog /Pages 2 0 R >>' },
      { dict: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      { dict: '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>' },
      { dict: '/Filter /LZWDecode', stream: lzwEncode(content) },
      helveticaObj,
    ]);
    const result = await extract(pdf, PDF);
    expect(result.text?.split('\n')).toEqual(
      Array.from({ length: 120 }, (_, i) => `Line ${i} of an old document`),
    );
  });

  it('maps composite-font glyph ids through the ToUnicode CMap (hex strings)', async () => {
    const cmap = [
      '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
      '1 begincodespacerange <0000> <FFFF> endcodespacerange',
      '2 beginbfchar <0001> <0048> <0002> <00690020> endbfchar',
      '1 beginbfrange <0010> <0012> <0061> endbfrange',
      '1 beginbfrange <0020> <0021> [<D83DDC4D> <FB01>] endbfrange',
      'endcmap CMapName currentdict /CMap defineresource pop end end',
    ].join('\n');
    const pdf = buildPdf([
      { dict: '<< /Type /Catalog /Pages 2 0 R >>' },
      { dict: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      { dict: '<< /Type /Page /Parent 2 0 R /Resources << /Font << /C0 5 0 R >> >> /Contents 4 0 R >>' },
      {
        dict: '/Filter /FlateDecode',
        stream: deflateSync('BT /C0 10 Tf 50 50 Td <00010002> Tj <001000110012> Tj <00200021> Tj ET'),
      },
      {
        dict: '<< /Type /Font /Subtype /Type0 /BaseFont /ABC+Font /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 6 0 R >>',
      },
      { dict: '', stream: Buffer.from(cmap) },
      { dict: '<< /Type /Font /Subtype /CIDFontType2 /DW 500 /W [1 [600 300] 16 18 500] >>' },
    ]);
    expect(await extract(pdf, PDF)).toEqual({ text: 'Hi abc👍ﬁ' });
  });

  it('finds pages and fonts packed in an object stream', async () => {
    const packed = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    ];
    let offset = 0;
    const header: string[] = [];
    const bodies: string[] = [];
    packed.forEach((body, i) => {
      header.push(`${i + 1} ${offset}`);
      bodies.push(body);
      offset += body.length + 1;
    });
    const headerText = header.join(' ') + '\n';
    const objStm = Buffer.from(headerText + bodies.join('\n'));
    // Objects 1-3 (catalog, page tree, page) exist only inside the object stream, object 6.
    const pdf = buildPdf(
      [
        {
          dict: '/Filter /FlateDecode',
          stream: deflateSync('BT /F1 9 Tf 10 10 Td (From object stream) Tj ET'),
        },
        { dict: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>' },
        {
          dict: `/Type /ObjStm /N 3 /First ${headerText.length} /Filter /FlateDecode`,
          stream: deflateSync(objStm),
        },
      ],
      '/Root 1 0 R',
      4,
    );
    expect(await extract(pdf, PDF)).toEqual({ text: 'From object stream' });
  });

  it('reads text drawn inside form XObjects', async () => {
    const pdf = buildPdf([
      { dict: '<< /Type /Catalog /Pages 2 0 R >>' },
      { dict: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      {
        dict: '<< /Type /Page /Parent 2 0 R /Resources << /XObject << /X1 5 0 R >> /Font << /F1 6 0 R >> >> /Contents 4 0 R >>',
      },
      { dict: '', stream: Buffer.from('q 1 0 0 1 0 0 cm /X1 Do Q BT /F1 10 Tf 0 0 Td (page text) Tj ET') },
      {
        dict: '/Type /XObject /Subtype /Form /BBox [0 0 100 100]',
        stream: Buffer.from('BT /F1 10 Tf 0 50 Td (in form) Tj ET /X1 Do'),
      },
      helveticaObj,
    ]);
    expect(await extract(pdf, PDF)).toEqual({ text: 'in form\npage text' });
  });

  // Made by test/fixtures/text/make-encrypted-pdfs.sh with qpdf, an independent implementation.
  it.each(['rc4-128.pdf', 'aes-128.pdf', 'aes-256.pdf'])(
    'reads %s, encrypted with an owner password only (opens without a password)',
    async (file) => {
      const bytes = readFileSync(join(__dirname, '../fixtures/text', file));
      expect(await extract(bytes, PDF)).toEqual({ text: 'Quarterly numbers\nare confidential' });
    },
  );

  it('reports a PDF that needs a user password as encrypted', async () => {
    const bytes = readFileSync(join(__dirname, '../fixtures/text/aes-256-user-password.pdf'));
    expect(await extract(bytes, PDF)).toEqual({ error: 'encrypted' });
  });

  it.each([
    ['a password check that fails', '<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>'],
    ['a public-key security handler', '<< /Filter /Adobe.PubSec /V 4 /SubFilter /adbe.pkcs7.s5 >>'],
    ['an inline encryption dictionary', null],
  ])('reports a PDF with /Encrypt in the trailer and %s as encrypted', async (_name, encrypt) => {
    const objects = [
      { dict: '<< /Type /Catalog /Pages 2 0 R >>' },
      { dict: '<< /Type /Pages /Kids [] /Count 0 >>' },
      { dict: encrypt ?? '<< >>' },
    ];
    const trailer = encrypt
      ? '/Root 1 0 R /Encrypt 3 0 R /ID [<01> <01>]'
      : '/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>';
    expect(await extract(buildPdf(objects, trailer), PDF)).toEqual({ error: 'encrypted' });
  });

  it('keeps the text of a file truncated after its content stream', async () => {
    const pdf = simplePdf([page1], { flate: true });
    const cut = pdf.subarray(0, pdf.indexOf('xref'));
    expect(await extract(cut, PDF)).toEqual({ text: 'Hello PDF world\nSecond line (with parens)' });
  });

  it('reports a file truncated before any page as corrupt', async () => {
    const pdf = simplePdf([page1]);
    expect(await extract(pdf.subarray(0, 40), PDF)).toEqual({ error: 'corrupt: no pages found' });
  });

  it('reports bytes that are not a PDF as corrupt', async () => {
    expect(await extract(Buffer.from('<html>not a pdf</html>'), PDF)).toEqual({
      error: 'corrupt: not a PDF (no %PDF- header)',
    });
    expect(await extract(Buffer.alloc(0), PDF)).toEqual({ error: 'corrupt: not a PDF (no %PDF- header)' });
  });

  it('survives garbage after the header, deep nesting and a broken Flate stream', async () => {
    const garbage = Buffer.concat([
      Buffer.from('%PDF-1.4\n1 0 obj\n' + '['.repeat(100_000)),
      Buffer.from([0, 255, 12, 40]),
    ]);
    expect((await extract(garbage, PDF)).error).toMatch(/^corrupt: /);
    const broken = buildPdf([
      { dict: '<< /Type /Catalog /Pages 2 0 R >>' },
      { dict: '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' },
      { dict: '<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>' },
      { dict: '/Filter /FlateDecode', stream: Buffer.from('definitely not zlib') },
    ]);
    expect(await extract(broken, PDF)).toEqual({ text: '' });
  });

  it('stops at maxChars', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `0 -12 Td (line number ${i}) Tj`).join('\n');
    const result = await extract(simplePdf([`BT /F1 10 Tf 72 780 Td ${lines} ET`]), PDF, 'a.pdf', {
      maxChars: 50,
    });
    expect(result.truncated).toBe(true);
    expect(result.text).toBe('line number 0\nline number 1\nline number 2\nline num');
  });

  it('lets timers run while a large PDF is parsed', async () => {
    const page = (n: number) =>
      `BT /F1 10 Tf 72 780 Td ${Array.from({ length: 20 }, (_, i) => `0 -12 Td (page ${n} line ${i}) Tj`).join(' ')} ET`;
    const pdf = simplePdf(Array.from({ length: 500 }, (_, n) => page(n)));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const result = await extract(pdf, PDF, 'big.pdf');
    clearInterval(timer);
    expect(result.text?.split('\n\n')).toHaveLength(500);
    expect(ticks).toBeGreaterThan(0);
  });

  it('gives up with a timeout when the budget is spent', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `0 -12 Td (line ${i}) Tj`).join('\n');
    const pdf = simplePdf([`BT /F1 10 Tf ${lines} ET`, `BT /F1 10 Tf ${lines} ET`]);
    expect(await extract(pdf, PDF, 'a.pdf', { timeoutMs: 0 })).toEqual({ error: 'timeout' });
  });
});

const helveticaObj = { dict: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>' };

describe('extractAttachmentText: Office Open XML', () => {
  it('reads DOCX paragraphs, tabs, breaks, tables and footnotes; skips deleted text', async () => {
    const body = [
      wp(wr('Title &amp; intro')),
      wp(wr('one'), '<w:r><w:tab/><w:t>two</w:t><w:br/><w:t>three</w:t></w:r>'),
      wp('<w:del><w:r><w:delText>removed</w:delText></w:r></w:del>', wr('kept')),
      '<w:tbl><w:tr><w:tc>' +
        wp(wr('A1')) +
        '</w:tc><w:tc>' +
        wp(wr('B1')) +
        wp(wr('more')) +
        '</w:tc></w:tr><w:tr><w:tc>' +
        wp(wr('A2')) +
        '</w:tc><w:tc>' +
        wp(wr('B2')) +
        '</w:tc></w:tr></w:tbl>',
      wp(wr('Grüße 👍')),
    ].join('');
    const footnotes = `<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:footnote w:id="1">${wp(wr('A footnote'))}</w:footnote></w:footnotes>`;
    const result = await extract(docx(body, { 'word/footnotes.xml': footnotes }), DOCX);
    expect(result).toEqual({
      text: 'Title & intro\none two\nthree\nkept\n\nA1 | B1 more\nA2 | B2\n\nGrüße 👍\n\nA footnote',
    });
  });

  it('reads PPTX slides in presentation order, with their notes but not the notes chrome', async () => {
    const bytes = pptx([
      { shapes: [['First slide title'], ['bullet a', 'bullet b']], notes: 'Speaker note' },
      { shapes: [['Second slide']] },
    ]);
    expect(await extract(bytes, PPTX)).toEqual({
      text: 'First slide title\nbullet a\nbullet b\nSpeaker note\n\nSecond slide',
    });
  });

  it('reads a DOCX text box once, not also its VML fallback', async () => {
    const textBox = (t: string) => `<w:txbxContent>${wp(wr(t))}</w:txbxContent>`;
    const body =
      wp(wr('before')) +
      wp(
        `<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><wps:txbx>${textBox('In the box')}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>${textBox('In the box')}</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>`,
      ) +
      wp(wr('after'));
    expect(await extract(docx(body), DOCX)).toEqual({ text: 'before\nIn the box\nafter' });
  });

  it('reads PPTX tables one row per line', async () => {
    const tc = (t: string) =>
      `<a:tc><a:txBody><a:bodyPr/><a:p><a:r><a:t>${t}</a:t></a:r></a:p></a:txBody></a:tc>`;
    const table = `<p:graphicFrame><a:graphic><a:graphicData><a:tbl><a:tr h="1">${tc('h1')}${tc('h2')}</a:tr><a:tr h="1">${tc('v1')}${tc('v2')}</a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>`;
    expect(await extract(pptx([{ shapes: [['Table slide']], rawXml: table }]), PPTX)).toEqual({
      text: 'Table slide\n\nh1 | h2\nv1 | v2',
    });
  });

  it('reads XLSX sheets: names, shared and inline strings, numbers, booleans', async () => {
    const shared = [
      '<t>Name</t>',
      '<t>Qty</t>',
      '<r><t>Wid</t></r><r><t>get</t></r><rPh sb="0" eb="1"><t>ウィ</t></rPh>',
    ];
    const rows =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
      '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>42.5</v></c><c r="C2" t="b"><v>1</v></c></row>' +
      '<row r="3"><c r="A3" t="inlineStr"><is><t>inline &amp; more</t></is></c><c r="B3" t="str"><f>A1</f><v>Name</v></c><c r="C3"/></row>';
    const bytes = xlsx(
      [
        { name: 'Stock &amp; Co', rows },
        { name: 'Empty', rows: '' },
      ],
      shared,
    );
    expect(await extract(bytes, XLSX)).toEqual({
      text: 'Stock & Co\nName | Qty\nWidget | 42.5 | TRUE\ninline & more | Name\n\nEmpty',
    });
  });

  it('shows XLSX date cells as dates, by built-in and custom number formats', async () => {
    const styles =
      '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd hh:mm"/><numFmt numFmtId="165" formatCode="0.00&quot; days&quot;"/></numFmts>' +
      '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>';
    const rows =
      '<row r="1"><c r="A1" s="1"><v>45123</v></c><c r="B1" s="2"><v>45123.75</v></c><c r="C1" s="3"><v>2.5</v></c><c r="D1" s="0"><v>45123</v></c></row>';
    expect(await extract(xlsx([{ name: 'Dates', rows }], [], { stylesXml: styles }), XLSX)).toEqual({
      text: 'Dates\n2023-07-16 | 2023-07-16 18:00 | 2.5 | 45123',
    });
    const in1904 = xlsx([{ name: 'Mac', rows: '<row r="1"><c r="A1" s="1"><v>0</v></c></row>' }], [], {
      stylesXml: styles,
      date1904: true,
    });
    expect(await extract(in1904, XLSX)).toEqual({ text: 'Mac\n1904-01-01' });
  });

  it('reports a file that is not a zip as corrupt', async () => {
    const result = await extract(Buffer.from('PK\x03\x04 this is not really a zip'), DOCX);
    expect(result.error).toMatch(/^corrupt: invalid zip/);
  });

  it('reports a truncated DOCX as corrupt', async () => {
    const bytes = docx(wp(wr('x'.repeat(5000))));
    expect((await extract(bytes.subarray(0, Math.floor(bytes.length / 2)), DOCX)).error).toMatch(
      /^corrupt: /,
    );
  });

  it('reports a password-protected Office file as encrypted', async () => {
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(64),
      Buffer.from('EncryptedPackage', 'utf16le'),
    ]);
    expect(await extract(ole, DOCX)).toEqual({ error: 'encrypted' });
    const legacy = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(64),
    ]);
    expect((await extract(legacy, DOCX)).error).toMatch(/^corrupt: legacy Office/);
  });

  it('yields empty text for a zip without the expected parts', async () => {
    expect(await extract(zip({ 'hello.txt': 'hi' }), XLSX)).toEqual({ text: '' });
  });
});
