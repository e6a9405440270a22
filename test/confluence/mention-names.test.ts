// Mention names at the HTTP boundary (nock): lookups are gathered across callers into users-bulk requests
// of at most 250 ids, each person is asked for once, and a failed lookup leaves the ids unnamed.
import nock from '../helpers/nock';
import { MentionNames } from '../../src/confluence/mention-names';
import type { Logger } from '../../src/cdk/stream';
import { CONFLUENCE, harness } from '../atlassian/harness';

const logger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => `acct-${from + i}`);

/**
 * A fresh cache against a users-bulk endpoint that answers every id but `acct-gone` (a deleted account);
 * `asked` records the ids of each request, `lookUp` resolves ids as a reader would.
 */
function setup() {
  const asked: string[][] = [];
  nock(CONFLUENCE)
    .post('/wiki/api/v2/users-bulk')
    .times(100)
    .reply(200, (_uri, body) => {
      const { accountIds } = body as { accountIds: string[] };
      asked.push(accountIds);
      return {
        results: accountIds
          .filter((id) => id !== 'acct-gone')
          .map((accountId) => ({ accountId, displayName: `Name of ${accountId}` })),
      };
    });
  const { site } = harness();
  const names = new MentionNames();
  const signal = new AbortController().signal;
  return { asked, names, lookUp: (accountIds: string[]) => names.resolve(accountIds, site, logger, signal) };
}

describe('MentionNames', () => {
  it('gathers the ids of concurrent callers into full batches of 250, each id asked for once', async () => {
    const { asked, names, lookUp } = setup();
    // Three readers meet overlapping people at about the same time.
    await Promise.all([lookUp(ids(0, 300)), lookUp(ids(200, 300)), lookUp([...ids(450, 10), 'acct-gone'])]);
    expect(asked.map((batch) => batch.length)).toEqual([250, 250, 1]);
    expect(new Set(asked.flat()).size).toBe(501);
    expect(names.get('acct-499')).toBe('Name of acct-499');
    expect(names.get('acct-gone')).toBe(''); // not returned: known as nameless, not asked again

    await lookUp([...ids(0, 500), 'acct-gone']);
    expect(asked).toHaveLength(3);
  });

  it('sends a batch that is not full once its gathering window closes', async () => {
    const { asked, lookUp } = setup();
    const first = lookUp(ids(0, 3));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = lookUp(ids(3, 2)); // joins the open batch
    await Promise.all([first, second]);
    expect(asked).toEqual([ids(0, 5)]);
  });

  it('leaves the ids unnamed when the lookup fails, without failing the caller', async () => {
    nock(CONFLUENCE).post('/wiki/api/v2/users-bulk').reply(403, { message: 'no scope' });
    const { site } = harness();
    const names = new MentionNames();
    await names.resolve(['acct-1'], site, logger, new AbortController().signal);
    expect(names.get('acct-1')).toBe('');
  });
});
