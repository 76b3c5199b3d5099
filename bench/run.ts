/**
 * `npm run bench -- <name>`: runs one benchmark of bench/ and prints its figures.
 * Benchmarks measure; they never assert timings.
 */
const benches: Record<string, () => Promise<unknown>> = {
  startup: () => import('./startup.ts'),
  normalize: () => import('./normalize.ts'),
  dedupe: () => import('./dedupe.ts'),
  'dedupe-scale': () => import('./dedupe-scale.ts'),
  'dedupe-report': () => import('./dedupe-report.ts'),
  import: () => import('./import.ts'),
  'import-xlsx': () => import('./import-xlsx.ts'),
  pool: () => import('./pool.ts'),
  audit: () => import('./audit.ts'),
};

const name = process.argv[2];
const run = name ? benches[name] : undefined;
if (!run) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}>\n`);
  process.exit(2);
}
await run();
