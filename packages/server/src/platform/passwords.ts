import crypto from 'node:crypto';
import { hash, verify, type Options } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { commonChinesePasswords } from './common-passwords-zh.ts';
import type { WeakPasswordReason } from '@tide/contract';
import { AppError } from './errors.ts';

/** Argon2id (the library's default algorithm) with OWASP's minimum cost. */
const options: Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so timing tells nothing. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
  return dummyHash;
}

export function randomSecret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

/** A readable random password for first start and demo users. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(16);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** zxcvbn's score from 0 (guessed at once) to 4; 3 resists an offline attack on a slow hash. */
export const MIN_PASSWORD_SCORE = 3;
const MIN_PASSWORD_LENGTH = 8;

let estimator: ZxcvbnFactory | undefined;
function strengthEstimator(): ZxcvbnFactory {
  // Built on first use: loading the dictionaries takes a moment the server's start need not pay.
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...dictionary, chinese: commonChinesePasswords() },
    graphs: adjacencyGraphs,
  });
  return estimator;
}

/** Who the password is for: a password made of these is the first an attacker tries. */
export interface PasswordOwner {
  username?: string | null | undefined;
  phone?: string | null | undefined;
}

const digitsOf = (s: string) => s.replace(/\D/g, '');

/** The reason a password is too weak, or null when it will do. */
export function weakPasswordReason(
  password: string,
  owner: PasswordOwner = {},
): WeakPasswordReason | null {
  if (password.trim() === '') return 'whitespace';
  const lower = password.toLowerCase();
  // The username dressed with digits or symbols ("alice", "Alice2026!") is the first guess.
  const username = owner.username?.trim().toLowerCase();
  if (username && lower.includes(username) && !/\p{L}/u.test(lower.replaceAll(username, '')))
    return 'username';
  if (password.length < MIN_PASSWORD_LENGTH) return 'tooShort';
  // The national number, without China's +86, as people type it.
  const phone = owner.phone ? digitsOf(owner.phone).replace(/^86(?=1\d{10}$)/, '') : '';
  if (phone.length >= 7 && digitsOf(password).includes(phone)) return 'phone';
  const inputs = [owner.username, owner.phone].filter((v): v is string => !!v);
  const result = strengthEstimator().check(password, inputs);
  if (result.score < MIN_PASSWORD_SCORE) {
    const dictionaryHit = result.sequence.some(
      (m) => m.pattern === 'dictionary' && m.token.length >= password.length - 3,
    );
    return dictionaryHit ? 'common' : 'weak';
  }
  // QQ numbers and phone numbers (5-11 digits) are among the first guesses tried in China.
  if (/^\d+$/.test(password) && password.length <= 11) return 'digitsOnly';
  return null;
}

/** Refuses a weak password with 400, naming the field and the machine reason. */
export function assertStrongPassword(
  password: string,
  owner: PasswordOwner = {},
  path = 'password',
): void {
  const reason = weakPasswordReason(password, owner);
  if (!reason) return;
  throw new AppError('VALIDATION_FAILED', weakPasswordMessages[reason], {
    path,
    reason: `password.${reason}`,
  });
}

const weakPasswordMessages: Record<WeakPasswordReason, string> = {
  tooShort: `The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters`,
  whitespace: 'The password cannot be only spaces',
  username: 'The password cannot contain the username',
  phone: "The password cannot contain the user's phone number",
  digitsOnly: 'A password of 11 digits or fewer is guessed at once (QQ and phone numbers)',
  common: 'This password is one of the most common; choose a less predictable one',
  weak: 'The password is too easy to guess; make it longer or less predictable',
};
