import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { weakPasswordReasons, type WeakPasswordReason } from '@tide/contract';
import { isApiError } from './api-client.ts';
import { duplicateRefusalMatches } from './duplicates.ts';

export interface FieldProblem {
  /** Dotted path of the offending field, when the server names one. */
  field?: string;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pathToString(path: unknown): string | undefined {
  if (typeof path === 'string') return path === '' ? undefined : path;
  if (Array.isArray(path)) {
    const parts = path.filter(
      (p): p is string | number => typeof p === 'string' || typeof p === 'number',
    );
    return parts.length > 0 ? parts.join('.') : undefined;
  }
  return undefined;
}

function fromIssue(issue: unknown): FieldProblem | undefined {
  if (typeof issue === 'string') return { message: issue };
  if (!isRecord(issue) || typeof issue.message !== 'string') return undefined;
  const field = pathToString(issue.path ?? issue.field);
  return field === undefined ? { message: issue.message } : { field, message: issue.message };
}

/**
 * Validation details in the shapes the server answers with: a list of schema issues
 * (`[{ path, message }]`), `{ issues: [...] }`, zod's flattened `{ fieldErrors }`, or a
 * business refusal naming one field (`{ path: 'username' }`, the message being the
 * error's own). Other details (counts, ids) are context, not field problems.
 */
export function fieldProblems(details: unknown, message: string): FieldProblem[] {
  if (Array.isArray(details)) {
    return details.map(fromIssue).filter((p): p is FieldProblem => p !== undefined);
  }
  if (!isRecord(details)) return [];
  if (Array.isArray(details.issues)) return fieldProblems(details.issues, message);
  if (isRecord(details.fieldErrors)) {
    const problems: FieldProblem[] = [];
    for (const [field, value] of Object.entries(details.fieldErrors)) {
      for (const m of Array.isArray(value) ? value : [value]) {
        if (typeof m === 'string') problems.push({ field, message: m });
      }
    }
    return problems;
  }
  const field = pathToString(details.path ?? details.field);
  return field === undefined ? [] : [{ field, message }];
}

function isWeakPasswordReason(value: string): value is WeakPasswordReason {
  return (weakPasswordReasons as readonly string[]).includes(value);
}

/**
 * The reader's-language text of a refusal the server explains by machine-readable details
 * (`reason`, e.g. `password.common`, or `retryAfterSeconds`), or undefined when it gives
 * none we know.
 */
function reasonText(t: TFunction, details: unknown): string | undefined {
  if (!isRecord(details)) return undefined;
  if (typeof details.retryAfterSeconds === 'number')
    return t('errors.retryAfter', { seconds: Math.ceil(details.retryAfterSeconds) });
  if (typeof details.reason !== 'string') return undefined;
  const [domain, reason] = details.reason.split('.');
  if (domain === 'password' && reason !== undefined && isWeakPasswordReason(reason))
    return t(`errors.passwordReasons.${reason}`);
  return undefined;
}

export interface ErrorText {
  /** Translated from the error code. */
  title: string;
  /** The server's own explanation, when it adds something (it may name a colleague or team). */
  description?: string;
  problems: FieldProblem[];
}

/** Lines worth showing under the title: the server's message, then per-field problems it did not already say. */
export function errorDetailLines(text: ErrorText): string[] {
  const lines = text.description ? [text.description] : [];
  for (const p of text.problems) {
    if (p.message === text.description) continue;
    lines.push(p.field ? `${p.field}: ${p.message}` : p.message);
  }
  return lines;
}

/** Turns any thrown value into translated text for the user. */
export function useErrorText(): (err: unknown) => ErrorText {
  const { t } = useTranslation();
  return useCallback(
    (err: unknown): ErrorText => {
      if (isApiError(err)) {
        if (err.status === 0) return { title: t('errors.network'), problems: [] };
        // A create refused as a duplicate is known by the matches it lists, so it reads
        // the same whether or not this build's contract lists the DUPLICATE code.
        const code = duplicateRefusalMatches(err) ? 'DUPLICATE' : err.code;
        const title = t(`errors.${code}`, { defaultValue: err.message });
        // A known reason reads in the reader's language; the server's English is the fallback.
        const message = reasonText(t, err.details) ?? err.message;
        const description = message && message !== title ? message : undefined;
        return {
          title,
          ...(description === undefined ? {} : { description }),
          problems: fieldProblems(err.details, message),
        };
      }
      const message = err instanceof Error ? err.message : String(err);
      return { title: t('errors.INTERNAL'), description: message, problems: [] };
    },
    [t],
  );
}

/** One line for a toast: the translated code, then what the server said. */
export function errorLine(text: ErrorText): string {
  const extra = errorDetailLines(text);
  return extra.length > 0 ? `${text.title} (${extra.join('; ')})` : text.title;
}

/**
 * Puts the server's refusals under the matching form fields, so a rule the browser does
 * not know (a taken username, a wrong current password) shows where the user is looking.
 * Answers whether any field took a message.
 */
export function applyFieldErrors(
  form: FormInstance,
  text: ErrorText,
  fieldNames: readonly string[],
): boolean {
  const byField = new Map<string, string[]>();
  for (const problem of text.problems) {
    const name = problem.field?.split('.')[0];
    if (name === undefined || !fieldNames.includes(name)) continue;
    byField.set(name, [...(byField.get(name) ?? []), `${text.title}: ${problem.message}`]);
  }
  if (byField.size === 0) return false;
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return true;
}
