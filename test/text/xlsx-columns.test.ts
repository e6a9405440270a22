import { extractAttachmentText } from '../../src/text/attachment-text';
import { xlsx } from './fixtures';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const sheetText = async (rows: string): Promise<string | undefined> =>
  (
    await extractAttachmentText(xlsx([{ name: 'S', rows }], ['<t>A</t>', '<t>C</t>']), {
      mediaType: XLSX,
      fileName: 'f.xlsx',
    })
  ).text;

// Excel leaves empty cells out of the sheet (or writes them without a value); the cell
// reference says which column each written cell is in.
describe('XLSX text keeps cells in their columns', () => {
  it('keeps the separator of an empty cell between two values', async () => {
    expect(
      await sheetText('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"/><c r="C1" t="s"><v>1</v></c></row>'),
    ).toBe('S\nA | | C');
  });

  it('keeps the separators of columns the file leaves out', async () => {
    expect(await sheetText('<row r="5"><c r="A5"><v>1</v></c><c r="D5"><v>4</v></c></row>')).toBe(
      'S\n1 | | | 4',
    );
  });

  it('keeps the separators of leading empty columns', async () => {
    expect(
      await sheetText('<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="C2"><v>3</v></c></row>'),
    ).toBe('S\n1\n| | 3');
  });

  it('places cells without a reference after the previous one', async () => {
    expect(await sheetText('<row><c><v>1</v></c><c/><c><v>3</v></c></row>')).toBe('S\n1 | | 3');
  });
});
