import {
  canOpen,
  emptyLayer,
  intersectLayers,
  sharedIntersection,
  unionLayers,
  unreadableLayer,
  type DirectoryView,
  type Layer,
} from '../../src/permissions/acl';

const memberships: Record<string, string[]> = {
  eng: ['alice', 'bob', 'svc'],
  design: ['bob', 'carol'],
  all: ['alice', 'bob', 'carol', 'dave'],
};
const dir: DirectoryView = {
  members: (g) => (memberships[g] ? new Set(memberships[g]) : undefined),
  licensedUsers: () => ['alice', 'bob', 'carol', 'dave'],
};
const groupsOf = (u: string): string[] => Object.keys(memberships).filter((g) => memberships[g]!.includes(u));
const allowed = (u: string): boolean => u !== 'svc';

function layer(
  init: Partial<Omit<Layer, 'users' | 'groups'>> & { users?: string[]; groups?: string[] },
): Layer {
  return {
    ...emptyLayer([{ kind: 'space_permission', detail: 'test' }]),
    ...init,
    users: new Set(init.users ?? []),
    groups: new Set(init.groups ?? []),
  };
}

function who(acl: ReturnType<typeof intersectLayers>): string[] {
  return ['alice', 'bob', 'carol', 'dave', 'erin', 'svc'].filter((u) => canOpen(acl, u, groupsOf));
}

describe('intersectLayers', () => {
  it('keeps a single layer as given, without expanding groups', () => {
    const acl = intersectLayers([layer({ users: ['dave', 'svc'], groups: ['eng'] })], dir, allowed);
    expect(acl).toMatchObject({ public: false, users: ['dave'], groups: ['eng'], readable: true });
    expect(acl.sources.some((s) => s.kind === 'group_expansion')).toBe(false);
  });

  it('anonymous access does not narrow a restriction (public ∩ restriction = restriction)', () => {
    const acl = intersectLayers([layer({ public: true }), layer({ groups: ['design'] })], dir, allowed);
    expect(acl.public).toBe(false);
    expect(who(acl)).toEqual(['bob', 'carol']);
  });

  it('is public only when every layer is public', () => {
    expect(intersectLayers([layer({ public: true }), layer({ public: true })], dir, allowed).public).toBe(
      true,
    );
  });

  it('keeps groups common to all layers and expands the others to members, saying so', () => {
    // space: eng or design; restriction: eng or carol  =>  eng members, plus carol (design ∩ {carol}).
    const acl = intersectLayers(
      [layer({ groups: ['eng', 'design'] }), layer({ groups: ['eng'], users: ['carol'] })],
      dir,
      allowed,
    );
    expect(acl.groups).toEqual(['eng']);
    expect(acl.users).toEqual(['carol']);
    expect(who(acl)).toEqual(['alice', 'bob', 'carol', 'svc']); // svc only via the group; memberships drop it upstream
    expect(acl.sources.find((s) => s.kind === 'group_expansion')?.detail).toMatch(/design/);
  });

  it('ANDs restrictions across ancestors: a user must pass every one', () => {
    const space = layer({ groups: ['all'] });
    const parent = layer({ groups: ['design'] });
    const grandparent = layer({ users: ['bob', 'alice'] });
    expect(who(intersectLayers([space, parent, grandparent], dir, allowed))).toEqual(['bob']);
  });

  it('expands "all licensed users" when intersected', () => {
    const acl = intersectLayers(
      [layer({ allUsers: true }), layer({ users: ['dave', 'erin'] })],
      dir,
      allowed,
    );
    expect(acl.users).toEqual(['dave']); // erin is not an active directory user
  });

  it('fails closed when a layer is unreadable', () => {
    const acl = intersectLayers(
      [layer({ public: true }), unreadableLayer('403 on restrictions of page 7', '7')],
      dir,
      allowed,
    );
    expect(acl).toMatchObject({ public: false, users: [], groups: [], readable: false });
    expect(who(acl)).toEqual([]);
  });

  it('fails closed for members of a group whose members are unknown', () => {
    const acl = intersectLayers(
      [layer({ groups: ['ghosts', 'design'] }), layer({ users: ['carol', 'zed'] })],
      dir,
      allowed,
    );
    expect(acl.users).toEqual(['carol']);
    expect(acl.sources.some((s) => s.kind === 'unreadable' && s.id === 'ghosts')).toBe(true);
  });

  it('grants nothing when there are no layers', () => {
    expect(who(intersectLayers([], dir, allowed))).toEqual([]);
  });

  it('removes filtered accounts from the user list', () => {
    expect(intersectLayers([layer({ users: ['svc', 'alice'] })], dir, allowed).users).toEqual(['alice']);
  });
});

describe('unionLayers', () => {
  it('ORs grants and keeps unreadability', () => {
    const u = unionLayers(
      layer({ users: ['a'] }),
      layer({ groups: ['g'], public: true }),
      unreadableLayer('x'),
    );
    expect([...u.users]).toEqual(['a']);
    expect([...u.groups]).toEqual(['g']);
    expect(u.public).toBe(true);
    expect(u.unreadable).toBe(true);
  });
});

describe('sharedIntersection', () => {
  const restricted = (page: string): Layer => ({
    ...layer({ groups: ['design'], users: ['alice'] }),
    sources: [{ kind: 'page_restriction', id: page, detail: `own read restriction of ${page}` }],
  });
  const space = layer({ groups: ['eng'], allUsers: false });

  it('gives every document what intersectLayers gives it, sources included', () => {
    const intersect = sharedIntersection(dir, allowed);
    for (const layers of [
      [space],
      [space, restricted('p1')],
      [space, restricted('p2')],
      [space, layer({ public: true })],
      [space, unreadableLayer('cannot read', 'p3')],
      [layer({ allUsers: true }), restricted('p4')],
    ])
      expect(intersect(layers)).toEqual(intersectLayers(layers, dir, allowed));
  });

  it('computes the lists once for documents with the same grants', () => {
    const intersect = sharedIntersection(dir, allowed);
    const first = intersect([space, restricted('p1')]);
    const second = intersect([space, restricted('p2')]);
    expect(second.users).toBe(first.users);
    expect(second.sources.map((s) => s.id)).toContain('p2');
    expect(second.sources.map((s) => s.id)).not.toContain('p1');
  });
});
