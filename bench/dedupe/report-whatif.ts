/**
 * Clusters of the same linked pairs with some kinds of link left out, through
 * the report's own clusterPairs: which links join records into the largest
 * clusters. Clusters are connected components, so a chain of weak `possible`
 * links (another city, a homophone, a name some percent similar) joins records
 * no single link would call the same.
 */
import { clusterPairs } from '../../packages/server/src/modules/dedupe/report.ts';
import type { ReportPair } from './report-steps.ts';

const fuzzy = (p: ReportPair) => /^name \d+% similar$/.test(p.reason);
const similarity = (p: ReportPair) => Number(/^name (\d+)%/.exec(p.reason)?.[1] ?? 0);

const variants: readonly { label: string; keep: (p: ReportPair) => boolean }[] = [
  { label: 'as run', keep: () => true },
  { label: 'only exact and likely links', keep: (p) => p.level >= 2 },
  { label: 'without trigram-scored name links', keep: (p) => !fuzzy(p) },
  { label: 'trigram-scored links only from 50%', keep: (p) => !fuzzy(p) || similarity(p) >= 50 },
  { label: 'without homophone links', keep: (p) => p.reason !== 'name sounds the same' },
  {
    label: 'without other-city and branch links',
    keep: (p) =>
      p.reason !== 'same name, different city' && p.reason !== 'branch office of the same company',
  },
];

export function whatIf(pairs: readonly ReportPair[]): string[] {
  const out = [
    `clusters of the same ${pairs.length.toLocaleString('en')} pairs with links left out:`,
    `  ${''.padEnd(38)}${['pairs', 'clusters', 'records', 'size >20', 'largest'].map((h) => h.padStart(10)).join('')}`,
  ];
  for (const v of variants) {
    const kept = pairs.filter(v.keep);
    const clusters = clusterPairs(kept);
    const sizes = clusters.map((c) => c.members.length);
    const cells = [
      kept.length,
      clusters.length,
      sizes.reduce((a, b) => a + b, 0),
      sizes.filter((x) => x > 20).length,
      sizes.reduce((a, b) => Math.max(a, b), 0),
    ];
    out.push(
      `  ${v.label.padEnd(38)}${cells.map((c) => c.toLocaleString('en').padStart(10)).join('')}`,
    );
  }
  return out;
}
