// The Confluence product module: seeded model, routes, ground truth and control API.
import { createHash } from 'node:crypto';
import type { Clock, RouteTable, Rng, ScaleCounts } from '../core/types';
import type { DirectoryModel } from '../directory/model';
import { AccessCache, canReadSpace } from './access';
import type { ConfluenceContext } from './context';
import { createConfluenceControl, type ConfluenceControl } from './control';
import { generateConfluence } from './generate';
import type { ConfluenceModel, Content } from './model';
import { registerAttachmentRoutes } from './routes-attachments';
import { registerCommentRoutes } from './routes-comments';
import { registerPageRoutes } from './routes-pages';
import { registerSpaceRoutes } from './routes-spaces';
import { registerV1Routes } from './routes-v1';
import { registerHistoryRoutes } from './routes-history';
import { registerV1UserRoutes } from './routes-users-v1';

export type { ConfluenceControl } from './control';
export type { ConfluenceModel } from './model';

export interface ConfluenceModule {
  model: ConfluenceModel;
  register(routes: RouteTable, publicRoutes: RouteTable): void;
  visibleIds(stream: string, accountId: string): Set<string> | undefined;
  canSee(accountId: string, kind: string, id: string): boolean | undefined;
  control: ConfluenceControl;
  /** Call when something outside Confluence (the directory) changed who may see what. */
  invalidate(): void;
  digest(): string;
}

const LIVE: ReadonlySet<string> = new Set(['current', 'archived']);

export function createConfluenceModule(options: {
  rng: Rng;
  clock: Clock;
  dir: DirectoryModel;
  counts: ScaleCounts;
}): ConfluenceModule {
  const model = generateConfluence({
    rng: options.rng,
    counts: options.counts,
    dir: options.dir,
    epoch: options.clock.epoch,
  });
  const searchCache = new Map<string, unknown>();
  const ctx: ConfluenceContext = {
    model,
    dir: options.dir,
    access: new AccessCache(model, options.dir, () => searchCache.clear()),
    clock: options.clock,
    searchCache,
  };

  // A document is "seen" when it is live (current or archived) and the account may read it.
  const liveContent = (accountId: string, c: Content | undefined): boolean =>
    !!c && LIVE.has(c.status) && ctx.access.canRead(accountId, c);

  return {
    model,
    register(routes, publicRoutes) {
      registerSpaceRoutes(routes, ctx);
      registerPageRoutes(routes, ctx);
      registerCommentRoutes(routes, ctx);
      registerAttachmentRoutes(routes, publicRoutes, ctx);
      registerV1Routes(routes, ctx);
      registerV1UserRoutes(routes, ctx);
      registerHistoryRoutes(routes, ctx);
    },
    visibleIds(stream, accountId) {
      const ids = new Set<string>();
      switch (stream) {
        case 'confluence_spaces':
          for (const s of model.spaces.values()) if (canReadSpace(options.dir, accountId, s)) ids.add(s.id);
          return ids;
        case 'confluence_pages':
        case 'confluence_blogposts': {
          const kind = stream === 'confluence_pages' ? 'page' : 'blogpost';
          for (const c of model.contents.values())
            if (c.kind === kind && liveContent(accountId, c)) ids.add(c.id);
          return ids;
        }
        case 'confluence_comments':
          for (const c of model.comments.values()) {
            if (c.status === 'current' && liveContent(accountId, model.contents.get(c.containerId)))
              ids.add(c.id);
          }
          return ids;
        case 'confluence_attachments':
          for (const a of model.attachments.values()) {
            if (LIVE.has(a.status) && liveContent(accountId, model.contents.get(a.containerId)))
              ids.add(a.id);
          }
          return ids;
        default:
          return undefined;
      }
    },
    canSee(accountId, kind, id) {
      switch (kind) {
        case 'page':
        case 'blogpost':
        case 'folder': {
          const c = model.contents.get(id);
          return !!c && c.kind === kind && liveContent(accountId, c);
        }
        case 'comment': {
          const c = model.comments.get(id);
          return !!c && c.status === 'current' && liveContent(accountId, model.contents.get(c.containerId));
        }
        case 'attachment': {
          const a = model.attachments.get(id);
          return !!a && LIVE.has(a.status) && liveContent(accountId, model.contents.get(a.containerId));
        }
        default:
          return undefined;
      }
    },
    control: createConfluenceControl(ctx, options.rng.fork('confluence-control')),
    invalidate: () => ctx.access.invalidate(),
    digest() {
      const hash = createHash('sha256');
      for (const s of model.spaces.values()) hash.update(JSON.stringify(s));
      for (const c of model.contents.values()) hash.update(JSON.stringify(c));
      for (const c of model.comments.values()) hash.update(JSON.stringify(c));
      for (const a of model.attachments.values()) hash.update(JSON.stringify({ ...a, size: undefined }));
      return hash.digest('hex');
    },
  };
}
