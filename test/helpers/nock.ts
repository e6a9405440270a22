// nock for one-off HTTP edge cases, scoped to the test file that imports it. nock patches Node's http
// module, which jest shares between the test files of one worker: left active after its file, it sits
// under the next file's real connections to the simulator and resets keep-alive POSTs there.
import nock from 'nock';

beforeAll(() => {
  if (!nock.isActive()) nock.activate();
  nock.disableNetConnect();
});
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

export default nock;
