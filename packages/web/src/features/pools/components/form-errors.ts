import type { FormInstance } from 'antd';
import type { ErrorText } from '../../../lib/errors.ts';

/**
 * Puts the server's per-field problems under the form's fields, nested ones included:
 * a refusal of `rules.1.warnDays` lands under the second rule's warning. Answers whether
 * every problem found a field the form shows; when not, the caller shows the whole error
 * rather than a part of it.
 */
export function applyNestedFieldErrors(form: FormInstance, text: ErrorText): boolean {
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const problem of text.problems) {
    if (problem.field === undefined || !registered.has(problem.field)) return false;
    const name = problem.field
      .split('.')
      .map((part) => (/^[0-9]+$/.test(part) ? Number(part) : part));
    // A list (the rules as a whole) has no input of its own to show the message under.
    if (Array.isArray(form.getFieldValue(name))) return false;
    fields.push({ name, errors: [`${text.title}: ${problem.message}`] });
  }
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}
