// Records carry the plain text of their ADF bodies: every text run, mentions as display names, emoji as
// characters, blocks on their own lines, for each construct the simulator generates (mentions, panels,
// tables, code, nested lists, emoji, an unknown node type). The converter itself is tested in test/text.
import { jiraStreams } from '../../src/jira';
import { harnessSite, readStream } from './harness-client';

interface Node {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: Node[];
}

interface Expectation {
  fragments: string[];
  /** Texts that begin a block, so they must begin a line. */
  lineStarts: string[];
  types: Set<string>;
}

const BLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);

function expectations(doc: Node | null | undefined, nameOf: (id: string) => string | undefined): Expectation {
  const out: Expectation = { fragments: [], lineStarts: [], types: new Set() };
  const walk = (node: Node, blockStart: boolean): void => {
    out.types.add(node.type);
    if (node.type === 'text' && node.text?.trim()) {
      out.fragments.push(node.text.trim());
      if (blockStart) out.lineStarts.push(node.text.trim().split('\n')[0]!);
    } else if (node.type === 'mention') {
      const id = String(node.attrs?.id);
      out.fragments.push(nameOf(id) ?? String(node.attrs?.text).replace(/^@/, ''));
    } else if (node.type === 'emoji') {
      out.fragments.push(String(node.attrs?.text));
    }
    (node.content ?? []).forEach((child, i) => walk(child, BLOCKS.has(node.type) && i === 0));
  };
  if (doc) walk(doc, false);
  return out;
}

describe('text of jira records', () => {
  it('carries every text run of descriptions and comments, structure kept, for each ADF construct', async () => {
    const site = harnessSite({ scale: 'small', seed: 3 });
    const deps = site.deps();
    const streams = jiraStreams(deps);
    const issues = new Map(
      (await readStream(streams.find((s) => s.name === 'jira_issues')!)).records.map((r) => [
        r.id as string,
        r,
      ]),
    );
    const comments = new Map(
      (await readStream(streams.find((s) => s.name === 'jira_comments')!)).records.map((r) => [
        r.id as string,
        r,
      ]),
    );
    const nameOf = (id: string) => site.harness.directory.userById(id)?.displayName;
    const seen = new Set<string>();
    let checked = 0;
    const check = (text: unknown, doc: Node | null | undefined, what: string) => {
      const e = expectations(doc, nameOf);
      e.types.forEach((t) => seen.add(t));
      const body = typeof text === 'string' ? text : '';
      for (const f of e.fragments)
        if (!body.includes(f)) throw new Error(`${what}: missing ${JSON.stringify(f)}`);
      const lines = body.split('\n').map((l) => l.trimStart());
      for (const f of e.lineStarts) {
        // A block begins a line (after a list marker), or a table cell within its row's line.
        const starts = (l: string) =>
          l.replace(/^([-*•]|\d+\.)\s*/, '').startsWith(f) || l.includes(` | ${f}`);
        if (!lines.some((l) => l.startsWith(f) || starts(l))) {
          throw new Error(`${what}: ${JSON.stringify(f)} does not start a line`);
        }
      }
      if (!doc) expect(text ?? null).toBeNull();
      checked++;
    };
    // The raw documents, from the same API the connector reads.
    for (const projectId of new Set([...issues.values()].map((r) => r.project_id as string))) {
      let nextPageToken: string | undefined;
      do {
        const res = await site.harness.call('POST', '/rest/api/3/search/jql', {
          body: {
            jql: `project = ${projectId}`,
            fields: ['description', 'comment'],
            maxResults: 100,
            nextPageToken,
          },
        });
        const page = res.body as {
          issues: {
            id: string;
            fields: { description?: Node; comment?: { comments: { id: string; body: Node }[] } };
          }[];
          nextPageToken?: string;
        };
        for (const issue of page.issues) {
          check(issues.get(issue.id)?.description_text, issue.fields.description, `issue ${issue.id}`);
          for (const c of issue.fields.comment?.comments ?? []) {
            check(comments.get(c.id)?.body_text, c.body, `comment ${c.id}`);
          }
        }
        nextPageToken = page.nextPageToken;
      } while (nextPageToken);
    }
    expect(checked).toBeGreaterThan(500);
    for (const construct of [
      'mention',
      'panel',
      'table',
      'codeBlock',
      'bulletList',
      'orderedList',
      'emoji',
      'futureWidget',
      'heading',
    ]) {
      expect(seen).toContain(construct);
    }
  });
});
