import { responseValidator } from '../helpers/openapi';

describe('responseValidator', () => {
  it('accepts a v2 page list and rejects a wrong type', () => {
    const v = responseValidator('confluence-v2.openapi.json', 'get', '/pages', 200);
    expect(v({ results: [{ id: '1', title: 't' }], _links: { base: 'https://x/wiki' } })).toBe(true);
    expect(v({ results: 'nope' })).toBe(false);
    expect(v.errors.length).toBeGreaterThan(0);
  });

  it('follows response $refs of the admin spec', () => {
    const v = responseValidator('admin-organization.openapi.json', 'get', '/v1/orgs', 401);
    expect(v({ code: 401, message: 'Unauthorized' })).toBe(true);
    expect(v({ code: 'x' })).toBe(false);
  });

  it('says when a status has no schema', () => {
    expect(responseValidator('confluence-v2.openapi.json', 'get', '/pages', 401).schemaless).toBe(true);
  });
});
