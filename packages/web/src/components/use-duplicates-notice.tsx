import { useCallback } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DuplicateMatch } from '@tide/contract';
import { savedDuplicates } from '../lib/duplicates.ts';
import { DuplicateMatchList } from './duplicate-matches.tsx';

/** Long enough to read the matches; the notice can be closed sooner. */
const NOTICE_SECONDS = 12;

/**
 * After a save the tenant's `warn` rule let through: a notice listing the records it
 * may duplicate. It does not block anything; the record is already saved.
 */
export function useDuplicatesNotice(): (
  saved: { duplicates?: DuplicateMatch[] },
  testId: string,
) => void {
  const { t } = useTranslation();
  const { notification } = App.useApp();
  return useCallback(
    (saved, testId) => {
      const matches = savedDuplicates(saved);
      if (matches.length === 0) return;
      notification.warning({
        key: testId,
        placement: 'bottomRight',
        duration: NOTICE_SECONDS,
        title: t('dedupe.savedWithDuplicates', { count: matches.length }),
        description: <DuplicateMatchList matches={matches} testId={testId} />,
      });
    },
    [notification, t],
  );
}
