import { useCallback, useMemo } from 'react';
import { App, type FormInstance } from 'antd';
import { applyFieldErrors, errorLine, useErrorText } from '../lib/errors.ts';

/** Toasts in the current theme and language (antd's static `message` ignores both). */
export function useNotify() {
  const { message } = App.useApp();
  const errorText = useErrorText();
  const success = useCallback(
    (text: string) => {
      void message.success(text);
    },
    [message],
  );
  const error = useCallback(
    (err: unknown) => {
      void message.error(errorLine(errorText(err)), 6);
    },
    [message, errorText],
  );
  return useMemo(() => ({ success, error }), [success, error]);
}

/**
 * Error handler for a form's mutation: problems the server ties to one of the form's
 * fields go under that field; anything else becomes a toast.
 */
export function useFormErrorHandler(
  form: FormInstance,
  fieldNames: readonly string[],
): (err: unknown) => void {
  const notify = useNotify();
  const errorText = useErrorText();
  return useCallback(
    (err: unknown) => {
      if (!applyFieldErrors(form, errorText(err), fieldNames)) notify.error(err);
    },
    [form, fieldNames, errorText, notify],
  );
}
