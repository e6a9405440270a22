import { matchesMediaType } from '../../src/text/media-types';

const defaults = [
  'text/*',
  'application/pdf',
  'application/json',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

describe('matchesMediaType', () => {
  it.each([
    ['text/plain', true],
    ['text/csv', true],
    ['TEXT/HTML; charset=UTF-8', true],
    ['  application/pdf ', true],
    ['application/json;charset=utf-8', true],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', true],
    ['application/pdfx', false],
    ['image/png', false],
    ['application/octet-stream', false],
    ['textual/plain', false],
    ['', false],
  ])('%s -> %s', (type, expected) => {
    expect(matchesMediaType(type, defaults)).toBe(expected);
  });

  it('treats a trailing * as a prefix and * alone as everything', () => {
    expect(matchesMediaType('application/vnd.ms-excel', ['application/vnd.*'])).toBe(true);
    expect(matchesMediaType('image/png', ['*'])).toBe(true);
    expect(matchesMediaType('image/png', ['*/*'])).toBe(true);
  });

  it('judges generically typed uploads by their file extension', () => {
    expect(matchesMediaType('application/octet-stream', defaults, 'Q3 report.PDF')).toBe(true);
    expect(matchesMediaType('binary/octet-stream', defaults, 'notes.txt')).toBe(true);
    expect(matchesMediaType('application/octet-stream', defaults, 'photo.jpg')).toBe(false);
    expect(matchesMediaType('application/octet-stream', defaults)).toBe(false);
    // A specific type is trusted over the extension.
    expect(matchesMediaType('image/png', defaults, 'looks-like.pdf')).toBe(false);
  });

  it('matches nothing for a missing type or an empty pattern list', () => {
    expect(matchesMediaType(undefined, defaults)).toBe(false);
    expect(matchesMediaType(null, ['*'])).toBe(false);
    expect(matchesMediaType('text/plain', [])).toBe(false);
  });
});
