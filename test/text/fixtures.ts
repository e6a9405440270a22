/**
 * Small but structurally valid PDF and Office Open XML files, built in memory for the
 * attachment-text tests (no binary fixtures in the repo).
 */
import { deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';

/** A PDF object body; `stream` makes it a stream object with a correct /Length. */
export interface PdfObj {
  dict: string;
  stream?: Buffer;
}

/**
 * Lays out objects numbered from `first` (default 1) with a correct xref table; the trailer
 * names the catalog (object 1 by default).
 */
export function buildPdf(objects: PdfObj[], trailer = '/Root 1 0 R', first = 1): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((obj, i) => {
    offsets.push(length);
    const body = obj.stream
      ? Buffer.concat([
          Buffer.from(
            `${i + first} 0 obj\n<< ${obj.dict} /Length ${obj.stream.length} >>\nstream\n`,
            'latin1',
          ),
          obj.stream,
          Buffer.from('\nendstream\nendobj\n', 'latin1'),
        ])
      : Buffer.from(`${i + first} 0 obj\n${obj.dict}\nendobj\n`, 'latin1');
    parts.push(body);
    length += body.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + first}`,
    ...Array.from({ length: first }, (_, i) => (i === 0 ? '0000000000 65535 f ' : '0000000000 00000 f ')),
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + first} ${trailer} >>`,
    'startxref',
    String(length),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

const helvetica: PdfObj = {
  dict: '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
};

/** One page (or more) of Helvetica text; each content string is a page's content stream. */
export function simplePdf(contents: string[], options: { flate?: boolean } = {}): Buffer {
  const n = contents.length;
  // 1 catalog, 2 pages, 3 font, then per page: page object, content stream.
  const kids = contents.map((_, i) => `${4 + i * 2} 0 R`).join(' ');
  const objects: PdfObj[] = [
    { dict: '<< /Type /Catalog /Pages 2 0 R >>' },
    { dict: `<< /Type /Pages /Kids [${kids}] /Count ${n} /Resources << /Font << /F1 3 0 R >> >> >>` },
    helvetica,
  ];
  contents.forEach((content, i) => {
    objects.push({
      dict: `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${5 + i * 2} 0 R >>`,
    });
    const raw = Buffer.from(content, 'latin1');
    objects.push(
      options.flate ? { dict: '/Filter /FlateDecode', stream: deflateSync(raw) } : { dict: '', stream: raw },
    );
  });
  return buildPdf(objects);
}

export function zip(files: Record<string, string>): Buffer {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(files)) entries[name] = strToU8(text);
  return Buffer.from(zipSync(entries));
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

export function docx(bodyXml: string, extra: Record<string, string> = {}): Buffer {
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'word/document.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>${bodyXml}</w:body></w:document>`,
    ...extra,
  });
}

export const wp = (...runs: string[]): string =>
  `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr>${runs.join('')}</w:p>`;
export const wr = (text: string): string =>
  `<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">${text}</w:t></w:r>`;

const P =
  'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function shape(paragraphs: string[], placeholder?: string): string {
  const ph = placeholder ? `<p:nvPr><p:ph type="${placeholder}"/></p:nvPr>` : '<p:nvPr/>';
  const body = paragraphs.map((t) => `<a:p><a:r><a:rPr lang="en-US"/><a:t>${t}</a:t></a:r></a:p>`).join('');
  return `<p:sp><p:nvSpPr><p:cNvPr id="2" name="x"/><p:cNvSpPr/>${ph}</p:nvSpPr><p:txBody><a:bodyPr/>${body}</p:txBody></p:sp>`;
}

/** Slides given in presentation order; files are numbered in reverse to prove the order is read. */
export function pptx(slides: Array<{ shapes: string[][]; notes?: string; rawXml?: string }>): Buffer {
  const files: Record<string, string> = {};
  const ids: string[] = [];
  const rels: string[] = [];
  slides.forEach((slide, i) => {
    const file = `slide${slides.length - i}.xml`;
    ids.push(`<p:sldId id="${256 + i}" r:id="rId${i + 10}"/>`);
    rels.push(`<Relationship Id="rId${i + 10}" Type="${REL}/slide" Target="slides/${file}"/>`);
    files[`ppt/slides/${file}`] =
      `<p:sld ${P}><p:cSld><p:spTree>${slide.shapes.map((s) => shape(s)).join('')}${slide.rawXml ?? ''}</p:spTree></p:cSld></p:sld>`;
    if (slide.notes !== undefined) {
      const notesFile = `notesSlide${i + 1}.xml`;
      files[`ppt/slides/_rels/${file}.rels`] =
        `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="${REL}/notesSlide" Target="../notesSlides/${notesFile}"/></Relationships>`;
      files[`ppt/notesSlides/${notesFile}`] =
        `<p:notes ${P}><p:cSld><p:spTree>${shape(['slide image'], 'sldImg')}${shape([slide.notes], 'body')}${shape([String(i + 1)], 'sldNum')}</p:spTree></p:cSld></p:notes>`;
    }
  });
  files['ppt/presentation.xml'] =
    `<p:presentation ${P}><p:sldIdLst>${ids.join('')}</p:sldIdLst></p:presentation>`;
  files['ppt/_rels/presentation.xml.rels'] =
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`;
  return zip(files);
}

const S =
  'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

export function xlsx(
  sheets: Array<{ name: string; rows: string }>,
  sharedStrings: string[],
  options: { stylesXml?: string; date1904?: boolean } = {},
): Buffer {
  const files: Record<string, string> = {
    'xl/workbook.xml': `<workbook ${S}>${options.date1904 ? '<workbookPr date1904="1"/>' : ''}<sheets>${sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`,
    'xl/sharedStrings.xml': `<sst ${S} count="${sharedStrings.length}">${sharedStrings.map((s) => `<si>${s}</si>`).join('')}</sst>`,
  };
  if (options.stylesXml) files['xl/styles.xml'] = `<styleSheet ${S}>${options.stylesXml}</styleSheet>`;
  sheets.forEach((s, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = `<worksheet ${S}><sheetData>${s.rows}</sheetData></worksheet>`;
  });
  return zip(files);
}

/**
 * LZW encoder as PDF specifies it (ISO 32000-1 §7.4.4, EarlyChange 1): starts with a clear-table
 * code, ends with EOD. Inputs must stay under ~3,800 bytes (no table reset).
 */
export function lzwEncode(input: Uint8Array): Buffer {
  const bytes: number[] = [];
  let acc = 0;
  let accBits = 0;
  const write = (code: number, width: number): void => {
    acc = (acc << width) | code;
    accBits += width;
    while (accBits >= 8) {
      bytes.push((acc >> (accBits - 8)) & 0xff);
      accBits -= 8;
      acc &= (1 << accBits) - 1;
    }
  };
  const table = new Map<string, number>();
  for (let i = 0; i < 256; i++) table.set(String.fromCharCode(i), i);
  let next = 258;
  let width = 9;
  write(256, width);
  let w = '';
  for (const b of input) {
    const wc = w + String.fromCharCode(b);
    if (table.has(wc)) {
      w = wc;
      continue;
    }
    write(table.get(w)!, width);
    table.set(wc, next++);
    // The decoder learns each entry one code later, and widens one code early.
    if (next >= 1 << width && width < 12) width++;
    w = String.fromCharCode(b);
  }
  if (w) write(table.get(w)!, width);
  if (w && next + 1 >= 1 << width && width < 12) width++;
  write(257, width);
  if (accBits > 0) bytes.push((acc << (8 - accBits)) & 0xff);
  return Buffer.from(bytes);
}
