import { fileURLToPath } from 'node:url';

/** The repository root, whichever directory the tests are started from. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
