import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorDetailLines, useErrorText } from '../lib/errors.ts';

interface ErrorAlertProps {
  error: unknown;
  onRetry?: () => void;
  testId?: string;
}

/** A failed call, translated from its error code, with the server's details under it. */
export function ErrorAlert({ error, onRetry, testId }: ErrorAlertProps) {
  const { t } = useTranslation();
  const text = useErrorText()(error);
  const lines = errorDetailLines(text);
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      title={text.title}
      description={
        lines.length > 0 ? (
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : undefined
      }
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
