// Every Confluence and Admin endpoint the simulator serves answers with bodies that validate against the
// response schema of the official OpenAPI operation (reference/atlassian), errors included where the spec
// defines them.
import { startSimulator, type Simulator } from '../../sim';
import { responseValidator } from '../helpers/openapi';
import { call, type AuthForm } from './sim-client';

let sim: Simulator;
let fx: Record<string, string>;

beforeAll(async () => {
  sim = await startSimulator({ scale: 'small', seed: 7 });
  const m = sim.model.confluence;
  const sa = sim.model.directory.serviceAccount.accountId;
  const see = (kind: string, id: string): boolean => sim.truth.canSee(sa, kind, id);
  const page = [...m.contents.values()].find(
    (c) =>
      c.kind === 'page' && c.parentId && c.labels.length && see('page', c.id) && m.ancestors(c).length >= 2,
  )!;
  const blogInline = [...m.comments.values()].find(
    (c) =>
      c.kind === 'inline' && c.containerType === 'blogpost' && !c.parentCommentId && see('comment', c.id),
  )!;
  const blog = m.contents.get(blogInline.containerId)!;
  const blogFooter = [...m.comments.values()].find(
    (c) =>
      c.kind === 'footer' && c.containerType === 'blogpost' && !c.parentCommentId && see('comment', c.id),
  )!;
  const footerReply = [...m.comments.values()].find(
    (c) => c.kind === 'footer' && c.parentCommentId && see('comment', c.id),
  )!;
  const inlineReply = [...m.comments.values()].find(
    (c) => c.kind === 'inline' && c.parentCommentId && see('comment', c.id),
  )!;
  const inlineRoot = m.comments.get(inlineReply.parentCommentId!)!;
  const attachment = [...m.attachments.values()].find(
    (a) => a.containerType === 'page' && see('attachment', a.id),
  )!;
  const space = [...m.spaces.values()].find((s) => s.key === 'ENG')!;
  const group = sim.model.directory.groups[0]!;
  const filed = [...m.contents.values()].find(
    (c) => c.kind === 'page' && see('page', c.id) && m.contents.get(c.parentId ?? '')?.kind === 'folder',
  )!;
  fx = {
    page: page.id,
    blog: blog.id,
    blogFooter: blogFooter.containerId,
    footerParent: footerReply.parentCommentId!,
    footerReply: footerReply.id,
    inline: inlineRoot.id,
    inlinePage: inlineRoot.containerType === 'page' ? inlineRoot.containerId : page.id,
    attachment: attachment.id,
    attachmentPage: attachment.containerId,
    space: space.id,
    homepage: space.homepageId,
    group: group.id,
    footerPage: m.comments.get(footerReply.parentCommentId!)!.containerId,
    filed: filed.id,
    folder: filed.parentId!,
  };
});
afterAll(() => sim.close());

type Case = [
  name: string,
  spec: string,
  method: string,
  template: string,
  path: () => string,
  body?: unknown,
  auth?: AuthForm,
];
const V2 = 'confluence-v2.openapi.json';
const V1 = 'confluence-v1.openapi.json';
const ADMIN = 'admin-organization.openapi.json';

const cases: Case[] = [
  ['spaces', V2, 'get', '/spaces', () => '/wiki/api/v2/spaces?limit=3&description-format=plain'],
  ['space', V2, 'get', '/spaces/{id}', () => `/wiki/api/v2/spaces/${fx.space}`],
  [
    'space permissions',
    V2,
    'get',
    '/spaces/{id}/permissions',
    () => `/wiki/api/v2/spaces/${fx.space}/permissions`,
  ],
  [
    'pages',
    V2,
    'get',
    '/pages',
    () => '/wiki/api/v2/pages?limit=5&body-format=storage&status=current,archived,trashed',
  ],
  [
    'pages adf',
    V2,
    'get',
    '/pages',
    () => '/wiki/api/v2/pages?limit=5&body-format=atlas_doc_format&sort=-modified-date',
  ],
  [
    'space pages',
    V2,
    'get',
    '/spaces/{id}/pages',
    () => `/wiki/api/v2/spaces/${fx.space}/pages?limit=5&depth=root`,
  ],
  [
    'page',
    V2,
    'get',
    '/pages/{id}',
    () => `/wiki/api/v2/pages/${fx.page}?body-format=storage&include-labels=true`,
  ],
  ['ancestors', V2, 'get', '/pages/{id}/ancestors', () => `/wiki/api/v2/pages/${fx.page}/ancestors`],
  ['page labels', V2, 'get', '/pages/{id}/labels', () => `/wiki/api/v2/pages/${fx.page}/labels`],
  ['blogposts', V2, 'get', '/blogposts', () => '/wiki/api/v2/blogposts?limit=5&body-format=storage'],
  [
    'space blogposts',
    V2,
    'get',
    '/spaces/{id}/blogposts',
    () => `/wiki/api/v2/spaces/${fx.space}/blogposts?limit=5`,
  ],
  [
    'blogpost',
    V2,
    'get',
    '/blogposts/{id}',
    () => `/wiki/api/v2/blogposts/${fx.blog}?body-format=atlas_doc_format`,
  ],
  [
    'footer comments',
    V2,
    'get',
    '/footer-comments',
    () => '/wiki/api/v2/footer-comments?limit=10&body-format=storage',
  ],
  [
    'inline comments',
    V2,
    'get',
    '/inline-comments',
    () => '/wiki/api/v2/inline-comments?limit=10&body-format=storage',
  ],
  [
    'page footer comments',
    V2,
    'get',
    '/pages/{id}/footer-comments',
    () => `/wiki/api/v2/pages/${fx.footerPage}/footer-comments?body-format=storage`,
  ],
  [
    'page inline comments',
    V2,
    'get',
    '/pages/{id}/inline-comments',
    () => `/wiki/api/v2/pages/${fx.inlinePage}/inline-comments?body-format=storage`,
  ],
  [
    'blog footer comments',
    V2,
    'get',
    '/blogposts/{id}/footer-comments',
    () => `/wiki/api/v2/blogposts/${fx.blogFooter}/footer-comments`,
  ],
  [
    'blog inline comments',
    V2,
    'get',
    '/blogposts/{id}/inline-comments',
    () => `/wiki/api/v2/blogposts/${fx.blog}/inline-comments`,
  ],
  [
    'footer children',
    V2,
    'get',
    '/footer-comments/{id}/children',
    () => `/wiki/api/v2/footer-comments/${fx.footerParent}/children?body-format=storage`,
  ],
  [
    'inline children',
    V2,
    'get',
    '/inline-comments/{id}/children',
    () => `/wiki/api/v2/inline-comments/${fx.inline}/children`,
  ],
  [
    'footer comment',
    V2,
    'get',
    '/footer-comments/{comment-id}',
    () => `/wiki/api/v2/footer-comments/${fx.footerReply}?body-format=storage`,
  ],
  [
    'inline comment',
    V2,
    'get',
    '/inline-comments/{comment-id}',
    () => `/wiki/api/v2/inline-comments/${fx.inline}`,
  ],
  ['attachments', V2, 'get', '/attachments', () => '/wiki/api/v2/attachments?limit=10'],
  [
    'page attachments',
    V2,
    'get',
    '/pages/{id}/attachments',
    () => `/wiki/api/v2/pages/${fx.attachmentPage}/attachments`,
  ],
  ['attachment', V2, 'get', '/attachments/{id}', () => `/wiki/api/v2/attachments/${fx.attachment}`],
  ['users-bulk', V2, 'post', '/users-bulk', () => '/wiki/api/v2/users-bulk', 'users'],
  ['page versions', V2, 'get', '/pages/{id}/versions', () => `/wiki/api/v2/pages/${fx.page}/versions`],
  [
    'blogpost versions',
    V2,
    'get',
    '/blogposts/{id}/versions',
    () => `/wiki/api/v2/blogposts/${fx.blog}/versions`,
  ],
  [
    'footer comment versions',
    V2,
    'get',
    '/footer-comments/{id}/versions',
    () => `/wiki/api/v2/footer-comments/${fx.footerReply}/versions`,
  ],
  [
    'inline comment versions',
    V2,
    'get',
    '/inline-comments/{id}/versions',
    () => `/wiki/api/v2/inline-comments/${fx.inline}/versions`,
  ],
  [
    'direct children',
    V2,
    'get',
    '/pages/{id}/direct-children',
    () => `/wiki/api/v2/pages/${fx.homepage}/direct-children`,
  ],
  [
    'descendants',
    V2,
    'get',
    '/pages/{id}/descendants',
    () => `/wiki/api/v2/pages/${fx.homepage}/descendants?depth=3`,
  ],
  [
    'restrictions',
    V1,
    'get',
    '/wiki/rest/api/content/{id}/restriction/byOperation',
    () => `/wiki/rest/api/content/${fx.page}/restriction/byOperation`,
  ],
  [
    'restriction read',
    V1,
    'get',
    '/wiki/rest/api/content/{id}/restriction/byOperation/{operationKey}',
    () => `/wiki/rest/api/content/${fx.page}/restriction/byOperation/read?limit=1`,
  ],
  ['page in a folder', V2, 'get', '/pages/{id}', () => `/wiki/api/v2/pages/${fx.filed}`],
  [
    'ancestors through a folder',
    V2,
    'get',
    '/pages/{id}/ancestors',
    () => `/wiki/api/v2/pages/${fx.filed}/ancestors`,
  ],
  [
    'folder ancestors',
    V2,
    'get',
    '/folders/{id}/ancestors',
    () => `/wiki/api/v2/folders/${fx.folder}/ancestors`,
  ],
  [
    'folder restriction read',
    V1,
    'get',
    '/wiki/rest/api/content/{id}/restriction/byOperation/{operationKey}',
    () => `/wiki/rest/api/content/${fx.folder}/restriction/byOperation/read`,
  ],
  [
    'content search',
    V1,
    'get',
    '/wiki/rest/api/content/search',
    () =>
      `/wiki/rest/api/content/search?cql=${encodeURIComponent('type in (page,blogpost,comment,attachment) order by lastmodified asc')}&limit=10&expand=version,space,history,ancestors,restrictions.read.restrictions.user,restrictions.read.restrictions.group,body.storage,metadata.labels`,
  ],
  [
    'search',
    V1,
    'get',
    '/wiki/rest/api/search',
    () =>
      `/wiki/rest/api/search?cql=${encodeURIComponent('type = page and space = ENG order by lastmodified desc')}&limit=10&expand=content.version`,
  ],
  ['groups', V1, 'get', '/wiki/rest/api/group', () => '/wiki/rest/api/group?limit=5'],
  [
    'group members',
    V1,
    'get',
    '/wiki/rest/api/group/{groupId}/membersByGroupId',
    () => `/wiki/rest/api/group/${fx.group}/membersByGroupId?limit=5&shouldReturnTotalSize=true`,
  ],
  ['current user', V1, 'get', '/wiki/rest/api/user/current', () => '/wiki/rest/api/user/current'],
  [
    'user bulk',
    V1,
    'get',
    '/wiki/rest/api/user/bulk',
    () =>
      `/wiki/rest/api/user/bulk?accountId=${sim.model.directory.users
        .slice(0, 3)
        .map((u) => encodeURIComponent(u.accountId))
        .join(',')}`,
  ],
  [
    'user memberof',
    V1,
    'get',
    '/wiki/rest/api/user/memberof',
    () =>
      `/wiki/rest/api/user/memberof?accountId=${encodeURIComponent(sim.model.directory.apiTokenUser.accountId)}`,
  ],
  ['orgs', ADMIN, 'get', '/v1/orgs', () => '/admin/v1/orgs', undefined, 'org-key'],
  [
    'directories',
    ADMIN,
    'get',
    '/v2/orgs/{orgId}/directories',
    () => `/admin/v2/orgs/${sim.credentials.orgId}/directories`,
    undefined,
    'org-key',
  ],
  [
    'user search',
    ADMIN,
    'post',
    '/v2/orgs/{orgId}/directories/{directoryId}/users/search',
    () => `/admin/v2/orgs/${sim.credentials.orgId}/directories/-/users/search`,
    { limit: 5, expand: ['groups', 'productAccess'] },
    'org-key',
  ],
  [
    'group search',
    ADMIN,
    'post',
    '/v2/orgs/{orgId}/directories/{directoryId}/groups/search',
    () => `/admin/v2/orgs/${sim.credentials.orgId}/directories/-/groups/search`,
    { limit: 5, expand: ['counts.users'] },
    'org-key',
  ],
  [
    'org users v1',
    ADMIN,
    'get',
    '/v1/orgs/{orgId}/users',
    () => `/admin/v1/orgs/${sim.credentials.orgId}/users`,
    undefined,
    'org-key',
  ],
];

// Rows padded to the full tuple: jest treats a callback with more parameters than the row as `done`-style.
const rows = cases.map((c) => [c[0], c[1], c[2], c[3], c[4], c[5], c[6]] as const);

describe('Confluence and Admin responses validate against the official OpenAPI schemas', () => {
  test.each(rows)('%s', async (_name, spec, method, template, path, body, auth) => {
    const payload =
      body === 'users' ? { accountIds: sim.model.directory.users.slice(0, 5).map((u) => u.accountId) } : body;
    const via = path().startsWith('/admin') ? 'raw' : 'gateway';
    const r = await call(sim, path(), { via, auth, body: payload });
    expect(r.status).toBe(200);
    const validate = responseValidator(spec, method, template, 200);
    expect(validate.schemaless).toBe(false);
    const ok = validate(r.body);
    if (!ok) throw new Error(`${path()}:\n${validate.errors.slice(0, 10).join('\n')}`);
    const results =
      (r.body as { results?: unknown[]; data?: unknown[] }).results ?? (r.body as { data?: unknown[] }).data;
    if (results) expect(results.length).toBeGreaterThan(0);
  });
});

test('a folder parent is served the same by every endpoint the connector reads it from', async () => {
  const page = (await call(sim, `/wiki/api/v2/pages/${fx.filed}`)).body as Record<string, unknown>;
  expect(page).toMatchObject({ parentId: fx.folder, parentType: 'folder' });
  const ancestors = (await call(sim, `/wiki/api/v2/pages/${fx.filed}/ancestors`)).body as {
    results: { id: string; type: string }[];
  };
  expect(ancestors.results.at(-1)).toEqual({ id: fx.folder, type: 'folder' });
  const cql = encodeURIComponent(`id = ${fx.filed}`);
  const search = (await call(sim, `/wiki/rest/api/content/search?cql=${cql}&expand=ancestors`)).body as {
    results: { ancestors: { id: string; type: string }[] }[];
  };
  expect(search.results[0]!.ancestors.at(-1)).toMatchObject({ id: fx.folder, type: 'folder' });
  const restriction = (await call(sim, `/wiki/rest/api/content/${fx.folder}/restriction/byOperation/read`))
    .body as { restrictions: { group: { results: { id: string }[] } } };
  expect(restriction.restrictions.group.results.map((g) => g.id)).toEqual(
    sim.model.confluence.contents.get(fx.folder!)!.readRestriction.groups,
  );
});

describe('error responses validate where the spec defines them', () => {
  test('admin 401 is a ProxyError, admin 404 an Errors body', async () => {
    const unauth = await call(sim, '/admin/v1/orgs', { via: 'raw', auth: 'sa-bearer' });
    expect(unauth.status).toBe(401);
    expect(responseValidator(ADMIN, 'get', '/v1/orgs', 401)(unauth.body)).toBe(true);
    const missing = await call(sim, '/admin/v1/orgs/nope/users', { via: 'raw', auth: 'org-key' });
    expect(missing.status).toBe(404);
    const v = responseValidator(ADMIN, 'get', '/v1/orgs/{orgId}/users', 404);
    expect(v(missing.body)).toBe(true);
    expect((missing.body as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('ADMIN-404-2');
  });

  test('admin 400 for an out-of-range limit', async () => {
    const r = await call(sim, `/admin/v2/orgs/${sim.credentials.orgId}/directories/-/users/search`, {
      via: 'raw',
      auth: 'org-key',
      body: { limit: 101 },
    });
    expect(r.status).toBe(400);
    expect(
      responseValidator(
        ADMIN,
        'post',
        '/v2/orgs/{orgId}/directories/{directoryId}/users/search',
        400,
      )(r.body),
    ).toBe(true);
  });

  test('Confluence 404s use the v2 and v1 error bodies', async () => {
    const v2 = await call(sim, '/wiki/api/v2/pages/999999999');
    expect(v2.status).toBe(404);
    expect(v2.body).toEqual({
      errors: [expect.objectContaining({ status: 404, code: 'NOT_FOUND', title: 'Not Found' })],
    });
    const v1 = await call(sim, '/wiki/rest/api/content/999999999/restriction/byOperation');
    expect(v1.status).toBe(404);
    expect(v1.body).toMatchObject({ statusCode: 404, reason: 'Not Found' });
  });
});
