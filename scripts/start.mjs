// `npm start`: builds the web UI when it is missing or older than its sources, then runs `tide serve`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'packages', 'web');
const builtIndex = path.join(web, 'dist', 'index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function needsBuild() {
  if (!fs.existsSync(builtIndex)) return true;
  const built = fs.statSync(builtIndex).mtimeMs;
  const sources = [path.join(web, 'src'), path.join(root, 'packages', 'contract', 'src')];
  const files = [path.join(web, 'index.html'), path.join(web, 'vite.config.ts')];
  return (
    sources.some((d) => newestMtime(d) > built) ||
    files.some((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs > built)
  );
}

if (needsBuild()) {
  console.log('Building the web UI…');
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: web,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The IPC channel lets the server notice when this process dies, even by SIGKILL, and stop
// rather than hold the embedded database's lock with no one to stop it.
const child = spawn(
  process.execPath,
  [path.join(root, 'packages', 'server', 'bin', 'tide.mjs'), 'serve', ...process.argv.slice(2)],
  {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  },
);
// A terminal's Ctrl-C reaches both processes; `kill <pid>` or a closed terminal only this one.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) =>
  process.exit(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 0)),
);
