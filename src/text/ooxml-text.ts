/**
 * Text of Office Open XML documents (ECMA-376): DOCX, PPTX, XLSX, which are zip packages of XML
 * parts. Parts are read in reading order and their text nodes streamed through htmlparser2 into
 * the shared TextWriter, so paragraphs become lines and table rows become ` | `-joined lines.
 *
 * Zip bombs: fflate inflates an entry into a buffer of the size its central directory declares,
 * never more, and we only inflate the parts we read, each within MAX_PART_BYTES.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { decodeXML } from 'entities';
import { Parser } from 'htmlparser2';
import type { Deadline } from './deadline';
import { CorruptFileError, EncryptedFileError } from './extraction-errors';
import { TextWriter } from './text-writer';

export type OoxmlKind = 'docx' | 'pptx' | 'xlsx';

/** Largest single XML part inflated (declared size); bigger parts are skipped. */
const MAX_PART_BYTES = 128 * 1024 * 1024;
/** Most XML inflated per document, all parts together: bounds memory whatever the zip claims. */
const MAX_TOTAL_BYTES = 256 * 1024 * 1024;

export async function extractOoxmlText(
  bytes: Uint8Array,
  kind: OoxmlKind,
  maxChars: number,
  deadline: Deadline,
): Promise<string> {
  const zip = openZip(bytes, (name) => wantedPart(kind, name));
  deadline.check();
  const writer = new TextWriter(maxChars);
  if (kind === 'docx') await docxText(zip, writer, deadline);
  else if (kind === 'pptx') await pptxText(zip, writer, deadline);
  else await xlsxText(zip, writer, deadline);
  return writer.toString();
}

type Parts = Record<string, Uint8Array>;

function wantedPart(kind: OoxmlKind, name: string): boolean {
  if (name.endsWith('.rels')) return true;
  switch (kind) {
    case 'docx':
      return /^word\/(document|footnotes|endnotes)\.xml$/.test(name);
    case 'pptx':
      return name === 'ppt/presentation.xml' || /^ppt\/(slides|notesSlides)\/[^/]+\.xml$/.test(name);
    case 'xlsx':
      return (
        name === 'xl/workbook.xml' ||
        name === 'xl/sharedStrings.xml' ||
        name === 'xl/styles.xml' ||
        /^xl\/worksheets\/[^/]+\.xml$/.test(name)
      );
  }
}

function openZip(bytes: Uint8Array, wanted: (name: string) => boolean): Parts {
  // Password-protected Office files are not zips but OLE compound files holding an
  // "EncryptedPackage" stream (MS-OFFCRYPTO §2.3.4.4).
  if (bytes.length >= 8 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    if (Buffer.from(bytes).includes(Buffer.from('EncryptedPackage', 'utf16le')))
      throw new EncryptedFileError();
    throw new CorruptFileError('legacy Office (OLE) file, not Office Open XML');
  }
  let budget = MAX_TOTAL_BYTES;
  try {
    return unzipSync(bytes, {
      filter: (file: UnzipFileInfo) => {
        if (!wanted(file.name) || file.originalSize > Math.min(MAX_PART_BYTES, budget)) return false;
        budget -= file.originalSize;
        return true;
      },
    });
  } catch (err) {
    throw new CorruptFileError(`invalid zip (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** XML is fed to the parser in slices, so a huge sheet never becomes one giant string. */
const XML_CHUNK_BYTES = 1024 * 1024;

interface XmlHandlers {
  open?: (name: string, attrs: Record<string, string>) => void;
  close?: (name: string) => void;
  text?: (text: string) => void;
}

/**
 * Streams one XML part: handlers get local names (prefix stripped) and decoded text. Stops early
 * once `writer` is full; checks the deadline between slices.
 */
async function walkXml(
  part: Uint8Array | undefined,
  on: XmlHandlers,
  deadline?: Deadline,
  writer?: TextWriter,
): Promise<void> {
  if (!part) return;
  const local = (n: string): string => n.slice(n.indexOf(':') + 1);
  // Markup Compatibility (ECMA-376 Part 3): `mc:AlternateContent` holds the same content twice,
  // as `mc:Choice` (e.g. a DrawingML text box) and `mc:Fallback` (its VML copy). Read the choice.
  let fallbackDepth = 0;
  const parser = new Parser(
    {
      onopentag: (name, attrs) => {
        if (fallbackDepth > 0 || name === 'mc:Fallback') fallbackDepth++;
        else if (on.open) {
          // Entities are decoded here, not by the parser (see storage-to-text), attributes too.
          for (const key of Object.keys(attrs)) attrs[key] = decodeXML(attrs[key]!);
          on.open(local(name), attrs);
        }
      },
      onclosetag: (name) => {
        if (fallbackDepth > 0) fallbackDepth--;
        else on.close?.(local(name));
      },
      ontext: (text) => {
        if (fallbackDepth === 0) on.text?.(decodeXML(text));
      },
    },
    { xmlMode: true, decodeEntities: false },
  );
  const decoder = new TextDecoder('utf-8');
  for (let offset = 0; offset < part.length; offset += XML_CHUNK_BYTES) {
    await deadline?.breathe();
    if (writer?.truncated) return;
    parser.write(decoder.decode(part.subarray(offset, offset + XML_CHUNK_BYTES), { stream: true }));
  }
  parser.end(decoder.decode());
}

/** `_rels/x.xml.rels`: relationship id -> target path resolved against the part's folder. */
async function relationships(parts: Parts, partPath: string): Promise<Map<string, string>> {
  const slash = partPath.lastIndexOf('/');
  const dir = partPath.slice(0, slash + 1);
  const relsPath = `${dir}_rels/${partPath.slice(slash + 1)}.rels`;
  const map = new Map<string, string>();
  await walkXml(parts[relsPath], {
    open: (name, attrs) => {
      if (name === 'Relationship' && attrs.Id && attrs.Target)
        map.set(attrs.Id, resolvePath(dir, attrs.Target));
    },
  });
  return map;
}

function resolvePath(dir: string, target: string): string {
  const segments = (target.startsWith('/') ? target.slice(1) : dir + target).split('/');
  const out: string[] = [];
  for (const s of segments) {
    if (s === '..') out.pop();
    else if (s !== '.' && s !== '') out.push(s);
  }
  return out.join('/');
}

function numbered(parts: Parts, pattern: RegExp): string[] {
  return Object.keys(parts)
    .filter((n) => pattern.test(n))
    .sort((a, b) => Number(a.match(/(\d+)\.xml$/)?.[1] ?? 0) - Number(b.match(/(\d+)\.xml$/)?.[1] ?? 0));
}

/**
 * WordprocessingML: `w:p` paragraphs, `w:t` runs of text, `w:tab`, `w:br`, tables as
 * `w:tbl` > `w:tr` > `w:tc`. Deleted revisions (`w:delText`) are not text.
 */
async function docxText(parts: Parts, writer: TextWriter, deadline: Deadline): Promise<void> {
  const rows: Array<{ cells: number }> = [];
  for (const path of ['word/document.xml', 'word/footnotes.xml', 'word/endnotes.xml']) {
    if (!parts[path]) continue;
    deadline.check();
    let inText = false;
    await walkXml(
      parts[path],
      {
        open: (name) => {
          if (name === 't') inText = true;
          else if (name === 'tab') writer.text(' ');
          else if (name === 'noBreakHyphen') writer.text('-');
          else if (name === 'br' || name === 'cr') writer.break('line');
          else if (name === 'p') writer.break('line');
          else if (name === 'tbl') writer.break('paragraph');
          else if (name === 'tr') {
            writer.break('line');
            rows.push({ cells: 0 });
          } else if (name === 'tc') {
            const row = rows[rows.length - 1];
            writer.enterCell(row ? row.cells++ : 0);
          }
        },
        close: (name) => {
          if (name === 't') inText = false;
          else if (name === 'p') writer.break('line');
          else if (name === 'tc') writer.exitCell();
          else if (name === 'tr') {
            rows.pop();
            writer.break('line');
          } else if (name === 'tbl') writer.break('paragraph');
        },
        text: (text) => {
          if (inText) writer.text(text);
        },
      },
      deadline,
      writer,
    );
    writer.break('paragraph');
  }
}

/** PresentationML: slides in presentation order (`p:sldIdLst`), each followed by its notes. */
async function pptxText(parts: Parts, writer: TextWriter, deadline: Deadline): Promise<void> {
  const rels = await relationships(parts, 'ppt/presentation.xml');
  const ordered: string[] = [];
  await walkXml(parts['ppt/presentation.xml'], {
    open: (name, attrs) => {
      const target = name === 'sldId' ? rels.get(attrs['r:id'] ?? '') : undefined;
      if (target && parts[target]) ordered.push(target);
    },
  });
  const slides = ordered.length > 0 ? ordered : numbered(parts, /^ppt\/slides\/slide\d+\.xml$/);
  for (const slide of slides) {
    deadline.check();
    await drawingText(parts[slide], writer, deadline);
    const notes = [...(await relationships(parts, slide)).values()].find((t) =>
      t.startsWith('ppt/notesSlides/'),
    );
    if (notes && parts[notes]) await drawingText(parts[notes], writer, deadline, true);
    writer.break('paragraph');
  }
}

/** DrawingML text (`a:p` paragraphs of `a:t` runs), shape by shape. */
async function drawingText(
  xml: Uint8Array | undefined,
  writer: TextWriter,
  deadline: Deadline,
  notes = false,
): Promise<void> {
  let inText = false;
  let skipShape = false;
  // DrawingML tables (`a:tbl` > `a:tr` > `a:tc`) render like Word tables: one row per line.
  const rows: Array<{ cells: number }> = [];
  const handlers: XmlHandlers = {
    open: (name, attrs) => {
      if (name === 'sp') skipShape = false;
      // A notes page repeats the slide image, number, header, footer and date as placeholders.
      else if (notes && name === 'ph' && NOTES_CHROME.has(attrs.type ?? '')) skipShape = true;
      else if (name === 't') inText = true;
      else if (name === 'br' || name === 'p') writer.break('line');
      else if (name === 'tbl') writer.break('paragraph');
      else if (name === 'tr') {
        writer.break('line');
        rows.push({ cells: 0 });
      } else if (name === 'tc') {
        const row = rows[rows.length - 1];
        writer.enterCell(row ? row.cells++ : 0);
      }
    },
    close: (name) => {
      if (name === 'sp') skipShape = false;
      else if (name === 't') inText = false;
      else if (name === 'p') writer.break('line');
      else if (name === 'tc') writer.exitCell();
      else if (name === 'tr') {
        rows.pop();
        writer.break('line');
      } else if (name === 'tbl') writer.break('paragraph');
    },
    text: (text) => {
      if (inText && !skipShape) writer.text(text);
    },
  };
  await walkXml(xml, handlers, deadline, writer);
}

const NOTES_CHROME = new Set(['sldNum', 'sldImg', 'hdr', 'ftr', 'dt']);

/**
 * SpreadsheetML: each sheet (workbook order) as its name, then one line per row with cells
 * joined by ` | `. Cell values: shared strings (`t="s"`), inline strings, formula results
 * and numbers as stored.
 */
async function xlsxText(parts: Parts, writer: TextWriter, deadline: Deadline): Promise<void> {
  const shared: string[] = [];
  let current: string[] | undefined;
  let inT = false;
  // `rPh` runs are phonetic guides (furigana) shown above the text, not part of it.
  let inPhonetic = false;
  await walkXml(
    parts['xl/sharedStrings.xml'],
    {
      open: (name) => {
        if (name === 'si') current = [];
        else if (name === 't') inT = true;
        else if (name === 'rPh') inPhonetic = true;
      },
      close: (name) => {
        if (name === 'si') {
          shared.push((current ?? []).join(''));
          current = undefined;
        } else if (name === 't') inT = false;
        else if (name === 'rPh') inPhonetic = false;
      },
      text: (text) => {
        if (inT && !inPhonetic && current) current.push(text);
      },
    },
    deadline,
  );
  deadline.check();

  const dateStyles = await dateStyleIndexes(parts['xl/styles.xml'], deadline);
  const rels = await relationships(parts, 'xl/workbook.xml');
  const sheets: Array<{ name: string; path: string }> = [];
  let date1904 = false;
  await walkXml(parts['xl/workbook.xml'], {
    open: (name, attrs) => {
      if (name === 'workbookPr') date1904 = attrs.date1904 === '1' || attrs.date1904 === 'true';
      const path = name === 'sheet' ? rels.get(attrs['r:id'] ?? '') : undefined;
      if (path && parts[path]) sheets.push({ name: attrs.name ?? '', path });
    },
  });
  if (sheets.length === 0) {
    for (const path of numbered(parts, /^xl\/worksheets\/sheet\d+\.xml$/)) sheets.push({ name: '', path });
  }

  for (const sheet of sheets) {
    deadline.check();
    writer.break('paragraph');
    if (sheet.name) {
      writer.text(sheet.name);
      writer.break('line');
    }
    let cellType = '';
    let isDate = false;
    let value = '';
    let capture = false;
    /** Columns written so far in this row, empty ones included; `column` is the current cell's. */
    let cells = 0;
    let column = -1;
    await walkXml(
      parts[sheet.path],
      {
        open: (name, attrs) => {
          if (name === 'row') {
            writer.break('line');
            cells = 0;
            column = -1;
          } else if (name === 'c') {
            column = columnOf(attrs.r) ?? column + 1;
            cellType = attrs.t ?? 'n';
            isDate = dateStyles.has(Number(attrs.s ?? 0));
            value = '';
          } else if (name === 'v' || (name === 't' && cellType === 'inlineStr')) capture = true;
        },
        close: (name) => {
          if (name === 'v' || name === 't') capture = false;
          else if (name === 'c') {
            const text =
              isDate && cellType === 'n'
                ? (serialToDate(value, date1904) ?? value)
                : cellValue(cellType, value, shared);
            // Empty cells are mostly left out of the file; the reference (`r="C5"`) says where
            // this one sits, and every column before it keeps its separator so columns line up.
            if (text !== '') {
              for (; cells < column; cells++) {
                writer.enterCell(cells);
                writer.exitCell();
              }
              writer.enterCell(cells++);
              writer.text(text);
              writer.exitCell();
            }
          } else if (name === 'row') writer.break('line');
        },
        text: (text) => {
          if (capture) value += text;
        },
      },
      deadline,
      writer,
    );
  }
}

/** Zero-based column of a cell reference (`C5` -> 2); undefined when absent or malformed. */
function columnOf(ref: string | undefined): number | undefined {
  const letters = /^([A-Z]{1,3})\d*$/i.exec(ref ?? '')?.[1]?.toUpperCase();
  if (!letters) return undefined;
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

function cellValue(type: string, raw: string, shared: string[]): string {
  switch (type) {
    case 's':
      return shared[Number(raw)] ?? '';
    case 'b':
      return raw === '1' ? 'TRUE' : raw === '0' ? 'FALSE' : raw;
    default:
      return raw.trim();
  }
}

/**
 * Dates are numbers in SpreadsheetML (days since 1900 or 1904) told apart only by their cell
 * style's number format: built-in formats 14–22 and 45–47, or custom codes with date/time
 * tokens. Returns the `cellXfs` indexes (the `s` attribute of cells) that format dates.
 */
async function dateStyleIndexes(styles: Uint8Array | undefined, deadline: Deadline): Promise<Set<number>> {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  await walkXml(
    styles,
    {
      open: (name, attrs) => {
        if (name === 'numFmt') custom.set(Number(attrs.numFmtId), attrs.formatCode ?? '');
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) xfFormats.push(Number(attrs.numFmtId ?? 0));
      },
      close: (name) => {
        if (name === 'cellXfs') inCellXfs = false;
      },
    },
    deadline,
  );
  const dates = new Set<number>();
  xfFormats.forEach((id, index) => {
    const code = custom.get(id);
    const isDate =
      code === undefined
        ? (id >= 14 && id <= 22) || (id >= 45 && id <= 47)
        : // Strip quoted literals, escapes and colours ("[Red]") before looking for d/m/y/h/s.
          /[dmyhs]/i.test(code.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, ''));
    if (isDate) dates.add(index);
  });
  return dates;
}

/** Serial day number -> ISO date (with time when it has a fraction). */
function serialToDate(raw: string, date1904: boolean): string | undefined {
  const serial = Number(raw);
  if (!Number.isFinite(serial) || serial < 0 || serial > 2_958_465) return undefined;
  // 1900 system: day 1 is 1900-01-01 and Lotus' phantom 1900-02-29 is day 60, so from day 61 on
  // the epoch is 1899-12-30. 1904 system: day 0 is 1904-01-01.
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, serial < 61 ? 31 : 30);
  const ms = epoch + Math.round(serial * 86_400_000);
  const iso = new Date(ms).toISOString();
  return Number.isInteger(serial) ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}
