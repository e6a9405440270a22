// The Confluence data of the simulated site. Metadata lives in memory; bodies and attachment bytes are
// derived on demand from ids (storage-bodies.ts, attachment-bytes.ts) unless a test replaced them.

export type ContentStatus = 'current' | 'archived' | 'trashed' | 'deleted';

export interface Version {
  number: number;
  createdAt: number;
  authorId: string;
  message: string;
  minorEdit: boolean;
}

export interface Restriction {
  users: string[];
  groups: string[];
}

export interface Label {
  id: string;
  name: string;
  prefix: 'global' | 'my' | 'team';
}

export interface SpacePermission {
  id: string;
  principal: { type: 'user' | 'group' | 'role'; id: string };
  operation: { key: string; targetType: string };
}

/** The role principal id under which the simulator lists anonymous access (v2 has no dedicated type). */
export const ANONYMOUS_ROLE = 'anonymous-users';
/** The access class granting every licensed user of the site (accounts of type `atlassian`). */
export const LICENSED_USERS_ROLE = 'all-licensed-users';

export interface Space {
  id: string;
  key: string;
  name: string;
  type: 'global' | 'personal';
  status: 'current' | 'archived';
  authorId: string;
  createdAt: number;
  homepageId: string;
  description: string;
  permissions: SpacePermission[];
}

/**
 * Folders share the page tree with pages (a page's parent may be a folder, ENDPOINTS.md §1.3) and carry a read
 * restriction its descendants inherit; they have no body, labels, comments or attachments, and CQL search and
 * the v2 page lists leave them out.
 */
export type ContentKind = 'page' | 'blogpost' | 'folder';

export interface Content {
  kind: ContentKind;
  id: string;
  spaceId: string;
  title: string;
  status: ContentStatus;
  /** Pages and folders only: a page or folder. */
  parentId?: string;
  position: number;
  authorId: string;
  ownerId: string;
  createdAt: number;
  version: Version;
  labels: Label[];
  /** Own read restriction; empty lists = unrestricted. Inherited restrictions are the ancestors'. */
  readRestriction: Restriction;
  updateRestriction: Restriction;
  /** Set when a test replaced the body; otherwise the body is derived from id and version. */
  bodyOverride?: string;
}

/** A page or blog post: what comments and attachments belong to and CQL search finds. */
export type DocumentContent = Content & { kind: 'page' | 'blogpost' };

export function isDocument(c: Content): c is DocumentContent {
  return c.kind !== 'folder';
}

export interface Comment {
  kind: 'footer' | 'inline';
  id: string;
  containerId: string;
  containerType: 'page' | 'blogpost';
  parentCommentId?: string;
  status: ContentStatus;
  authorId: string;
  createdAt: number;
  version: Version;
  resolutionStatus?: 'open' | 'reopened' | 'resolved' | 'dangling';
  resolutionLastModifierId?: string;
  resolutionLastModifiedAt?: number;
  /** Inline comments: the highlighted text and its marker. */
  inlineMarkerRef?: string;
  inlineOriginalSelection?: string;
  bodyOverride?: string;
}

export type AttachmentKind = 'text' | 'pdf' | 'docx' | 'png' | 'markdown';

export interface Attachment {
  id: string;
  containerId: string;
  containerType: 'page' | 'blogpost';
  title: string;
  kind: AttachmentKind;
  mediaType: string;
  fileId: string;
  status: ContentStatus;
  authorId: string;
  createdAt: number;
  version: Version;
  comment: string;
  /** Set when a test supplied bytes. */
  bytesOverride?: Buffer;
  /** Memo of the derived file's size. */
  size?: number;
}

export class ConfluenceModel {
  readonly spaces = new Map<string, Space>();
  /** Pages, blog posts and folders, by id. */
  readonly contents = new Map<string, Content>();
  readonly comments = new Map<string, Comment>();
  readonly attachments = new Map<string, Attachment>();
  /** Child page and folder ids by parent id, in position order. */
  readonly children = new Map<string, string[]>();
  private nextContentId: number;
  private nextSpaceId: number;

  constructor(options: { firstContentId: number; firstSpaceId: number }) {
    this.nextContentId = options.firstContentId;
    this.nextSpaceId = options.firstSpaceId;
  }

  newContentId(): string {
    return String(this.nextContentId++);
  }

  newSpaceId(): string {
    return String(this.nextSpaceId++);
  }

  addSpace(space: Space): void {
    this.spaces.set(space.id, space);
  }

  addContent(content: Content): void {
    this.contents.set(content.id, content);
    if (content.parentId) {
      let list = this.children.get(content.parentId);
      if (!list) this.children.set(content.parentId, (list = []));
      list.push(content.id);
    }
  }

  setParent(content: Content, parentId: string | undefined): void {
    if (content.parentId) {
      const list = this.children.get(content.parentId);
      if (list) list.splice(list.indexOf(content.id), 1);
    }
    content.parentId = parentId;
    if (parentId) {
      let list = this.children.get(parentId);
      if (!list) this.children.set(parentId, (list = []));
      list.push(content.id);
    }
  }

  /** Ancestors of a page or folder (pages and folders), root first. */
  ancestors(content: Content): Content[] {
    const out: Content[] = [];
    let parentId = content.parentId;
    while (parentId) {
      const parent = this.contents.get(parentId);
      if (!parent) break;
      out.unshift(parent);
      parentId = parent.parentId;
    }
    return out;
  }

  /** All descendants of a page or folder (depth first). */
  descendants(id: string): Content[] {
    const out: Content[] = [];
    const stack = [...(this.children.get(id) ?? [])].reverse();
    while (stack.length > 0) {
      const child = this.contents.get(stack.pop()!);
      if (!child) continue;
      out.push(child);
      stack.push(...[...(this.children.get(child.id) ?? [])].reverse());
    }
    return out;
  }

  container(comment: Comment | Attachment): Content | undefined {
    return this.contents.get(comment.containerId);
  }

  remove(id: string): void {
    const content = this.contents.get(id);
    if (content) {
      this.setParent(content, undefined);
      this.contents.delete(id);
      this.children.delete(id);
      for (const c of [...this.comments.values()]) if (c.containerId === id) this.comments.delete(c.id);
      for (const a of [...this.attachments.values()]) if (a.containerId === id) this.attachments.delete(a.id);
    }
  }
}
