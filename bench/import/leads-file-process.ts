/**
 * The child process that writes the `import` bench's lead file (leads-file.ts):
 * started by generateLeadsFile, it asks its parent which candidate numbers the
 * database already has and reports the summary when the file is complete.
 */
import { writeLeadsFile, type FromChild, type ToChild } from './leads-file.ts';

const send = (m: FromChild) =>
  new Promise<void>((resolve, reject) => {
    process.send?.(m, undefined, {}, (err) => {
      if (err) reject(err);
      else resolve();
    });
  });

let answer: ((e164: string[]) => void) | null = null;

process.on('message', (m: ToChild) => {
  if (m.type === 'taken') {
    answer?.(m.e164);
    answer = null;
    return;
  }
  writeLeadsFile(m.request, async (e164) => {
    const reply = new Promise<string[]>((resolve) => {
      answer = resolve;
    });
    await send({ type: 'check', e164 });
    return reply;
  })
    .then((summary) => send({ type: 'done', summary }))
    .catch((err: unknown) =>
      send({
        type: 'failed',
        message: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
    )
    .finally(() => {
      process.disconnect();
    });
});
