// Atlassian Document Format bodies, derived from a seed so they never need to be stored. Covers the node
// types a converter must handle (and one it cannot know), plus, rarely, a very large document.
import type { BodySize } from './model';
import { createRng } from '../core/rng';
import type { Rng } from '../core/types';

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

export interface AdfDoc {
  version: 1;
  type: 'doc';
  content: AdfNode[];
}

export interface Mentionable {
  accountId: string;
  displayName: string;
}

const WORDS = (
  'deploy cache index token latency sprint backlog release rollback migration schema query replica ' +
  'timeout retry payload customer invoice dashboard report search widget pipeline build review ' +
  'naïve café Zürich 東京 données résumé — “quoted” <angle> & ampersand'
).split(' ');

const EMOJI = [
  { shortName: ':smile:', id: '1f604', text: '😄' },
  { shortName: ':warning:', id: '26a0', text: '⚠️' },
  { shortName: ':rocket:', id: '1f680', text: '🚀' },
];

function sentence(r: Rng, min = 4, max = 14): string {
  const n = r.int(min, max);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(r.pick(WORDS));
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + '.';
}

function text(value: string, marks?: AdfNode['marks']): AdfNode {
  return marks ? { type: 'text', text: value, marks } : { type: 'text', text: value };
}

function paragraph(r: Rng, people: readonly Mentionable[]): AdfNode {
  const content: AdfNode[] = [text(sentence(r) + ' ')];
  const roll = r.next();
  if (roll < 0.2)
    content.push(text('important', [{ type: 'strong' }]), text(' and '), text('subtle', [{ type: 'em' }]));
  else if (roll < 0.3)
    content.push(text('runbook', [{ type: 'link', attrs: { href: 'https://example.com/runbook' } }]));
  else if (roll < 0.4) content.push(text('config.yaml', [{ type: 'code' }]));
  if (people.length > 0 && r.chance(0.3)) {
    const who = r.pick(people);
    content.push(text(' ask '), {
      type: 'mention',
      attrs: { id: who.accountId, text: `@${who.displayName}`, accessLevel: '' },
    });
  }
  if (r.chance(0.15)) content.push({ type: 'hardBreak' }, text(sentence(r, 3, 6)));
  if (r.chance(0.1)) content.push(text(' '), { type: 'emoji', attrs: r.pick(EMOJI) });
  return { type: 'paragraph', content };
}

function list(r: Rng, people: readonly Mentionable[], depth: number): AdfNode {
  const items: AdfNode[] = [];
  const n = r.int(2, 4);
  for (let i = 0; i < n; i++) {
    const item: AdfNode = {
      type: 'listItem',
      content: [{ type: 'paragraph', content: [text(sentence(r, 2, 7))] }],
    };
    if (depth < 2 && r.chance(0.35)) item.content?.push(list(r, people, depth + 1));
    items.push(item);
  }
  return r.chance(0.5)
    ? { type: 'bulletList', content: items }
    : { type: 'orderedList', attrs: { order: 1 }, content: items };
}

function table(r: Rng): AdfNode {
  const cell = (type: string, value: string): AdfNode => ({
    type,
    attrs: {},
    content: [{ type: 'paragraph', content: [text(value)] }],
  });
  const rows: AdfNode[] = [
    { type: 'tableRow', content: [cell('tableHeader', 'Metric'), cell('tableHeader', 'Value')] },
  ];
  for (let i = 0; i < r.int(1, 3); i++) {
    rows.push({
      type: 'tableRow',
      content: [cell('tableCell', r.pick(WORDS)), cell('tableCell', String(r.int(1, 999)))],
    });
  }
  return { type: 'table', attrs: { isNumberColumnEnabled: false, layout: 'default' }, content: rows };
}

function block(r: Rng, people: readonly Mentionable[]): AdfNode {
  const roll = r.next();
  if (roll < 0.45) return paragraph(r, people);
  if (roll < 0.55)
    return { type: 'heading', attrs: { level: r.int(1, 4) }, content: [text(sentence(r, 2, 5))] };
  if (roll < 0.65) return list(r, people, 0);
  if (roll < 0.72) {
    return {
      type: 'panel',
      attrs: { panelType: r.pick(['info', 'note', 'warning', 'success', 'error']) },
      content: [paragraph(r, people)],
    };
  }
  if (roll < 0.79) {
    return {
      type: 'codeBlock',
      attrs: { language: r.pick(['typescript', 'sql', 'bash']) },
      content: [text(`SELECT id, key\n  FROM issues\n WHERE updated >= ${r.int(1, 9)};`)],
    };
  }
  if (roll < 0.85) return table(r);
  if (roll < 0.89) return { type: 'blockquote', content: [paragraph(r, people)] };
  if (roll < 0.92) return { type: 'rule' };
  if (roll < 0.95) {
    // A node type this converter version has never seen: converters must degrade, not crash.
    return {
      type: 'futureWidget',
      attrs: { widgetId: `w-${r.int(1, 9999)}` },
      content: [text('Fallback text inside an unknown node.')],
    };
  }
  return paragraph(r, people);
}

/** The document for a body seed; the same inputs always give the same document. */
export function adfBody(seed: number, size: BodySize, people: readonly Mentionable[]): AdfDoc | null {
  if (size === 'empty') return null;
  const r = createRng(seed);
  const blocks = size === 'large' ? 2500 : r.int(1, 6);
  const content: AdfNode[] = [];
  for (let i = 0; i < blocks; i++) content.push(block(r, people));
  return { version: 1, type: 'doc', content };
}

/** A one-paragraph document, for bodies written through the control API. */
export function adfFromText(value: string): AdfDoc {
  return { version: 1, type: 'doc', content: [{ type: 'paragraph', content: [text(value)] }] };
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** HTML as `expand=renderedFields` / `renderedBody` returns it (a close approximation of Jira's renderer). */
export function adfToHtml(node: AdfNode | AdfDoc | null): string {
  if (!node) return '';
  const inner = (): string => (node.content ?? []).map((c) => adfToHtml(c)).join('');
  switch (node.type) {
    case 'doc':
      return inner();
    case 'paragraph':
      return `<p>${inner()}</p>`;
    case 'heading':
      return `<h${String((node as AdfNode).attrs?.level ?? 1)}>${inner()}</h${String((node as AdfNode).attrs?.level ?? 1)}>`;
    case 'bulletList':
      return `<ul>${inner()}</ul>`;
    case 'orderedList':
      return `<ol>${inner()}</ol>`;
    case 'listItem':
      return `<li>${inner()}</li>`;
    case 'codeBlock':
      return `<div class="code panel"><pre>${inner()}</pre></div>`;
    case 'panel':
      return `<div class="panel">${inner()}</div>`;
    case 'blockquote':
      return `<blockquote>${inner()}</blockquote>`;
    case 'table':
      return `<table>${inner()}</table>`;
    case 'tableRow':
      return `<tr>${inner()}</tr>`;
    case 'tableHeader':
      return `<th>${inner()}</th>`;
    case 'tableCell':
      return `<td>${inner()}</td>`;
    case 'rule':
      return '<hr />';
    case 'hardBreak':
      return '<br/>';
    case 'mention':
      return `<a class="user-hover" rel="${esc(String((node as AdfNode).attrs?.id))}">${esc(String((node as AdfNode).attrs?.text))}</a>`;
    case 'emoji':
      return esc(String((node as AdfNode).attrs?.text ?? ''));
    case 'text': {
      let html = esc((node as AdfNode).text ?? '');
      for (const m of (node as AdfNode).marks ?? []) {
        if (m.type === 'strong') html = `<b>${html}</b>`;
        else if (m.type === 'em') html = `<em>${html}</em>`;
        else if (m.type === 'code') html = `<tt>${html}</tt>`;
        else if (m.type === 'link') html = `<a href="${esc(String(m.attrs?.href))}">${html}</a>`;
      }
      return html;
    }
    default:
      return inner();
  }
}
