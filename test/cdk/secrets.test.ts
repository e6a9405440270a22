import { ConfigError } from '../../src/cdk/errors';
import { Scrubber, secretValues } from '../../src/cdk/secrets';
import { runSource } from '../helpers/run-connector';
import { connectionSpecification, failingRead, fakeSource, fakeStream } from './fake-source';

const token = 'tok-9f8e7d6c5b4a';
const apiKey = 'key/with"quote&more';
const config = { token, name: 'visible', credentials: { auth_type: 'key', api_key: apiKey } };
const basic = Buffer.from(`me@example.com:${token}`).toString('base64');
const catalog = {
  streams: ['leaky', 'request-error'].map((name) => ({
    stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh'] },
    sync_mode: 'full_refresh',
    destination_sync_mode: 'append',
  })),
};

/** An error shaped like an HTTP library's: it carries the request config, headers included. */
function requestError(): Error {
  return Object.assign(new Error(`Request failed with status code 401`), {
    code: 'ERR_BAD_REQUEST',
    config: {
      method: 'get',
      url: `https://example.atlassian.net/wiki/api/v2/pages?token=${token}`,
      headers: { Authorization: `Basic ${basic}`, 'X-Key': apiKey },
      data: `client_secret=${apiKey}`,
    },
    response: { status: 401, headers: {}, data: { message: `bad token ${token}` } },
  });
}

const leakySource = fakeSource(
  () => [
    fakeStream(
      'leaky',
      failingRead(
        () =>
          new Error(`upstream echoed ${token} / ${JSON.stringify(apiKey)} / ${encodeURIComponent(apiKey)}`),
        (context) => {
          context.logger.info(`using token ${token} and key ${apiKey}`);
          context.logger.error(`header Authorization: Bearer ${token}`, `stack with ${apiKey}`);
        },
      ),
    ),
    fakeStream('request-error', failingRead(requestError)),
  ],
  {
    check: async () => {
      throw new ConfigError(`The token ${token} was rejected`, { cause: requestError() });
    },
  },
);

function expectNoSecret(text: string) {
  for (const secret of [
    token,
    apiKey,
    JSON.stringify(apiKey).slice(1, -1),
    encodeURIComponent(apiKey),
    basic,
  ]) {
    expect(text).not.toContain(secret);
  }
}

describe('secret scrubbing', () => {
  it('finds every airbyte_secret value, including inside oneOf branches', () => {
    expect(secretValues(connectionSpecification, config).sort()).toEqual([apiKey, token].sort());
  });

  it('keeps secrets out of LOG and TRACE messages, stack traces and request errors in read', async () => {
    const run = await runSource(leakySource, ['read'], { config, catalog });
    expect(run.exitCode).toBe(1);
    expectNoSecret(run.stdout + run.stderr);
    const errors = run.messages.filter((m) => m.trace?.type === 'ERROR').map((m) => m.trace!.error!);
    expect(errors).toHaveLength(2);
    // The message is reported; the request it carries (headers, URL with a token, body) is not.
    expect(errors[1]!.message).toBe('Request failed with status code 401');
    expect(run.stdout).toContain('[redacted]');
  });

  it('keeps secrets out of a failed check and of messages about an invalid config', async () => {
    const check = await runSource(leakySource, ['check'], { config });
    expect(check.messages[0]!.connectionStatus).toEqual({
      status: 'FAILED',
      message: 'The token [redacted] was rejected',
    });
    expectNoSecret(check.stdout + check.stderr);

    const invalid = fakeSource(() => []);
    invalid.validateConfig = () => {
      throw new ConfigError(`Invalid config: /token ${token} is malformed`);
    };
    const discover = await runSource(invalid, ['discover'], { config });
    expectNoSecret(discover.stdout + discover.stderr);
  });

  it('scrubs Atlassian tokens and Authorization values it was never told about, on stdout and stderr', async () => {
    const personal = 'ATATT3xFfGF0T.1234567890.abcdefABCDEF';
    const check = await runSource(
      fakeSource(() => []),
      ['check', '--config', personal],
    );
    const typo = await runSource(
      fakeSource(() => []),
      [personal],
    );
    expect(check.stdout + check.stderr + typo.stdout + typo.stderr).not.toContain(personal);
    expect(check.stdout).toContain('ATATT[redacted]');
    expect(typo.stderr).toContain("unknown command 'ATATT[redacted]'");
  });

  it.each([
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: [redacted]'],
    ['{"authorization":"Bearer abc.def.ghi"}', '{"authorization":"[redacted]"}'],
    ['sent Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', 'sent Bearer [redacted]'],
    ['token ATSTT3xFfGF0abcdefgh1234 given', 'token ATSTT[redacted] given'],
    [
      'grant_type=client_credentials&client_secret=s3cr3t&x=1',
      'grant_type=client_credentials&client_secret=[redacted]&x=1',
    ],
    ['{"access_token":"abc123","expires_in":3600}', '{"access_token":"[redacted]","expires_in":3600}'],
    ['tried as Bearer token via the gateway', 'tried as Bearer token via the gateway'],
  ])('scrubs %s', (input, expected) => {
    expect(new Scrubber().scrub(input)).toBe(expected);
  });
});
