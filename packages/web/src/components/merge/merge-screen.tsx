import type { ReactNode } from 'react';
import { Button, Card, Flex, Form, Typography } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { DuplicateMatch } from '@tide/contract';
import { DuplicateMatches } from '../duplicate-matches.tsx';
import { ErrorAlert } from '../error-alert.tsx';
import { Loading } from '../loading.tsx';
import { PageHeader } from '../page-header.tsx';

interface MergeSuggestionsProps {
  /** The duplicate check of the survivor, the survivor itself left out. */
  check: Pick<UseQueryResult<DuplicateMatch[]>, 'isError' | 'error' | 'isFetching'>;
  matches: readonly DuplicateMatch[];
  title: string;
  onChoose: (id: string) => void;
}

/** Records the survivor may be the same as: the quickest way to the one to merge. */
export function MergeSuggestions({ check, matches, title, onChoose }: MergeSuggestionsProps) {
  const { t } = useTranslation();
  if (check.isError) return <ErrorAlert error={check.error} />;
  if (check.isFetching && matches.length === 0) return <Loading height={48} />;
  return (
    <DuplicateMatches
      matches={matches}
      title={title}
      testId="merge-suggestions"
      renderAction={(m) => (
        <Button
          size="small"
          data-testid={`merge-suggestion-${m.id}`}
          onClick={() => {
            onChoose(m.id);
          }}
        >
          {t('merge.mergeThis')}
        </Button>
      )}
    />
  );
}

interface MergeScreenProps<R> {
  title: string;
  /** A link back to the survivor. */
  back: ReactNode;
  intro: string;
  survivor: UseQueryResult<R>;
  otherId: string | undefined;
  other: UseQueryResult<R>;
  pickLabel: string;
  /** Chooses the other record; drawn once the survivor is known. */
  picker: (survivor: R, other: R | undefined) => ReactNode;
  pickFirst: string;
  suggestions: (survivor: R) => ReactNode;
  comparison: (survivor: R, other: R) => ReactNode;
}

/**
 * The page of a merge: the survivor in the path, the other record chosen with a picker
 * or from the survivor's possible duplicates, then both side by side.
 */
export function MergeScreen<R>({
  title,
  back,
  intro,
  survivor,
  otherId,
  other,
  pickLabel,
  picker,
  pickFirst,
  suggestions,
  comparison,
}: MergeScreenProps<R>) {
  const header = <PageHeader title={title} extra={back} />;
  if (survivor.isPending) return <Loading />;
  if (survivor.isError)
    return (
      <>
        {header}
        <ErrorAlert
          error={survivor.error}
          onRetry={() => void survivor.refetch()}
          testId="merge-error"
        />
      </>
    );

  const otherData = otherId === undefined ? undefined : other.data;
  return (
    <>
      {header}
      <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>
      <Card style={{ marginBottom: 16 }}>
        <Form layout="vertical">
          <Form.Item label={pickLabel} style={{ marginBottom: 0 }}>
            {picker(survivor.data, otherData)}
          </Form.Item>
        </Form>
      </Card>
      {otherId === undefined ? (
        <Flex vertical gap={12}>
          <Typography.Text>{pickFirst}</Typography.Text>
          {suggestions(survivor.data)}
        </Flex>
      ) : other.isPending ? (
        <Loading />
      ) : other.isError ? (
        <ErrorAlert
          error={other.error}
          onRetry={() => void other.refetch()}
          testId="merge-other-error"
        />
      ) : (
        comparison(survivor.data, other.data)
      )}
    </>
  );
}
