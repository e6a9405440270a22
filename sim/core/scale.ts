// Named scales. `bench` matches the sizes the benchmark and issue 3 ask for; `large` is 4x bench.
import type { ScaleCounts } from './types';

export type ScaleName = 'tiny' | 'small' | 'bench' | 'large';

const BENCH: ScaleCounts = {
  users: 2000,
  groups: 200,
  spaces: 50,
  pages: 20000,
  blogposts: 5000,
  comments: 40000,
  attachments: 10000,
  projects: 20,
  issues: 20000,
  jiraComments: 60000,
  jiraAttachments: 5000,
};

export const SCALES: Record<ScaleName, ScaleCounts> = {
  tiny: {
    users: 14,
    groups: 6,
    // Six spaces, so even tiny has every kind: global, anonymous-readable, hidden, archived, personal.
    spaces: 6,
    pages: 30,
    blogposts: 6,
    comments: 40,
    attachments: 12,
    projects: 2,
    issues: 40,
    jiraComments: 60,
    jiraAttachments: 10,
  },
  small: {
    users: 60,
    groups: 15,
    spaces: 8,
    pages: 400,
    blogposts: 100,
    comments: 600,
    attachments: 150,
    projects: 5,
    issues: 500,
    jiraComments: 1200,
    jiraAttachments: 150,
  },
  bench: BENCH,
  large: Object.fromEntries(Object.entries(BENCH).map(([k, v]) => [k, v * 4])) as unknown as ScaleCounts,
};

export function resolveScale(scale: ScaleName | Partial<ScaleCounts> | undefined): ScaleCounts {
  if (scale === undefined) return SCALES.tiny;
  if (typeof scale === 'string') {
    const named = SCALES[scale];
    if (!named) throw new Error(`unknown scale ${String(scale)}`);
    return named;
  }
  return { ...SCALES.tiny, ...scale };
}
