// Seeded Confluence dataset: spaces of every kind, page trees several levels deep with the restriction
// patterns the ACL logic must get right, blog posts, footer/inline comments with replies, attachments.
import { uuid } from '../core/ids';
import type { Rng, ScaleCounts, SimUser } from '../core/types';
import type { DirectoryModel } from '../directory/model';
import { MEDIA_TYPES } from './attachment-bytes';
import {
  ANONYMOUS_ROLE,
  ConfluenceModel,
  isDocument,
  type AttachmentKind,
  type Content,
  type Label,
  type Space,
  type SpacePermission,
  type Version,
} from './model';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LABEL_NAMES = [
  'how-to',
  'runbook',
  'meeting-notes',
  'decision',
  'retro',
  'architecture',
  'onboarding',
  'faq',
  'release-notes',
  'postmortem',
  'okr',
  'draft',
];
const TITLE_WORDS = [
  'Roadmap',
  'Runbook',
  'Incident review',
  'Onboarding guide',
  'Architecture',
  'Release plan',
  'Retrospective',
  'Design doc',
  'Meeting notes',
  'FAQ',
  'Budget',
  'Hiring plan',
  'Postmortem',
  'Security review',
];
const ATTACHMENT_KINDS: AttachmentKind[] = ['text', 'pdf', 'docx', 'png', 'markdown'];

interface SpacePlan {
  key: string;
  name: string;
  type: 'global' | 'personal';
  status: 'current' | 'archived';
  /** Group names with read (+ create) access. */
  groups: string[];
  users?: string[];
  anonymous?: boolean;
  /** Whether the service account's group may read it. */
  serviceAccount: boolean;
  weight: number;
}

export interface ConfluenceSeed {
  rng: Rng;
  counts: ScaleCounts;
  dir: DirectoryModel;
  epoch: number;
}

export function generateConfluence(seed: ConfluenceSeed): ConfluenceModel {
  const rng = seed.rng.fork('confluence');
  const { dir, epoch, counts } = seed;
  const model = new ConfluenceModel({ firstContentId: 1_015_809, firstSpaceId: 98_305 });
  const humans = dir.users.filter((u) => u.accountType === 'atlassian');
  const person = (): SimUser => rng.pick(humans);
  const past = (minAgo: number, maxAgo: number): number => epoch - rng.int(minAgo, maxAgo);
  const labels: Label[] = LABEL_NAMES.map((name, i) => ({
    id: String(7_340_033 + i),
    name,
    prefix: 'global',
  }));
  const groupId = (name: string): string => dir.groupByName(name)?.id ?? dir.groups[0]!.id;
  const personalOwner = humans[1] ?? humans[0]!;

  const plans: SpacePlan[] = [
    {
      key: 'ENG',
      name: 'Engineering',
      type: 'global',
      status: 'current',
      groups: ['confluence-users'],
      serviceAccount: true,
      weight: 6,
    },
    {
      key: 'PUB',
      name: 'Public Handbook',
      type: 'global',
      status: 'current',
      groups: ['confluence-users'],
      anonymous: true,
      serviceAccount: false,
      weight: 2,
    },
    {
      key: 'HR',
      name: 'People Ops (confidential)',
      type: 'global',
      status: 'current',
      groups: ['site-admins'],
      serviceAccount: false,
      weight: 1,
    },
    {
      key: 'OLD',
      name: 'Legacy Wiki',
      type: 'global',
      status: 'archived',
      groups: ['confluence-users'],
      serviceAccount: true,
      weight: 1,
    },
    {
      key: `~${personalOwner.accountId.replace(/[^a-zA-Z0-9]/g, '')}`,
      name: personalOwner.displayName,
      type: 'personal',
      status: 'current',
      groups: ['confluence-users'],
      users: [personalOwner.accountId],
      serviceAccount: true,
      weight: 1,
    },
    {
      key: 'MKT',
      name: 'Marketing — Café & Growth',
      type: 'global',
      status: 'current',
      groups: ['marketing'],
      serviceAccount: true,
      weight: 2,
    },
  ];
  const teamGroups = dir.groups.slice(6).map((g) => g.name);
  for (let i = plans.length; i < counts.spaces; i++) {
    const personal = i % 9 === 8;
    const owner = humans[i % humans.length]!;
    plans.push({
      key: personal ? `~${owner.accountId.replace(/[^a-zA-Z0-9]/g, '')}` : `SP${i}`,
      name: personal ? owner.displayName : `Space ${i} ${TITLE_WORDS[i % TITLE_WORDS.length]}`,
      type: personal ? 'personal' : 'global',
      status: i % 17 === 16 ? 'archived' : 'current',
      groups: [teamGroups.length && rng.chance(0.6) ? rng.pick(teamGroups) : 'confluence-users'],
      users: personal ? [owner.accountId] : undefined,
      serviceAccount: rng.chance(0.9),
      weight: rng.int(1, 5),
    });
  }
  const usedKeys = new Set<string>();
  const spacePlans = plans
    .slice(0, Math.max(counts.spaces, 1))
    .filter((p) => !usedKeys.has(p.key) && usedKeys.add(p.key));

  // --- spaces
  let permissionId = 1_900_545;
  const spaces: Space[] = spacePlans.map((plan) => {
    const permissions: SpacePermission[] = [];
    const grant = (type: 'user' | 'group' | 'role', id: string, ops: Array<[string, string]>): void => {
      for (const [key, targetType] of ops)
        permissions.push({
          id: String(permissionId++),
          principal: { type, id },
          operation: { key, targetType },
        });
    };
    const contributor: Array<[string, string]> = [
      ['read', 'space'],
      ['create', 'page'],
      ['create', 'blogpost'],
      ['create', 'comment'],
      ['create', 'attachment'],
    ];
    grant('group', groupId('site-admins'), [
      ['read', 'space'],
      ['administer', 'space'],
      ['restrict_content', 'space'],
    ]);
    for (const g of plan.groups) if (g !== 'site-admins') grant('group', groupId(g), contributor);
    for (const u of plan.users ?? []) grant('user', u, [...contributor, ['administer', 'space']]);
    if (plan.serviceAccount) grant('group', groupId('search-service-accounts'), [['read', 'space']]);
    if (plan.anonymous) grant('role', ANONYMOUS_ROLE, [['read', 'space']]);
    const space: Space = {
      id: model.newSpaceId(),
      key: plan.key,
      name: plan.name,
      type: plan.type,
      status: plan.status,
      authorId: plan.users?.[0] ?? person().accountId,
      createdAt: past(800 * DAY, 1100 * DAY),
      homepageId: '',
      description: `${plan.name}: documentation & decisions.`,
      permissions,
    };
    model.addSpace(space);
    return space;
  });

  // --- pages: each space a tree with its homepage at the root
  const weights = spacePlans.map((p) => p.weight);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const perSpace = spaces.map((_, i) => Math.max(1, Math.round((counts.pages * weights[i]!) / totalWeight)));
  const version = (createdAt: number): Version => {
    const number = rng.int(1, 8);
    return {
      number,
      createdAt: number === 1 ? createdAt : createdAt + Math.floor(rng.next() * (epoch - HOUR - createdAt)),
      authorId: person().accountId,
      message: number === 1 ? '' : rng.pick(['', 'Fixed typos', 'Updated owners', 'Quarterly refresh']),
      minorEdit: rng.chance(0.3),
    };
  };
  const newContent = (
    kind: 'page' | 'blogpost',
    space: Space,
    parentId: string | undefined,
    position: number,
  ): Content => {
    const createdAt = Math.max(space.createdAt + HOUR, past(2 * DAY, 1000 * DAY));
    const author = person();
    const content: Content = {
      kind,
      id: model.newContentId(),
      spaceId: space.id,
      title: '',
      status: 'current',
      parentId,
      position,
      authorId: author.accountId,
      ownerId: author.accountId,
      createdAt,
      version: version(createdAt),
      labels: rng.chance(0.6) ? [...new Set([rng.pick(labels), rng.pick(labels)])] : [],
      readRestriction: { users: [], groups: [] },
      updateRestriction: { users: [], groups: [] },
    };
    content.title = `${rng.pick(TITLE_WORDS)} ${content.id.slice(-5)}`;
    model.addContent(content);
    return content;
  };

  const special = new Set<string>();
  spaces.forEach((space, s) => {
    const home = newContent('page', space, undefined, 0);
    home.title = `${space.name} Home`;
    space.homepageId = home.id;
    const created: Content[] = [home];
    const count = space.key === 'ENG' ? Math.max(perSpace[s]!, 10) : perSpace[s]!;
    for (let k = 1; k < count; k++) {
      let parent: Content;
      if (space.key === 'ENG' && k < 10) parent = created[[0, 0, 1, 0, 3, 4, 0, 2, 7, 8][k]!]!;
      else parent = rng.chance(0.25) ? home : created[Math.max(0, created.length - 1 - rng.int(0, 7))]!;
      const page = newContent('page', space, parent.id, model.children.get(parent.id)?.length ?? 0);
      created.push(page);
    }
    if (space.key === 'ENG') applyEngRestrictions(created, dir, groupId, special);
    else {
      for (const page of created.slice(1)) {
        if (rng.chance(0.04)) page.readRestriction = { users: [], groups: [rng.pick(dir.groups).id] };
        else if (rng.chance(0.05)) page.updateRestriction = { users: [page.authorId], groups: [] };
      }
    }
  });

  // Archived / trashed / deleted leaves (never a special restriction page), at least one of each.
  const leaves = [...model.contents.values()].filter(
    (c) => c.parentId && !model.children.get(c.id)?.length && !special.has(c.id),
  );
  const statuses: Array<Content['status']> = ['archived', 'trashed', 'deleted'];
  statuses.forEach((status, i) => {
    if (leaves[i]) leaves[i].status = status;
  });
  for (const leaf of leaves.slice(3)) {
    const r = rng.next();
    leaf.status = r < 0.03 ? 'archived' : r < 0.05 ? 'trashed' : r < 0.06 ? 'deleted' : 'current';
  }

  // --- blog posts
  const blogSpaces = spaces.filter((sp) => sp.status === 'current');
  for (let b = 0; b < counts.blogposts; b++) {
    const space = blogSpaces[b % blogSpaces.length]!;
    const post = newContent('blogpost', space, undefined, 0);
    post.title = `${rng.pick(['Weekly update', 'Announcement', 'Launch recap', 'Team news'])} ${post.id.slice(-5)}`;
    if (rng.chance(0.05))
      post.readRestriction = { users: [post.authorId], groups: [rng.pick(dir.groups).id] };
    if (b % 37 === 36) post.status = 'trashed';
  }

  // --- comments
  const containers = [...model.contents.values()].filter(isDocument).filter((c) => c.status === 'current');
  const roots = new Map<string, string[]>();
  for (let i = 0; i < counts.comments; i++) {
    const container = rng.pick(containers);
    const inline = rng.chance(0.3);
    const kind = inline ? 'inline' : 'footer';
    const rootKey = `${container.id}:${kind}`;
    const existing = roots.get(rootKey) ?? [];
    const reply = existing.length > 0 && rng.chance(0.3);
    const createdAt = container.createdAt + Math.floor(rng.next() * (epoch - HOUR - container.createdAt));
    const author = person();
    const id = model.newContentId();
    const number = rng.chance(0.2) ? 2 : 1;
    model.comments.set(id, {
      kind,
      id,
      containerId: container.id,
      containerType: container.kind,
      parentCommentId: reply ? rng.pick(existing) : undefined,
      status: 'current',
      authorId: author.accountId,
      createdAt,
      version: {
        number,
        createdAt: number === 1 ? createdAt : createdAt + Math.floor(rng.next() * (epoch - HOUR - createdAt)),
        authorId: author.accountId,
        message: '',
        minorEdit: false,
      },
      ...(inline
        ? {
            resolutionStatus: reply
              ? undefined
              : rng.pick(['open', 'resolved', 'reopened', 'dangling'] as const),
            inlineMarkerRef: uuid(rng),
            inlineOriginalSelection: rng.pick([
              'the rollout plan',
              'latency budget',
              'café menu',
              'Q3 objectives',
            ]),
          }
        : {}),
    });
    const c = model.comments.get(id)!;
    if (c.resolutionStatus && c.resolutionStatus !== 'open') {
      c.resolutionLastModifierId = person().accountId;
      c.resolutionLastModifiedAt = c.version.createdAt;
    }
    if (!reply) roots.set(rootKey, [...existing, id]);
  }

  // --- attachments
  for (let i = 0; i < counts.attachments; i++) {
    const container = rng.pick(containers);
    const kind = ATTACHMENT_KINDS[i % ATTACHMENT_KINDS.length]!;
    const createdAt = container.createdAt + Math.floor(rng.next() * (epoch - HOUR - container.createdAt));
    const numeric = model.newContentId();
    const author = person();
    const number = rng.chance(0.15) ? 2 : 1;
    model.attachments.set(`att${numeric}`, {
      id: `att${numeric}`,
      containerId: container.id,
      containerType: container.kind,
      title: `${rng.pick(['report', 'diagram', 'notes', 'Übersicht', 'spec'])}-${numeric.slice(-4)}.${MEDIA_TYPES[kind].extension}`,
      kind,
      mediaType: MEDIA_TYPES[kind].mediaType,
      fileId: uuid(rng),
      status: 'current',
      authorId: author.accountId,
      createdAt,
      version: {
        number,
        createdAt: number === 1 ? createdAt : createdAt + Math.floor(rng.next() * (epoch - HOUR - createdAt)),
        authorId: author.accountId,
        message: '',
        minorEdit: false,
      },
      comment: rng.chance(0.5) ? 'Uploaded for review' : '',
    });
  }
  const eng = spaces.find((sp) => sp.key === 'ENG');
  if (eng) addEngFolders(model, eng, groupId);
  return model;
}

/**
 * Folders in ENG, made last and without the rng so no other item changes: folder A (under the homepage)
 * is restricted to engineering and the service account's group and holds an unrestricted page; folder B,
 * unrestricted, sits under restricted page 1 and holds an archived page. Both pages inherit a restriction
 * through a parent that is not a page.
 */
function addEngFolders(model: ConfluenceModel, eng: Space, groupId: (name: string) => string): void {
  const home = model.contents.get(eng.homepageId)!;
  const page1 = model.children.get(home.id)?.map((id) => model.contents.get(id)!)[0];
  const add = (kind: 'page' | 'folder', title: string, parent: Content, status: Content['status']) => {
    const content: Content = {
      ...home,
      kind,
      id: model.newContentId(),
      title,
      status,
      parentId: parent.id,
      position: model.children.get(parent.id)?.length ?? 0,
      version: { ...home.version, number: 1, createdAt: home.createdAt, message: '' },
      labels: [],
      readRestriction: { users: [], groups: [] },
      updateRestriction: { users: [], groups: [] },
    };
    model.addContent(content);
    return content;
  };
  const folderA = add('folder', 'Team folder', home, 'current');
  folderA.readRestriction = {
    users: [],
    groups: [groupId('engineering'), groupId('search-service-accounts')],
  };
  add('page', 'Filed in the team folder', folderA, 'current');
  if (!page1 || page1.readRestriction.groups.length === 0) return;
  const folderB = add('folder', 'Archive folder', page1, 'current');
  add('page', 'Archived in a folder', folderB, 'archived');
}

/**
 * Fixed restriction patterns in the ENG space (first ten pages):
 * 1 restricted to groups the service account is in, with an unrestricted child (2) and deeper pages (7, 8, 9);
 * 3 restricted to site-admins: its child 4 and grandchild 5 are hidden by inheritance (restriction two levels up);
 * 6 restricted to one person only: the service account cannot see it at all;
 * 8 restricted to a person and the service account.
 */
function applyEngRestrictions(
  pages: Content[],
  dir: DirectoryModel,
  groupId: (name: string) => string,
  special: Set<string>,
): void {
  const person = dir.users.find(
    (u) => u.accountType === 'atlassian' && u.accountId !== dir.apiTokenUser.accountId,
  )!;
  const set = (index: number, users: string[], groups: string[]): void => {
    const page = pages[index];
    if (page) page.readRestriction = { users, groups };
  };
  set(1, [], [groupId('engineering'), groupId('search-service-accounts')]);
  set(3, [], [groupId('site-admins')]);
  set(6, [person.accountId], []);
  set(8, [person.accountId, dir.serviceAccount.accountId], []);
  const page2 = pages[2];
  if (page2) page2.updateRestriction = { users: [person.accountId], groups: [] };
  for (const page of pages.slice(0, 10)) special.add(page.id);
}
