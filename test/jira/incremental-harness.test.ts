import { harnessSite, projectsBySize, readStream, streamOf } from './harness-client';

const LOOKBACK = 5 * 60_000;
const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

const live = (rs: Record<string, unknown>[]) =>
  rs.filter((r) => !r._ab_cdc_deleted_at).map((r) => r.id as string);
const dead = (rs: Record<string, unknown>[]) =>
  rs.filter((r) => r._ab_cdc_deleted_at).map((r) => r.id as string);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

describe('incremental sync of jira content', () => {
  it('emits exactly the changes (plus the lookback window) and tombstones for deletions and moves out', async () => {
    const site = harnessSite({ scale: 'small', seed: 7 });
    const model = site.harness.module.model;
    const control = site.harness.module.control;
    const visible = (s: string) => site.harness.module.visibleIds(s)!;
    // Projects by visible issue count: A (largest) and B stay included; X is excluded by the config.
    const [a, b, x] = projectsBySize(site);
    const config = { jira: { projects: { exclude: [x!.key] } } };
    const names = ['jira_issues', 'jira_comments', 'jira_attachments'];
    const first: Record<string, Awaited<ReturnType<typeof readStream>>> = {};
    for (const n of names) first[n] = await readStream(streamOf(site, config, n));

    const inA = [...visible('jira_issues')]
      .map((id) => model.issues.get(id)!)
      .filter((i) => i.projectId === a!.id && i.issueTypeId !== '10004');
    const withComments = inA.filter((i) => i.commentIds.some((c) => visible('jira_comments').has(c)));
    const withAttachments = inA.filter((i) => i.attachmentIds.length > 0);
    const edited = inA[0]!;
    const commented = inA[1]!;
    const commentGone = withComments[0]!.commentIds.find((c) => visible('jira_comments').has(c))!;
    const deleted = inA.find(
      (i) => ![edited, commented, withComments[0]].includes(i) && i.commentIds.length > 0,
    )!;
    const deletedChildren = {
      comments: deleted.commentIds.filter((c) => visible('jira_comments').has(c)),
      attachments: deleted.attachmentIds,
    };
    const movedIn = withComments.find((i) => ![edited, commented, deleted, withComments[0]].includes(i))!;
    const movedOut = withAttachments.find(
      (i) => ![edited, commented, deleted, movedIn, withComments[0]].includes(i),
    )!;
    const movedOutChildren = {
      comments: movedOut.commentIds.filter((c) => visible('jira_comments').has(c)),
      attachments: movedOut.attachmentIds,
    };
    const movedInComments = movedIn.commentIds.filter((c) => visible('jira_comments').has(c));

    control.updateIssue({ issue: edited.id, summary: 'edited' });
    const newComment = control.addComment({ issue: commented.id, body: 'hello' }).id;
    control.deleteComment({ commentId: commentGone });
    control.deleteIssue({ issue: deleted.id });
    control.moveIssue({ issue: movedIn.id, toProjectKey: b!.key });
    control.moveIssue({ issue: movedOut.id, toProjectKey: x!.key });
    const newAttachment = control.addAttachment({ issue: edited.id }).id;

    const second: typeof first = {};
    for (const n of names) {
      second[n] = await readStream(streamOf(site, config, n), { state: first[n]!.states.at(-1) });
    }

    // Issues: everything updated at or after (cursor − lookback) of its project, at JQL's minute precision.
    const cursors = (first.jira_issues!.states.at(-1)!.partitions ?? {}) as Record<
      string,
      { cursor: string }
    >;
    const expectedIssues = [...visible('jira_issues')].filter((id) => {
      const i = model.issues.get(id)!;
      const c = cursors[i.projectId]?.cursor;
      return (
        i.projectId !== x!.id && c !== undefined && minute(i.updated) >= minute(Date.parse(c) - LOOKBACK)
      );
    });
    expect(sorted(live(second.jira_issues!.records))).toEqual(sorted(expectedIssues));
    expect(expectedIssues).toEqual(expect.arrayContaining([edited.id, commented.id, movedIn.id]));
    expect(expectedIssues.length).toBeLessThan(20); // the changes and a few neighbours, not a re-read
    expect(sorted(dead(second.jira_issues!.records))).toEqual(sorted([deleted.id, movedOut.id]));

    // Comments / attachments: changed since the previous pass started (minus the lookback).
    const since = (n: string) =>
      Math.min(
        ...Object.values(
          (first[n]!.states.at(-1)!.partitions ?? {}) as Record<string, { cursor: string }>,
        ).map((p) => Date.parse(p.cursor)),
      ) - LOOKBACK;
    const expectedComments = [...visible('jira_comments')].filter((id) => {
      const c = model.comments.get(id)!;
      return model.issues.get(c.issueId)!.projectId !== x!.id && c.updated >= since('jira_comments');
    });
    // The comments of the issue moved to B come again, with its new key and project.
    expect(sorted(live(second.jira_comments!.records))).toEqual(
      sorted([...expectedComments, ...movedInComments]),
    );
    const movedKey = model.issues.get(movedIn.id)!.key;
    for (const c of movedInComments) {
      expect(second.jira_comments!.records.find((r) => r.id === c)).toMatchObject({
        issue_key: movedKey,
        project_id: b!.id,
      });
    }
    expect(expectedComments).toContain(newComment);
    expect(sorted(dead(second.jira_comments!.records))).toEqual(
      sorted([commentGone, ...deletedChildren.comments, ...movedOutChildren.comments]),
    );
    for (const c of movedInComments) expect(dead(second.jira_comments!.records)).not.toContain(c);

    const expectedAttachments = [...visible('jira_attachments')].filter((id) => {
      const att = model.attachments.get(id)!;
      return model.issues.get(att.issueId)!.projectId !== x!.id && att.created >= since('jira_attachments');
    });
    expect(sorted(live(second.jira_attachments!.records))).toEqual(
      sorted([...expectedAttachments, ...movedIn.attachmentIds]),
    );
    expect(expectedAttachments).toContain(newAttachment);
    expect(sorted(dead(second.jira_attachments!.records))).toEqual(
      sorted([...deletedChildren.attachments, ...movedOutChildren.attachments]),
    );

    // A third sync without changes re-emits only the lookback window and no tombstones.
    const third = await readStream(streamOf(site, config, 'jira_issues'), {
      state: second.jira_issues!.states.at(-1),
    });
    expect(dead(third.records)).toEqual([]);
    expect(live(third.records).length).toBeLessThanOrEqual(expectedIssues.length);
  });
});

describe('deletion digests', () => {
  it('still list deletions after many creations (creations never enter the difference)', async () => {
    const site = harnessSite({ scale: 'small', seed: 8 });
    const model = site.harness.module.model;
    const control = site.harness.module.control;
    const names = ['jira_issues', 'jira_comments'];
    const first: Record<string, Awaited<ReturnType<typeof readStream>>> = {};
    for (const n of names) first[n] = await readStream(streamOf(site, {}, n), { logger: site.logger });
    const visible = [...site.harness.module.visibleIds('jira_issues')!].map((id) => model.issues.get(id)!);
    const project = model.projects.get(visible[0]!.projectId)!;
    const victims = visible
      .filter((i) => i.projectId === project.id && i.issueTypeId !== '10004')
      .slice(0, 3);
    const commentVictim = [...site.harness.module.visibleIds('jira_comments')!].find(
      (c) => !victims.some((v) => v.commentIds.includes(c)),
    )!;
    // Far more creations than a digest cell count could decode.
    for (let i = 0; i < 400; i++) {
      const { id } = control.createIssue({ projectKey: project.key, summary: `bulk ${i}` });
      control.addComment({ issue: id, body: `bulk comment ${i}` });
    }
    const commentsOf = new Map([...model.issues.values()].map((i) => [i.id, [...i.commentIds]]));
    // Deleting an issue deletes its sub-tasks, and their comments.
    const goneIssues = victims.flatMap((v) => control.deleteIssue({ issue: v.id }).deleted);
    const goneComments = goneIssues
      .flatMap((id) => commentsOf.get(id) ?? [])
      .filter((c) => first.jira_comments!.records.some((r) => r.id === c));
    control.deleteComment({ commentId: commentVictim });
    site.warnings.length = 0;
    const second: typeof first = {};
    for (const n of names) {
      second[n] = await readStream(streamOf(site, {}, n), {
        state: first[n]!.states.at(-1),
        logger: site.logger,
      });
    }
    expect(site.warnings).toEqual([]);
    expect(sorted(dead(second.jira_issues!.records))).toEqual(
      sorted(goneIssues.filter((id) => first.jira_issues!.records.some((r) => r.id === id))),
    );
    expect(live(second.jira_issues!.records).length).toBeGreaterThanOrEqual(400);
    expect(sorted(dead(second.jira_comments!.records))).toEqual(sorted([...goneComments, commentVictim]));
    // The state stays small: a few KB per project.
    expect(JSON.stringify(second.jira_comments!.states.at(-1)).length).toBeLessThan(40_000);
  });
});

describe('passes that must not lose records', () => {
  it('a comment pass reads on past an empty page that is not the last one', async () => {
    // A page may come back empty with more to follow (ENDPOINTS.md §3.1): the transform empties the
    // page of a comment pass that starts at issue `from`, and notes the token it came with.
    const empty: { from?: string; token?: string } = {};
    const site = harnessSite({
      scale: 'small',
      seed: 7,
      transform: (_method, path, body) => {
        const page = body as { issues?: Array<{ id: string; fields?: object }>; nextPageToken?: string };
        const head = page.issues?.[0];
        if (!path.endsWith('/search/jql') || head?.id !== empty.from || !head?.fields) return body;
        if (!('comment' in head.fields) || !page.nextPageToken) return body;
        empty.token = page.nextPageToken;
        return { ...page, issues: [] };
      },
    });
    const model = site.harness.module.model;
    const control = site.harness.module.control;
    const config = { page_size: { jira: 20 } };
    const first = await readStream(streamOf(site, config, 'jira_comments'));

    const platId = [...model.projects.values()].find((p) => p.key === 'PLAT')!.id;
    const plat = [...site.harness.module.visibleIds('jira_issues')!]
      .filter((id) => model.issues.get(id)!.projectId === platId)
      .sort((a, b) => Number(a) - Number(b));
    expect(plat.length).toBeGreaterThan(60);
    const emptied = plat.slice(20, 40); // the pass's second page
    empty.from = emptied[0];
    const newComment = control.addComment({ issue: plat.at(-1)!, body: 'after the empty page' }).id;
    const second = await readStream(streamOf(site, config, 'jira_comments'), {
      state: first.states.at(-1),
    });

    expect(empty.token).toBeDefined();
    expect(
      site.requests.some((r) => (r.body as { nextPageToken?: string })?.nextPageToken === empty.token),
    ).toBe(true);
    expect(live(second.records)).toContain(newComment);
    // Only the comments of the issues that the empty page left out may look deleted.
    const leftOut = new Set(emptied.flatMap((id) => model.issues.get(id)!.commentIds));
    expect(dead(second.records).filter((id) => !leftOut.has(id))).toEqual([]);
  });

  it('issues the service account can see again are emitted again', async () => {
    const site = harnessSite({ scale: 'small', seed: 7 });
    const model = site.harness.module.model;
    const control = site.harness.module.control;
    const visible = () => new Set(site.harness.module.visibleIds('jira_issues'));
    // PLAT's "Reporter and developers" security level opens its issues to the Developers role (10003),
    // which the service account is not in: joining and leaving it changes what it sees, not `updated`.
    const developers = { project: 'PLAT', roleId: 10003, accountId: site.harness.serviceAccount };
    const before = visible();
    control.addRoleActor(developers);
    const regained = [...visible()].filter((id) => !before.has(id));
    expect(regained.length).toBeGreaterThan(0);
    const first = await readStream(streamOf(site, {}, 'jira_issues'));

    control.removeRoleActor(developers);
    const second = await readStream(streamOf(site, {}, 'jira_issues'), { state: first.states.at(-1) });
    expect(sorted(dead(second.records))).toEqual(sorted(regained));

    control.addRoleActor(developers);
    const asked = site.requests.length;
    const third = await readStream(streamOf(site, {}, 'jira_issues'), { state: second.states.at(-1) });
    expect(live(third.records)).toEqual(expect.arrayContaining(regained));
    for (const id of regained) {
      expect(third.records.find((r) => r.id === id)).toMatchObject({
        key: model.issues.get(id)!.key,
        summary: model.issues.get(id)!.summary,
      });
    }
    expect(dead(third.records)).toEqual([]);
    // They are looked up together: one `id in (…)` search for all of them.
    const lookups = site.requests
      .slice(asked)
      .filter((r) => /^id in \(/.test((r.body as { jql?: string })?.jql ?? ''));
    expect(lookups).toHaveLength(1);

    // Back in the digest, they are not emitted again by the next sync.
    const fourth = await readStream(streamOf(site, {}, 'jira_issues'), { state: third.states.at(-1) });
    expect(live(fourth.records).filter((id) => regained.includes(id))).toEqual([]);
  });
});
