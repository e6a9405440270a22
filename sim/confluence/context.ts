// What every Confluence route file needs: the model, the directory, access checks and body rendering.
import type { Clock } from '../core/types';
import type { DirectoryModel } from '../directory/model';
import type { AccessCache } from './access';
import type { ConfluenceModel, Content, Comment } from './model';
import { adfFromStorage, bodyPlan, renderAdf, renderStorage } from './storage-bodies';

export interface ConfluenceContext {
  model: ConfluenceModel;
  dir: DirectoryModel;
  access: AccessCache;
  clock: Clock;
  /** Results of recent CQL queries, keyed by caller, query and access version (bounded by the search route). */
  searchCache: Map<string, unknown>;
}

export type BodyFormat = 'storage' | 'atlas_doc_format';

export function storageOf(ctx: ConfluenceContext, item: Content | Comment): string {
  if (item.bodyOverride !== undefined) return item.bodyOverride;
  const isComment = !('spaceId' in item);
  const title = isComment ? `Comment ${item.id}` : (item as Content).title;
  return renderStorage(
    bodyPlan({
      id: item.id,
      version: item.version.number,
      title,
      dir: ctx.dir,
      kind: isComment ? 'comment' : item.kind,
    }),
  ).replace(/^<h1>[^<]*<\/h1>/, isComment ? '' : '$&');
}

export function adfOf(ctx: ConfluenceContext, item: Content | Comment): string {
  if (item.bodyOverride !== undefined) return JSON.stringify(adfFromStorage(item.bodyOverride));
  const isComment = !('spaceId' in item);
  const title = isComment ? `Comment ${item.id}` : (item as Content).title;
  const plan = bodyPlan({
    id: item.id,
    version: item.version.number,
    title,
    dir: ctx.dir,
    kind: isComment ? 'comment' : item.kind,
  });
  return JSON.stringify(renderAdf(isComment ? plan.slice(1) : plan, ctx.dir));
}

export function bodyOf(
  ctx: ConfluenceContext,
  item: Content | Comment,
  format: string | null,
): Record<string, unknown> | undefined {
  if (format === 'storage') return { storage: { representation: 'storage', value: storageOf(ctx, item) } };
  if (format === 'atlas_doc_format')
    return { atlas_doc_format: { representation: 'atlas_doc_format', value: adfOf(ctx, item) } };
  if (
    format === 'view' ||
    format === 'export_view' ||
    format === 'styled_view' ||
    format === 'anonymous_export_view'
  ) {
    return {
      view: {
        representation: 'view',
        value: storageOf(ctx, item).replace(/<ac:[^>]*>|<\/ac:[^>]*>|<ri:[^>]*>/g, ''),
      },
    };
  }
  return undefined;
}

export function slug(title: string): string {
  return encodeURIComponent(title.replace(/\s+/g, '+'));
}
