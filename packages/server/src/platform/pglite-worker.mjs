// @ts-check
/**
 * Hosts the embedded PostgreSQL (PGlite) on a worker thread and serves it on a
 * Unix socket with the PostgreSQL wire protocol. A PGlite query runs on the
 * thread that calls it, so keeping it here leaves the HTTP server's event loop
 * free while a long query runs; the main thread talks to it with `pg` exactly
 * as it talks to a real server.
 *
 * Plain JavaScript on purpose: a worker thread does not inherit the TypeScript
 * loader of the test runner.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir, socketPath } = /** @type {{ dataDir: string, socketPath: string }} */ (workerData);
if (!parentPort) throw new Error('pglite-worker must run as a worker thread');
const port = parentPort;

try {
  const db = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  // One connection at a time: PGlite is one session, and interleaved
  // connections are unsafe (see STACK.md); the pool in front uses max 1 too.
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 1 });
  await server.start();
  port.on('message', (msg) => {
    if (msg === 'close') {
      void (async () => {
        await server.stop();
        await db.close();
        port.postMessage({ type: 'closed' });
      })();
    }
  });
  port.postMessage({ type: 'ready' });
} catch (err) {
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
}
