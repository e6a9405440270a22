import { ConfigError, SystemError, toFailure, TransientError } from '../../src/cdk/errors';

describe('toFailure', () => {
  it.each([
    [new ConfigError('bad domain'), 'config_error'],
    [new TransientError('503'), 'transient_error'],
    [new SystemError('bug'), 'system_error'],
    [new TypeError('x is undefined'), 'system_error'],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient_error'],
    ['a thrown string', 'system_error'],
  ])('maps %p to %s', (error, failureType) => {
    expect(toFailure(error).failureType).toBe(failureType);
  });

  it('keeps the user message, names the class internally and includes causes in the stack', () => {
    const failure = toFailure(new ConfigError('Token rejected', { cause: new Error('HTTP 401') }));
    expect(failure.message).toBe('Token rejected');
    expect(failure.internalMessage).toBe('ConfigError: Token rejected');
    expect(failure.stackTrace).toMatch(/ConfigError: Token rejected[\s\S]*Caused by: Error: HTTP 401/);
  });

  it('marks fatal errors', () => {
    expect(toFailure(new ConfigError('401', { fatal: true })).fatal).toBe(true);
    expect(toFailure(new ConfigError('bad space')).fatal).toBe(false);
  });

  it('describes an axios error by method, URL and status only', () => {
    const error = Object.assign(new Error('Request failed with status code 503'), {
      isAxiosError: true,
      config: {
        method: 'get',
        url: 'https://x.atlassian.net/rest/api/3/search?jql=a',
        headers: { Authorization: 'Basic abc' },
      },
      response: { status: 503 },
    });
    const failure = toFailure(error);
    expect(failure.message).toBe(
      'Request failed with status code 503 (GET https://x.atlassian.net/rest/api/3/search -> HTTP 503)',
    );
    expect(JSON.stringify(failure)).not.toContain('Basic abc');
  });
});
