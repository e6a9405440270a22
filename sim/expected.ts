// The ground truth as the connector reads it with `confluence.include_archived_spaces: true` and otherwise
// default filters: what the benchmark and the resilience and warehouse tests compare a sync with.
import type { Simulator } from './index';
import type { ConfluenceModel } from './confluence/model';

/** Ground truth for a stream, or undefined when the simulator keeps none for it (composite permission rows). */
export function truthIds(sim: Simulator, stream: string): Set<string> | undefined {
  try {
    return sim.truth.visibleIds(stream);
  } catch {
    return undefined;
  }
}

/**
 * The truth minus archived pages and blog posts (and the comments and attachments on them), which the
 * connector skips by default (their ACLs are still in document_permissions).
 */
export function expectedIds(sim: Simulator, stream: string): Set<string> | undefined {
  const truth = truthIds(sim, stream);
  if (!truth) return undefined;
  const m = sim.model.confluence as ConfluenceModel;
  const contentOk = (id: string) => m.contents.get(id)?.status === 'current';
  const keep = (id: string): boolean => {
    switch (stream) {
      case 'confluence_pages':
      case 'confluence_blogposts':
        return contentOk(id);
      case 'confluence_comments':
        return contentOk(m.comments.get(id)!.containerId);
      case 'confluence_attachments': {
        const a = m.attachments.get(id)!;
        return a.status === 'current' && contentOk(a.containerId);
      }
      default:
        return true;
    }
  };
  return new Set([...truth].filter(keep));
}
