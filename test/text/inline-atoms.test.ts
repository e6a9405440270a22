import { storageToText } from '../../src/text/storage-to-text';

const mentionName = (id: string): string | undefined => (id === 'u-1' ? 'Jane Doe' : undefined);
const status = (title: string): string =>
  `<ac:structured-macro ac:name="status"><ac:parameter ac:name="colour">Green</ac:parameter><ac:parameter ac:name="title">${title}</ac:parameter></ac:structured-macro>`;
const jira = (key: string): string =>
  `<ac:structured-macro ac:name="jira"><ac:parameter ac:name="key">${key}</ac:parameter></ac:structured-macro>`;
const mention = '<ac:link><ri:user ri:account-id="u-1" /></ac:link>';
const emoji = '<ac:emoticon ac:name="blue-star" ac:emoji-shortname=":tada:" ac:emoji-fallback="🎉" />';

// Status lozenges, issue keys, mentions and emoji are stored glued to the words around them;
// a search index must still see them as words of their own.
describe('storageToText: atomic inline pieces', () => {
  it.each([
    ['a status lozenge between words', `<p>Status:${status('DONE')}next</p>`, 'Status: DONE next'],
    ['a Jira issue key between words', `<p>Fixed by${jira('OPS-7')}today</p>`, 'Fixed by OPS-7 today'],
    ['a mention between words', `<p>Ask${mention}first</p>`, 'Ask @Jane Doe first'],
    ['an emoji between words', `<p>Shipped${emoji}yay</p>`, 'Shipped 🎉 yay'],
    ['two lozenges side by side', `<p>${status('A')}${status('B')}</p>`, 'A B'],
  ])('spaces %s', (_name, input, expected) => {
    expect(storageToText(input, { mentionName })).toBe(expected);
  });

  it.each([
    [
      'a comma or full stop after it',
      `<p>Ping ${mention}, then ${jira('OPS-7')}.</p>`,
      'Ping @Jane Doe, then OPS-7.',
    ],
    [
      'brackets and quotes around it',
      `<p>See (${jira('OPS-7')}) and "${status('DONE')}"</p>`,
      'See (OPS-7) and "DONE"',
    ],
  ])('lets punctuation hug it: %s', (_name, input, expected) => {
    expect(storageToText(input, { mentionName })).toBe(expected);
  });

  it('adds no space at the start of a line or a table cell', () => {
    const input = `<p>${status('OPEN')} first</p><table><tr><td>${jira('OPS-1')}</td><td>${mention}</td></tr></table>`;
    expect(storageToText(input, { mentionName })).toBe('OPEN first\n\nOPS-1 | @Jane Doe');
  });
});
