// Route table with `:param` segments. Static segments beat parameters, so `/pages/:id/labels` and
// `/pages/:id` can coexist with `/pages/bulk`-style literal routes.
import type { Handler, RouteTable } from './types';

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
  /** Higher is more specific. */
  score: number;
}

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
}

export class Router implements RouteTable {
  private readonly routes: Route[] = [];

  get(pattern: string, handler: Handler): void {
    this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler): void {
    this.add('POST', pattern, handler);
  }

  /** Finds the most specific route for a method and path; `methodMismatch` when only another method matches. */
  match(method: string, path: string): RouteMatch | { methodMismatch: true } | undefined {
    const parts = splitPath(path);
    let best: { route: Route; params: Record<string, string> } | undefined;
    let otherMethod = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method !== method) {
        otherMethod = true;
        continue;
      }
      if (!best || route.score > best.route.score) best = { route, params };
    }
    if (best) return { handler: best.route.handler, params: best.params };
    return otherMethod ? { methodMismatch: true } : undefined;
  }

  private add(method: string, pattern: string, handler: Handler): void {
    const segments = splitPath(pattern);
    const score = segments.reduce(
      (s, seg, i) => s + (seg.startsWith(':') ? 0 : 2 ** (20 - Math.min(i, 20))),
      0,
    );
    this.routes.push({ method, segments, handler, score });
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return undefined;
      }
    } else if (p !== v) return undefined;
  }
  return params;
}
