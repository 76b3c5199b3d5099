// Sums the vitest JSON reports of a CI run into one line: "N passed, N failed".
// A step that failed without a report (type check, lint) counts as one failure.
import fs from 'node:fs';
import path from 'node:path';

const [dir, failedStepsArg] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
let reportsWithFailures = 0;

function walk(d) {
  if (!fs.existsSync(d)) return [];
  return fs
    .readdirSync(d, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
}

for (const file of walk(dir).filter((f) => f.endsWith('.json'))) {
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += r.numPassedTests ?? 0;
  // A file that failed to load has no failed test but a failed suite.
  const f = (r.numFailedTests ?? 0) || (r.numFailedTestSuites ?? 0);
  failed += f;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  if (f > 0 || r.success === false) reportsWithFailures++;
  console.log(
    `${path.relative(dir, file)}: ${r.numPassedTests} passed, ${f} failed, ${r.numPendingTests ?? 0} skipped`,
  );
}
const failedSteps = Number(failedStepsArg ?? 0);
// Steps that failed but left no failing report (type check, lint, a crash) count once each.
failed += Math.max(0, failedSteps - reportsWithFailures);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failedSteps > 0 ? 1 : 0);
