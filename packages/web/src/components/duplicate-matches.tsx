import type { ReactNode } from 'react';
import { Alert, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DuplicateMatch, MatchLevel } from '@tide/contract';
import { duplicateReasonLabel, scorePercent } from '../lib/duplicates.ts';

const levelColors: Record<MatchLevel, string> = {
  exact: 'red',
  likely: 'orange',
  possible: 'blue',
};

export function MatchLevelTag({ level }: { level: MatchLevel }) {
  const { t } = useTranslation();
  return (
    <Tag color={levelColors[level]} data-testid="duplicate-level">
      {t(`dedupe.levels.${level}`)}
    </Tag>
  );
}

/** Where a match opens; a contact has no page of its own and opens on its customer's. */
function matchPath(match: DuplicateMatch): string | undefined {
  if (match.type === 'customer') return `/customers/${encodeURIComponent(match.id)}`;
  if (match.type === 'lead') return `/leads/${encodeURIComponent(match.id)}`;
  if ('customerId' in match && typeof match.customerId === 'string')
    return `/customers/${encodeURIComponent(match.customerId)}`;
  return undefined;
}

interface DuplicateMatchRowProps {
  match: DuplicateMatch;
  renderAction?: ((match: DuplicateMatch) => ReactNode) | undefined;
}

function DuplicateMatchRow({ match, renderAction }: DuplicateMatchRowProps) {
  const { t } = useTranslation();
  const path = match.visible ? matchPath(match) : undefined;
  return (
    <Flex vertical gap={2} data-testid={`duplicate-match-${match.id}`}>
      <Flex align="center" gap={8} wrap>
        <MatchLevelTag level={match.level} />
        {match.type === 'customer' ? null : <Tag>{t(`dedupe.types.${match.type}`)}</Tag>}
        {path === undefined ? (
          <Typography.Text strong data-testid="duplicate-name">
            {match.name}
          </Typography.Text>
        ) : (
          // A plain link opening a new tab: the list also shows in notices drawn outside
          // the router, and the form being filled in stays as it is.
          <Typography.Link href={path} target="_blank" data-testid="duplicate-link">
            {match.name}
          </Typography.Link>
        )}
        <Typography.Text type="secondary">
          {t('dedupe.owner', { name: match.ownerName ?? t('dedupe.noOwner') })}
        </Typography.Text>
        {match.visible ? (
          <Typography.Text type="secondary" data-testid="duplicate-score">
            {t('dedupe.score', { percent: scorePercent(match.score) })}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary" data-testid="duplicate-not-visible">
            {t('dedupe.notVisible')}
          </Typography.Text>
        )}
        {match.visible && renderAction ? renderAction(match) : null}
      </Flex>
      <Typography.Text type="secondary" data-testid="duplicate-reasons">
        {match.reasons.map((r) => duplicateReasonLabel(t, r)).join(t('dedupe.separator'))}
      </Typography.Text>
    </Flex>
  );
}

interface DuplicateMatchListProps {
  matches: readonly DuplicateMatch[];
  renderAction?: ((match: DuplicateMatch) => ReactNode) | undefined;
  testId?: string | undefined;
}

/** The matches one under the other, without a frame: for notices that have their own. */
export function DuplicateMatchList({ matches, renderAction, testId }: DuplicateMatchListProps) {
  return (
    <Flex vertical gap={8} data-testid={testId}>
      {matches.map((m) => (
        <DuplicateMatchRow key={`${m.type}-${m.id}`} match={m} renderAction={renderAction} />
      ))}
    </Flex>
  );
}

interface DuplicateMatchesProps {
  matches: readonly DuplicateMatch[];
  /** Said above the list, e.g. what will happen to the record being saved. */
  hint?: string;
  /** The alert's title; by default how many matches were found. */
  title?: string;
  /** An error (creation refused) instead of a warning. */
  refused?: boolean;
  /** Something to do with one match, e.g. merge it; only offered for records the user may see. */
  renderAction?: (match: DuplicateMatch) => ReactNode;
  testId?: string;
}

/**
 * Records that may be the same as the one being entered. A record the user may not see
 * shows only its name, owner and reasons, without a link (SPEC §1: it stays 404).
 */
export function DuplicateMatches({
  matches,
  hint,
  title,
  refused = false,
  renderAction,
  testId,
}: DuplicateMatchesProps) {
  const { t } = useTranslation();
  if (matches.length === 0) return null;
  const strongest = matches.some((m) => m.level !== 'possible') ? 'warning' : 'info';
  return (
    <Alert
      type={refused ? 'error' : strongest}
      showIcon
      data-testid={testId}
      title={title ?? t('dedupe.found', { count: matches.length })}
      description={
        <>
          {hint ? (
            <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="duplicate-hint">
              {hint}
            </Typography.Paragraph>
          ) : null}
          <DuplicateMatchList matches={matches} renderAction={renderAction} />
        </>
      }
    />
  );
}

interface DuplicateWarningProps {
  /** What the duplicate check finds while the user types. */
  matches: readonly DuplicateMatch[];
  /** The matches of a save the server refused as a duplicate, once it has. */
  refused: readonly DuplicateMatch[] | null;
  /** An edit was refused rather than a create. */
  editing?: boolean;
  testId: string;
}

/**
 * The duplicate warning of a create or edit form. Typing only warns (saving stays
 * possible); when the tenant's rules made the server refuse the save, that refusal and
 * its matches show instead.
 */
export function DuplicateWarning({
  matches,
  refused,
  editing = false,
  testId,
}: DuplicateWarningProps) {
  const { t } = useTranslation();
  const refusedTitle = editing ? t('dedupe.refusedUpdateTitle') : t('dedupe.refusedTitle');
  if (refused === null)
    return <DuplicateMatches matches={matches} hint={t('dedupe.saveAnyway')} testId={testId} />;
  if (refused.length === 0)
    return <Alert type="error" showIcon title={refusedTitle} data-testid={`${testId}-refused`} />;
  return (
    <DuplicateMatches
      matches={refused}
      refused
      title={refusedTitle}
      hint={t('dedupe.refusedHint')}
      testId={`${testId}-refused`}
    />
  );
}
