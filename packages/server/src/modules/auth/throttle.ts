import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db, type DbOrTx } from '../../platform/db.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * Progressive delays instead of a hard lockout (OWASP authentication guidance): the first
 * attempts are free, then each further attempt must wait a delay that doubles up to a cap.
 * A correct password after the delay signs in, so guessing a user's password cannot lock
 * the real user out for long. An address gets more free attempts than a user, because one
 * office behind a NAT shares it.
 */
export const loginThrottle = {
  user: { freeAttempts: 5, baseDelaySeconds: 30, maxDelaySeconds: 900 },
  address: { freeAttempts: 30, baseDelaySeconds: 30, maxDelaySeconds: 900 },
  /** Counts start over after this long without an attempt. */
  forgetAfterMinutes: 60,
} as const;

type Scope = 'user' | 'address';

export interface ThrottleKeys {
  user: string;
  address: string;
}

export function throttleKeys(
  tenantId: string | null,
  username: string,
  address: string,
): ThrottleKeys {
  return {
    user: `user:${tenantId ?? '-'}:${username.toLowerCase()}`,
    address: `ip:${address}`,
  };
}

/**
 * Counts one attempt for `key` unless it must still wait; answers the attempt's number, or
 * null while the key waits. One upsert: its row lock makes parallel attempts take numbers
 * one after the other, and the attempt that reaches the threshold arms the delay before
 * the next one reads the row, so at most `freeAttempts` are ever let through at once —
 * on one instance or many.
 */
async function countAttempt(tx: DbOrTx, key: string, scope: Scope): Promise<number | null> {
  const limits = loginThrottle[scope];
  const fresh = sql`t.last_attempt_at < now() - make_interval(mins => ${loginThrottle.forgetAfterMinutes})`;
  const count = sql`CASE WHEN ${fresh} THEN 1 ELSE t.failures + 1 END`;
  const delayAt = (n: SQL) =>
    sql`CASE WHEN ${n} >= ${limits.freeAttempts} THEN now() + make_interval(secs => least(${limits.maxDelaySeconds}, ${limits.baseDelaySeconds} * power(2, ${n} - ${limits.freeAttempts}))) END`;
  const [row] = rowsOf<{ failures: number }>(
    await tx.execute(sql`
      INSERT INTO login_throttles AS t (key, failures, blocked_until, last_attempt_at)
      VALUES (${key}, 1, ${delayAt(sql`1`)}, now())
      ON CONFLICT (key) DO UPDATE
         SET failures = ${count}, blocked_until = ${delayAt(count)}, last_attempt_at = now()
       WHERE t.blocked_until IS NULL OR t.blocked_until <= now()
      RETURNING failures`),
  );
  return row ? row.failures : null;
}

/**
 * Rows nobody tried for longer than the forget window count for nothing (their delay, at
 * most the cap, is long over): each attempt removes a few, so the table stays the size of
 * recent traffic without a job. Rows another attempt holds are skipped, not waited for.
 */
async function pruneForgotten(db: Db): Promise<void> {
  await db.execute(sql`
    DELETE FROM login_throttles WHERE key IN (
      SELECT key FROM login_throttles
       WHERE last_attempt_at < now() - make_interval(mins => ${loginThrottle.forgetAfterMinutes})
       ORDER BY last_attempt_at LIMIT 50
         FOR UPDATE SKIP LOCKED)`);
}

async function secondsToWait(db: DbOrTx, key: string): Promise<number> {
  const [row] = rowsOf<{ s: number }>(
    await db.execute(sql`
      SELECT greatest(1, ceil(extract(epoch FROM blocked_until - now())))::int AS s
        FROM login_throttles WHERE key = ${key}`),
  );
  return row?.s ?? 1;
}

/**
 * Takes a turn for a sign-in attempt on both the user and the address, before the password
 * is checked: both or neither (a refused attempt on one does not use up the other's turns).
 * Refuses with 429 and the seconds to wait while either must wait.
 */
export async function takeLoginTurn(db: Db, keys: ThrottleKeys): Promise<void> {
  await pruneForgotten(db);
  await db.transaction(async (tx) => {
    // Always the user's row first, then the address's: one lock order, so no deadlock.
    for (const scope of ['user', 'address'] as const) {
      if ((await countAttempt(tx, keys[scope], scope)) !== null) continue;
      const retryAfterSeconds = await secondsToWait(tx, keys[scope]);
      throw new AppError(
        'RATE_LIMITED',
        scope === 'user'
          ? `Too many failed sign-ins for this user; try again in ${retryAfterSeconds} seconds`
          : `Too many failed sign-ins from this address; try again in ${retryAfterSeconds} seconds`,
        { scope, retryAfterSeconds },
      );
    }
  });
}

/**
 * A correct password: the user's count starts over, and the address gives back the turn
 * this attempt took (other failures from the address still count, so one good account
 * cannot wash an address's guessing clean).
 */
export async function loginSucceeded(db: Db, keys: ThrottleKeys): Promise<void> {
  await db.execute(sql`DELETE FROM login_throttles WHERE key = ${keys.user}`);
  await db.execute(sql`
    UPDATE login_throttles
       SET failures = greatest(failures - 1, 0),
           blocked_until = CASE WHEN failures - 1 >= ${loginThrottle.address.freeAttempts}
                                THEN blocked_until END
     WHERE key = ${keys.address}`);
}
