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
    const failure = toFailure(new SystemError('Unexpected body', { cause: new Error('HTTP 500') }));
    expect(failure.message).toBe('Unexpected body');
    expect(failure.internalMessage).toBe('SystemError: Unexpected body');
    expect(failure.stackTrace).toMatch(/SystemError: Unexpected body[\s\S]*Caused by: Error: HTTP 500/);
  });

  it('gives a config error no stack trace (only file paths of the install), its causes by name', () => {
    const failure = toFailure(new ConfigError('Token rejected', { cause: new Error('HTTP 401') }));
    expect(failure.message).toBe('Token rejected');
    expect(failure.internalMessage).toBe('ConfigError: Token rejected (caused by Error: HTTP 401)');
    expect(failure.stackTrace).toBeUndefined();
  });

  it('marks fatal errors', () => {
    expect(toFailure(new ConfigError('401', { fatal: true })).fatal).toBe(true);
    expect(toFailure(new ConfigError('bad space')).fatal).toBe(false);
  });
});
