// Eventual consistency of JQL search (the spec: "Recent updates might not be immediately visible"). With a
// lag set, a created issue joins search results only after the lag, and an edited issue is matched and
// ordered by its previous `updated` until then (its fields are read fresh, as Jira loads them from the
// database). `reconcileIssues` ids see the current state at once. Off (lag 0) by default.
import type { JiraIssue } from './model';

interface Pending {
  visibleAt: number;
  /** `updated` as the index still has it; absent for an issue the index has not seen yet. */
  previousUpdated?: number;
}

export class SearchIndexLag {
  private lagMs = 0;
  private readonly pending = new Map<string, Pending>();

  setLag(ms: number): void {
    this.lagMs = Math.max(0, ms);
    if (this.lagMs === 0) this.pending.clear();
  }

  created(issue: JiraIssue, now: number): void {
    if (this.lagMs > 0) this.pending.set(issue.id, { visibleAt: now + this.lagMs });
  }

  /** Call before the issue's `updated` changes. An issue already pending keeps its older indexed state. */
  updating(issue: JiraIssue, now: number): void {
    if (this.lagMs === 0) return;
    const existing = this.pending.get(issue.id);
    if (existing && existing.visibleAt > now) {
      existing.visibleAt = now + this.lagMs;
      return;
    }
    this.pending.set(issue.id, { visibleAt: now + this.lagMs, previousUpdated: issue.updated });
  }

  /** True when `view` would return every issue unchanged. */
  idle(): boolean {
    return this.pending.size === 0;
  }

  /**
   * The issue as the search index sees it at `now`: itself, a copy with the indexed `updated`, or undefined
   * when not indexed yet.
   */
  view(issue: JiraIssue, now: number, reconcile: ReadonlySet<string>): JiraIssue | undefined {
    const p = this.pending.get(issue.id);
    if (!p) return issue;
    if (p.visibleAt <= now) {
      this.pending.delete(issue.id);
      return issue;
    }
    if (reconcile.has(issue.id)) return issue;
    return p.previousUpdated === undefined ? undefined : { ...issue, updated: p.previousUpdated };
  }

  /** Changes whenever what the index shows changes (for result caches). */
  signature(now: number): string {
    if (this.pending.size === 0) return '0';
    let live = 0;
    let next = Number.MAX_SAFE_INTEGER;
    for (const p of this.pending.values()) {
      if (p.visibleAt > now) {
        live++;
        next = Math.min(next, p.visibleAt);
      }
    }
    return `${live}:${next}`;
  }
}
