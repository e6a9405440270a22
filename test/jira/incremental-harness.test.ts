import { jiraStreams } from '../../src/jira';
import { harnessSite, readStream, type HarnessSite } from './harness-client';

const LOOKBACK = 5 * 60_000;
const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

function streamOf(site: HarnessSite, config: Parameters<HarnessSite['deps']>[0], name: string) {
  return jiraStreams(site.deps(config)).find((s) => s.name === name)!;
}

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
    const counts = new Map<string, number>();
    for (const id of visible('jira_issues')) {
      const p = model.issues.get(id)!.projectId;
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    const [a, b, x] = [...counts.entries()]
      .sort((l, r) => r[1] - l[1])
      .map(([id]) => model.projects.get(id)!);
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
