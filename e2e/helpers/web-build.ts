import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths.ts';

const webDir = path.join(repoRoot, 'packages/web');
const builtIndex = path.join(webDir, 'dist/index.html');
const sources = [
  path.join(webDir, 'src'),
  path.join(webDir, 'public'),
  path.join(webDir, 'index.html'),
  path.join(webDir, 'vite.config.ts'),
  path.join(repoRoot, 'packages/contract/src'),
];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target))
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/**
 * The server serves the built web bundle, so the browser tests need one that matches
 * the sources; rebuild only when a source is newer than the last build.
 */
export function ensureWebBuild(): void {
  const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
  const changedAt = Math.max(...sources.map(newestMtime));
  if (builtAt >= changedAt) return;
  execFileSync('npm', ['run', 'build', '-w', '@tide/web'], { cwd: repoRoot, stdio: 'pipe' });
}
