// Deletions for document_permissions. Every refresh recomputes every ACL, so a document that was deleted,
// trashed or moved out of reach since the last refresh simply stops appearing; with append_dedup its old
// row would keep granting access in the warehouse. One IdDigest of every document key of the last refresh
// (in the state, sized to the site) is compared with this refresh's keys, and each key that left gets a
// tombstone (`_ab_cdc_deleted_at`). One digest for the whole site, not one per space or project: a page
// moved between spaces keeps its key, so moves cancel out and only real removals and additions count.
import { IdDigest } from '../cdk/id-digest';
import type { Logger } from '../cdk/stream';
import type { DocumentPermissionsRecord } from '../generated/records/document_permissions';

/** Short type codes keep `code:id` keys within the digest's 23 bytes. */
const CODES: Record<string, string> = {
  confluence_page: 'cp',
  confluence_blogpost: 'cb',
  confluence_comment: 'cc',
  confluence_attachment: 'ca',
  jira_issue: 'ji',
  jira_comment: 'jc',
  jira_attachment: 'ja',
};
const TYPES = new Map(Object.entries(CODES).map(([type, code]) => [code, type]));

/**
 * Cells per table of the digest a refresh builds (three tables): it cannot be sized before the refresh has
 * counted the site's documents, so it is built this large (2.7 MB) and folded to the size the count calls
 * for when it is saved. 27,720 has 96 divisors: the saved digest is at most a third larger than needed.
 */
const BUILT_PER_TABLE = 27_720;
/** The largest digest saved (27,720 cells, 1.2 MB of state): 2% of a site of up to about 900,000 documents. */
const MAX_SAVED_PER_TABLE = 9_240;

/**
 * Cells for a site of `size` documents: enough to name the documents added or removed between two
 * refreshes up to about 2% of the site (two thirds of the cells), with a floor for small sites, as the
 * next divisor of the built digest allows. About 43 bytes of state per cell: 200 KB for 135,000 documents.
 */
function savedCells(size: number): number {
  const wanted = Math.ceil((256 + size * 0.03) / 3);
  for (let per = wanted; per < MAX_SAVED_PER_TABLE; per++) if (BUILT_PER_TABLE % per === 0) return per * 3;
  return MAX_SAVED_PER_TABLE * 3;
}

export class AclSweep {
  private readonly before: IdDigest | undefined;
  /** This refresh's keys at the previous digest's size (to compare), and at the built size for next time. */
  private readonly now: IdDigest | undefined;
  private readonly next: IdDigest;

  constructor(
    previous: unknown,
    private readonly tombstone: (documentType: string, documentId: string) => DocumentPermissionsRecord,
    private readonly logger: Logger,
  ) {
    this.before = this.parse(previous);
    this.now = this.before && IdDigest.empty(this.before.cellCount);
    this.next = IdDigest.empty(BUILT_PER_TABLE * 3);
  }

  add(record: Pick<DocumentPermissionsRecord, 'document_type' | 'document_id'>): void {
    const key = `${CODES[record.document_type] ?? record.document_type}:${record.document_id}`;
    this.now?.add(key);
    this.next.add(key);
  }

  /** After the whole refresh: a tombstone for every document of the last refresh that is not in this one. */
  *tombstones(): Generator<DocumentPermissionsRecord> {
    if (!this.before || !this.now) return;
    const diff = this.now.diff(this.before);
    if (!diff) {
      this.logger.warn(
        'document_permissions: too many documents were added or removed since the last refresh to name the ' +
          'removed ones; their old ACL rows stay until the stream is reset (a full refresh). The next ' +
          'refresh keeps a larger digest.',
      );
      return;
    }
    for (const gone of diff.onlyInB) {
      const at = gone.indexOf(':');
      yield this.tombstone(TYPES.get(gone.slice(0, at)) ?? gone.slice(0, at), gone.slice(at + 1));
    }
  }

  /** The digest for the state, sized by this refresh's count of documents. */
  serialize(): string {
    return this.next.fold(savedCells(this.next.size)).serialize();
  }

  private parse(previous: unknown): IdDigest | undefined {
    if (previous === undefined) return undefined;
    try {
      if (typeof previous !== 'string') throw new Error('not a string');
      return IdDigest.parse(previous);
    } catch (error) {
      this.logger.warn(
        `document_permissions: the state's deletion digest is unusable (${(error as Error).message}); ` +
          'removed documents are named from the next refresh on',
      );
      return undefined;
    }
  }
}
