// A credential pasted with an invisible or control character (a zero-width space, a line break) cannot go
// into an HTTP header: Node refuses it. That is the user's to fix, and must not leave a timer behind.
import { exchange } from '../../src/atlassian/http-exchange';
import nock from '../helpers/nock';
import { JIRA, harness, thrown } from './harness';

const PASTED = 'ATSTT.scoped-token-value-pasted-0123\u200B';

test('a token with a zero-width space fails as a fatal config error that names the header, not the token', async () => {
  const api = nock(JIRA).get('/rest/api/3/myself').reply(200, {});
  const { site } = harness({
    credentials: { auth_type: 'service_account', service_account_token: PASTED },
  });
  const error = await thrown(() => site.jira.get('/rest/api/3/myself'));
  expect(error.name).toBe('ConfigError');
  expect(error.code).toBe('config_error');
  expect(error.fatal).toBe(true);
  expect(error.message).toMatch(
    /^A credential contains a character that cannot be sent in an HTTP header \(the authorization header\)/,
  );
  expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('scoped-token');
  expect(api.isDone()).toBe(false);
});

describe('an exchange that cannot be sent', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  test.each([
    ['a control character in a header value', 'GET', { authorization: 'Bearer abc\ndef' }],
    ['a space in a header name', 'GET', { 'x bad': '1' }],
    // Passes the header check; Node's request constructor throws on it.
    ['a method that is no HTTP token', 'BAD METHOD', {}],
  ])('leaves no timer armed (%s)', async (_case, method, headers) => {
    const sent = exchange('http://127.0.0.1:4999/rest/api/3/myself', {
      method: method as 'GET',
      headers,
      timeoutMs: 200,
    });
    await expect(sent).rejects.toThrow();
    expect(jest.getTimerCount()).toBe(0);
  });
});
