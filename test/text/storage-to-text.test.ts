import { storageToText } from '../../src/text/storage-to-text';

const names: Record<string, string> = { '5b10a2844c20165700ede21g': 'Jane Doe' };
const mentionName = (id: string): string | undefined => names[id];

// Each row: a construct as Confluence stores it, and the text a search index should get.
const cases: Array<[string, string, string]> = [
  [
    'headings and paragraphs',
    '<h1>Release plan</h1><p>First para.</p><p>Second para.</p>',
    'Release plan\n\nFirst para.\n\nSecond para.',
  ],
  ['whitespace collapses within lines', '<p>  lots   of\n\n   space\t here  </p>', 'lots of space here'],
  [
    'named, numeric and HTML-only entities',
    '<p>A&nbsp;B &amp; C &lt;tag&gt; &mdash; &rsquo;s &hellip; &#169; &#x1F680; &euro;</p>',
    'A B & C <tag> — ’s … © 🚀 €',
  ],
  ['unknown entities are kept literally', '<p>5 &bogus; 6 &amp</p>', '5 &bogus; 6 &'],
  [
    'zero-width spaces are dropped, zero-width joiners kept',
    '<p>foo\u200bbar 👨\u200d💻</p>',
    'foobar 👨\u200d💻',
  ],
  ['unicode and emoji pass through', '<p>Grüße 日本語 👩‍💻</p>', 'Grüße 日本語 👩‍💻'],
  ['line breaks', '<p>one<br/>two<br />three</p>', 'one\ntwo\nthree'],
  ['HTML-style br without slash', '<p>one<br>two</p><p>next</p>', 'one\ntwo\n\nnext'],
  [
    'nested bullet and ordered lists',
    '<ul><li>a<ul><li>a1</li><li>a2<ol><li>x</li><li>y</li></ol></li></ul></li><li>b</li></ul>',
    '- a\n  - a1\n  - a2\n    1. x\n    2. y\n- b',
  ],
  [
    'list items with paragraphs (new editor) stay compact',
    '<ol><li><p>first</p><p>more of first</p></li><li><p>second</p></li></ol><p>after</p>',
    '1. first\n  more of first\n2. second\n\nafter',
  ],
  ['ordered list start attribute', '<ol start="4"><li>d</li><li>e</li></ol>', '4. d\n5. e'],
  [
    'table rows on their own lines, cells separated',
    '<table data-layout="default"><colgroup><col /><col /></colgroup><tbody><tr><th><p><strong>Name</strong></p></th><th><p>Role</p></th></tr><tr><td><p>Ann</p></td><td><p>Lead</p><p>since 2020</p></td></tr><tr><td></td><td>only second</td></tr></tbody></table><p>below</p>',
    'Name | Role\nAnn | Lead since 2020\n| only second\n\nbelow',
  ],
  [
    'code macro body kept verbatim (CDATA, no entity decoding, blank lines kept)',
    '<p>Run:</p><ac:structured-macro ac:name="code" ac:schema-version="1" ac:macro-id="1a"><ac:parameter ac:name="language">bash</ac:parameter><ac:parameter ac:name="linenumbers">true</ac:parameter><ac:plain-text-body><![CDATA[if [ "$a" -lt 2 ]; then\n\n\n    echo "&amp; <b>"\nfi]]></ac:plain-text-body></ac:structured-macro><p>Done.</p>',
    'Run:\n\nif [ "$a" -lt 2 ]; then\n\n\n    echo "&amp; <b>"\nfi\n\nDone.',
  ],
  [
    'code containing the CDATA terminator (split across sections)',
    '<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[a]]]]><![CDATA[>b]]></ac:plain-text-body></ac:structured-macro>',
    'a]]>b',
  ],
  [
    'code macro title',
    '<ac:structured-macro ac:name="code"><ac:parameter ac:name="title">setup.sh</ac:parameter><ac:plain-text-body><![CDATA[make]]></ac:plain-text-body></ac:structured-macro>',
    'setup.sh\n\nmake',
  ],
  [
    'noformat macro',
    '<ac:structured-macro ac:name="noformat"><ac:plain-text-body><![CDATA[  raw   text]]></ac:plain-text-body></ac:structured-macro>',
    '  raw   text',
  ],
  ['pre keeps line breaks', '<pre>line 1\n  line 2</pre>', 'line 1\n  line 2'],
  [
    'info / note / warning / tip / panel bodies kept, parameters dropped',
    '<ac:structured-macro ac:name="info"><ac:parameter ac:name="icon">true</ac:parameter><ac:rich-text-body><p>Heads up.</p></ac:rich-text-body></ac:structured-macro><ac:structured-macro ac:name="warning"><ac:rich-text-body><p>Careful.</p></ac:rich-text-body></ac:structured-macro><ac:structured-macro ac:name="panel"><ac:parameter ac:name="bgColor">#eee</ac:parameter><ac:parameter ac:name="title">Panel title</ac:parameter><ac:rich-text-body><p>In panel.</p></ac:rich-text-body></ac:structured-macro>',
    'Heads up.\n\nCareful.\n\nPanel title\n\nIn panel.',
  ],
  [
    'expand macro: title and body',
    '<ac:structured-macro ac:name="expand" ac:schema-version="1"><ac:parameter ac:name="title">Show details</ac:parameter><ac:rich-text-body><p>Hidden text</p></ac:rich-text-body></ac:structured-macro>',
    'Show details\n\nHidden text',
  ],
  [
    'user mention resolved through the callback',
    '<p>Ping <ac:link><ri:user ri:account-id="5b10a2844c20165700ede21g" /></ac:link>, thanks</p>',
    'Ping @Jane Doe, thanks',
  ],
  [
    'unresolved user mention falls back to @accountId',
    '<p>cc <ac:link><ri:user ri:account-id="557058:unknown" /></ac:link></p>',
    'cc @557058:unknown',
  ],
  [
    'page, blog post, attachment and space links show the target name',
    '<p>See <ac:link><ri:page ri:space-key="ENG" ri:content-title="Design &amp; Scope" /></ac:link>, <ac:link><ri:blog-post ri:content-title="Q3 update" ri:posting-day="2024/01/02" /></ac:link>, <ac:link><ri:attachment ri:filename="spec v2.pdf" /></ac:link> and <ac:link><ri:space ri:space-key="OPS" /></ac:link>.</p>',
    'See Design & Scope, Q3 update, spec v2.pdf and OPS.',
  ],
  [
    'link body wins over the target name',
    '<p><ac:link ac:anchor="top"><ri:page ri:content-title="Home" /><ac:plain-text-link-body><![CDATA[the home page]]></ac:plain-text-link-body></ac:link> or <ac:link><ri:page ri:content-title="Other" /><ac:link-body><strong>bold</strong> link</ac:link-body></ac:link></p>',
    'the home page or bold link',
  ],
  [
    'plain HTML links keep their text',
    '<p>Go to <a href="https://example.com/x">the site</a>.</p>',
    'Go to the site.',
  ],
  [
    'images: alt text, else file name',
    '<p>Before<ac:image ac:alt="Architecture diagram"><ri:attachment ri:filename="arch.png" /></ac:image>after</p><p><ac:image ac:height="250"><ri:attachment ri:filename="screen shot.png" /></ac:image><ac:image><ri:url ri:value="https://example.com/img/logo%20v2.svg?x=1" /></ac:image></p>',
    'Before Architecture diagram after\n\nscreen shot.png logo v2.svg',
  ],
  [
    'emoticons: fallback, emoji id, legacy names',
    '<p>Nice <ac:emoticon ac:name="blue-star" ac:emoji-shortname=":tada:" ac:emoji-id="1f389" ac:emoji-fallback="🎉" /> <ac:emoticon ac:name="blue-star" ac:emoji-shortname=":thumbsup:" ac:emoji-id="1f44d" ac:emoji-fallback=":thumbsup:" /> <ac:emoticon ac:name="tick" /> <ac:emoticon ac:name="blue-star" ac:emoji-shortname=":custom-party:" ac:emoji-id="abc-custom-123" ac:emoji-fallback=":custom-party:" /></p>',
    'Nice 🎉 👍 ✅ :custom-party:',
  ],
  [
    'task lists with status and mentions',
    '<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-uuid>u-1</ac:task-uuid><ac:task-status>complete</ac:task-status><ac:task-body><span class="placeholder-inline-tasks">Ship it</span></ac:task-body></ac:task><ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status><ac:task-body>Review with <ac:link><ri:user ri:account-id="5b10a2844c20165700ede21g" /></ac:link> by <time datetime="2024-06-30" /></ac:task-body></ac:task></ac:task-list>',
    '[x] Ship it\n[ ] Review with @Jane Doe by 2024-06-30',
  ],
  [
    'status macro shows its title, not its colour',
    '<p>State: <ac:structured-macro ac:name="status" ac:schema-version="1"><ac:parameter ac:name="colour">Green</ac:parameter><ac:parameter ac:name="title">IN PROGRESS</ac:parameter></ac:structured-macro></p>',
    'State: IN PROGRESS',
  ],
  [
    'jira macro shows the issue key, not server details',
    '<p>Tracked in <ac:structured-macro ac:name="jira" ac:schema-version="1"><ac:parameter ac:name="server">System JIRA</ac:parameter><ac:parameter ac:name="serverId">1234-abcd</ac:parameter><ac:parameter ac:name="key">OPS-42</ac:parameter></ac:structured-macro>.</p>',
    'Tracked in OPS-42.',
  ],
  [
    'macros without visible text leave nothing behind',
    '<ac:structured-macro ac:name="toc"><ac:parameter ac:name="maxLevel">3</ac:parameter></ac:structured-macro><p>Body</p><ac:structured-macro ac:name="include"><ac:parameter ac:name=""><ac:link><ri:page ri:content-title="Shared" /></ac:link></ac:parameter></ac:structured-macro>',
    'Body',
  ],
  [
    'embedded files show their name',
    '<ac:structured-macro ac:name="view-file" ac:schema-version="1"><ac:parameter ac:name="name"><ri:attachment ri:filename="Budget 2025.xlsx" /></ac:parameter><ac:parameter ac:name="height">250</ac:parameter></ac:structured-macro><p>See above.</p>',
    'Budget 2025.xlsx\n\nSee above.',
  ],
  [
    'raw HTML macro body is not text',
    '<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<div>x</div>]]></ac:plain-text-body></ac:structured-macro><p>y</p>',
    'y',
  ],
  [
    'placeholders are editor hints, not content',
    '<p><ac:placeholder>Type here</ac:placeholder>Real</p>',
    'Real',
  ],
  [
    'blockquote and layouts',
    '<ac:layout><ac:layout-section ac:type="two_equal"><ac:layout-cell><p>Left</p></ac:layout-cell><ac:layout-cell><blockquote><p>Quoted</p></blockquote></ac:layout-cell></ac:layout-section></ac:layout>',
    'Left\n\nQuoted',
  ],
  [
    'inline comment markers keep the anchored text',
    '<p>Some <ac:inline-comment-marker ac:ref="abc">marked</ac:inline-comment-marker> text</p>',
    'Some marked text',
  ],
  [
    'ADF extension renders the node, not also its fallback',
    '<ac:adf-extension><ac:adf-node type="panel"><ac:adf-attribute key="panel-type">note</ac:adf-attribute><ac:adf-content><p>Custom panel</p></ac:adf-content></ac:adf-node><ac:adf-fallback><div><p>Custom panel</p></div></ac:adf-fallback></ac:adf-extension>',
    'Custom panel',
  ],
  [
    'ADF extension without a node renders its fallback',
    '<ac:adf-extension><ac:adf-fallback><p>Only fallback</p></ac:adf-fallback></ac:adf-extension>',
    'Only fallback',
  ],
  [
    'malformed HTML: unclosed and stray tags',
    '<p>unclosed <strong>bold <em>both</p><p>next</x></p></div><td>lost cell',
    'unclosed bold both\n\nnext\n\nlost cell',
  ],
  ['bare < and & in text', '<p>a < b && c > d</p>', 'a < b && c > d'],
  [
    'comments and processing instructions vanish',
    '<?xml version="1.0"?><!-- note --><p>x<!-- y -->z</p>',
    'xz',
  ],
  ['at most one blank line between blocks', '<p>a</p><p></p><p> </p><hr /><p><br /></p><h2>b</h2>', 'a\n\nb'],
  ['scripts and styles are not text', '<style>p{color:red}</style><p>v</p><script>alert(1)</script>', 'v'],
];

describe('storageToText', () => {
  test.each(cases)('%s', (_name, input, expected) => {
    expect(storageToText(input, { mentionName })).toBe(expected);
  });

  it('returns an empty string for empty or non-string input', () => {
    expect(storageToText('')).toBe('');
    expect(storageToText(undefined as unknown as string)).toBe('');
  });

  it('survives a throwing mention callback and falls back to @accountId', () => {
    const text = storageToText('<p><ac:link><ri:user ri:account-id="x1" /></ac:link></p>', {
      mentionName: () => {
        throw new Error('directory down');
      },
    });
    expect(text).toBe('@x1');
  });

  it('handles 10k levels of nested divs without exhausting the stack', () => {
    const depth = 10_000;
    const input = '<div>'.repeat(depth) + 'deep' + '</div>'.repeat(depth);
    expect(storageToText(input)).toBe('deep');
  });

  it('handles 10k levels of nested lists, with indentation capped', () => {
    const depth = 10_000;
    const input = '<ul><li>x'.repeat(depth) + '</li></ul>'.repeat(depth);
    const lines = storageToText(input).split('\n');
    expect(lines).toHaveLength(depth);
    expect(lines[0]).toBe('- x');
    expect(lines[depth - 1]!.trim()).toBe('- x');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(40);
  });

  it('handles 10k unclosed inline elements', () => {
    const input = '<p>' + '<span>a '.repeat(10_000);
    expect(storageToText(input)).toBe(Array(10_000).fill('a').join(' '));
  });

  it('cuts output at maxChars', () => {
    const input = '<p>' + 'word '.repeat(1000) + '</p>';
    const text = storageToText(input, { maxChars: 100 });
    expect(text.length).toBeLessThanOrEqual(100);
    expect(text.startsWith('word word')).toBe(true);
  });
});
