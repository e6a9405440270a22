// confluence_attachments.text_truncated says whether extracted text was cut: false for text
// extracted whole, null only when there is no text (as jira_attachments does).
import { startSimulator, type Simulator } from '../../sim';
import { records, runConnector } from '../helpers/run-connector';
import { catalog } from './helpers';

describe('confluence_attachments text_truncated', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ scale: 'small', seed: 7 });
  });
  afterAll(() => sim.close());

  it('is false for text extracted whole and null where no text was extracted', async () => {
    const run = await runConnector(['read'], {
      config: sim.connectorConfig({ jira: { enabled: false }, attachments: { extract_text: true } }),
      catalog: catalog(['confluence_attachments'], 'full_refresh'),
    });
    expect(run.exitCode).toBe(0);
    const rs = records(run.messages, 'confluence_attachments');
    const withText = rs.filter((r) => typeof r.text === 'string' && r.text !== '');
    const withoutText = rs.filter((r) => r.text === null);
    expect(withText.length).toBeGreaterThan(0);
    expect(withoutText.length).toBeGreaterThan(0);
    for (const r of withText) expect(r.text_truncated).toBe(false);
    for (const r of withoutText) expect(r.text_truncated).toBeNull();
  });
});
