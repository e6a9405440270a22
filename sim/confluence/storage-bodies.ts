// Realistic bodies derived from a content id and version, so 20k pages need no stored strings. The same
// block plan renders to storage-format XHTML and to Atlassian Document Format (ADF).
import { createRng, hash32 } from '../core/rng';
import type { Directory, Rng } from '../core/types';

type Inline = { text: string } | { mention: string } | { emoji: string };
type Block =
  | { type: 'heading'; level: number; text: string }
  | { type: 'paragraph'; inlines: Inline[] }
  | { type: 'list'; ordered: boolean; items: string[]; nested?: string[] }
  | { type: 'table'; rows: string[][] }
  | { type: 'code'; language: string; code: string }
  | { type: 'panel'; kind: 'info' | 'warning' | 'note'; text: string }
  | { type: 'expand'; title: string; text: string };

const WORDS = (
  'roadmap release incident review onboarding checklist architecture latency budget customer feedback ' +
  'migration rollout dashboard metrics retention runbook escalation backlog hiring quarterly objectives design ' +
  'prototype security compliance audit partner integration pipeline deployment capacity'
).split(' ');
const UNICODE = [
  'Größenänderung',
  'café crème',
  '日本語のテキスト',
  'Ελληνικά',
  'naïve façade',
  'Zürich – Köln',
  'emoji ✅ ok',
];

function sentence(rng: Rng, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(rng.pick(WORDS));
  const text = out.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

export function bodyPlan(options: {
  id: string;
  version: number;
  title: string;
  dir: Directory;
  kind: string;
}): Block[] {
  const rng = createRng(hash32(`${options.kind}:${options.id}:${options.version}`));
  const people = options.dir.users;
  const blocks: Block[] = [{ type: 'heading', level: 1, text: options.title }];
  if (options.kind === 'comment') {
    const inlines: Inline[] = [{ text: `${sentence(rng, rng.int(4, 12))} ` }];
    if (rng.chance(0.4) && people.length)
      inlines.push({ mention: rng.pick(people).accountId }, { text: ' please check.' });
    if (rng.chance(0.3)) inlines.push({ emoji: 'thumbs-up' });
    return [{ type: 'paragraph', inlines }];
  }
  const sections = rng.int(2, 5);
  for (let s = 0; s < sections; s++) {
    blocks.push({ type: 'heading', level: 2, text: `${sentence(rng, 2).slice(0, -1)} ${s + 1}` });
    const inlines: Inline[] = [
      {
        text: `${sentence(rng, rng.int(8, 20))} Version ${options.version} & <notes> ${rng.pick(UNICODE)}. `,
      },
    ];
    if (people.length && rng.chance(0.5))
      inlines.push({ text: 'Owner: ' }, { mention: rng.pick(people).accountId });
    if (rng.chance(0.3)) inlines.push({ text: ' ' }, { emoji: 'smile' });
    blocks.push({ type: 'paragraph', inlines });
    switch (rng.int(0, 5)) {
      case 0:
        blocks.push({
          type: 'list',
          ordered: rng.chance(0.5),
          items: [sentence(rng, 4), sentence(rng, 5), sentence(rng, 3)],
          nested: rng.chance(0.5) ? [sentence(rng, 3), sentence(rng, 3)] : undefined,
        });
        break;
      case 1:
        blocks.push({
          type: 'table',
          rows: [
            ['Owner', 'Status', 'Due'],
            [rng.pick(WORDS), 'In progress', '2025-06-30'],
            [rng.pick(WORDS), 'Done', '2025-03-31'],
          ],
        });
        break;
      case 2:
        blocks.push({
          type: 'code',
          language: 'typescript',
          code: `const ${rng.pick(WORDS)} = await fetch("/api?a=1&b=2");\nif (x < 3 && y > 2) console.log(x);`,
        });
        break;
      case 3:
        blocks.push({
          type: 'panel',
          kind: rng.pick(['info', 'warning', 'note'] as const),
          text: sentence(rng, 8),
        });
        break;
      case 4:
        blocks.push({ type: 'expand', title: 'Details', text: sentence(rng, 12) });
        break;
      default:
        blocks.push({ type: 'paragraph', inlines: [{ text: sentence(rng, 15) }] });
    }
  }
  return blocks;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inlineStorage(inline: Inline): string {
  if ('text' in inline) return esc(inline.text).replace(/ café/g, '&nbsp;caf&eacute;');
  if ('mention' in inline) return `<ac:link><ri:user ri:account-id="${esc(inline.mention)}" /></ac:link>`;
  return `<ac:emoticon ac:name="${inline.emoji}" />`;
}

export function renderStorage(blocks: Block[]): string {
  return blocks
    .map((b) => {
      switch (b.type) {
        case 'heading':
          return `<h${b.level}>${esc(b.text)}</h${b.level}>`;
        case 'paragraph':
          return `<p>${b.inlines.map(inlineStorage).join('')}</p>`;
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          const nested = b.nested ? `<ul>${b.nested.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
          return `<${tag}>${b.items.map((item, i) => `<li>${esc(item)}${i === 0 ? nested : ''}</li>`).join('')}</${tag}>`;
        }
        case 'table':
          return `<table data-layout="default"><tbody>${b.rows
            .map(
              (row, r) =>
                `<tr>${row.map((cell) => (r === 0 ? `<th><p>${esc(cell)}</p></th>` : `<td><p>${esc(cell)}</p></td>`)).join('')}</tr>`,
            )
            .join('')}</tbody></table>`;
        case 'code':
          return `<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">${b.language}</ac:parameter><ac:plain-text-body><![CDATA[${b.code}]]></ac:plain-text-body></ac:structured-macro>`;
        case 'panel':
          return `<ac:structured-macro ac:name="${b.kind}" ac:schema-version="1"><ac:rich-text-body><p>${esc(b.text)}</p></ac:rich-text-body></ac:structured-macro>`;
        case 'expand':
          return `<ac:structured-macro ac:name="expand" ac:schema-version="1"><ac:parameter ac:name="title">${esc(b.title)}</ac:parameter><ac:rich-text-body><p>${esc(b.text)}</p></ac:rich-text-body></ac:structured-macro>`;
      }
    })
    .join('');
}

function inlineAdf(inline: Inline, dir: Directory): Record<string, unknown> {
  if ('text' in inline) return { type: 'text', text: inline.text };
  if ('mention' in inline) {
    const user = dir.userById(inline.mention);
    return {
      type: 'mention',
      attrs: { id: inline.mention, text: `@${user?.displayName ?? 'Unknown'}`, accessLevel: '' },
    };
  }
  return {
    type: 'emoji',
    attrs: { shortName: `:${inline.emoji}:`, text: inline.emoji === 'smile' ? '😄' : '👍' },
  };
}

const para = (text: string): Record<string, unknown> => ({
  type: 'paragraph',
  content: [{ type: 'text', text }],
});

export function renderAdf(blocks: Block[], dir: Directory): Record<string, unknown> {
  const content = blocks.map((b): Record<string, unknown> => {
    switch (b.type) {
      case 'heading':
        return { type: 'heading', attrs: { level: b.level }, content: [{ type: 'text', text: b.text }] };
      case 'paragraph':
        return { type: 'paragraph', content: b.inlines.map((i) => inlineAdf(i, dir)) };
      case 'list':
        return {
          type: b.ordered ? 'orderedList' : 'bulletList',
          content: b.items.map((item, i) => ({
            type: 'listItem',
            content: [
              para(item),
              ...(i === 0 && b.nested
                ? [
                    {
                      type: 'bulletList',
                      content: b.nested.map((n) => ({ type: 'listItem', content: [para(n)] })),
                    },
                  ]
                : []),
            ],
          })),
        };
      case 'table':
        return {
          type: 'table',
          content: b.rows.map((row, r) => ({
            type: 'tableRow',
            content: row.map((cell) => ({
              type: r === 0 ? 'tableHeader' : 'tableCell',
              content: [para(cell)],
            })),
          })),
        };
      case 'code':
        return {
          type: 'codeBlock',
          attrs: { language: b.language },
          content: [{ type: 'text', text: b.code }],
        };
      case 'panel':
        return { type: 'panel', attrs: { panelType: b.kind }, content: [para(b.text)] };
      case 'expand':
        return { type: 'expand', attrs: { title: b.title }, content: [para(b.text)] };
    }
  });
  return { type: 'doc', version: 1, content };
}

/** ADF for a body a test supplied as storage: tags dropped, one paragraph. */
export function adfFromStorage(storage: string): Record<string, unknown> {
  const text = storage
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { type: 'doc', version: 1, content: text ? [para(text)] : [] };
}
