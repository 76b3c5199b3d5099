import { Alert, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DuplicateMatch, MatchLevel } from '@tide/contract';
import { duplicateReasonLabel } from '../lib/duplicates.ts';

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

function matchPath(match: DuplicateMatch): string {
  const base = match.type === 'customer' ? '/customers' : '/leads';
  return `${base}/${encodeURIComponent(match.id)}`;
}

interface DuplicateMatchesProps {
  matches: readonly DuplicateMatch[];
  /** Said above the list, e.g. what will happen to the record being saved. */
  hint?: string;
  testId?: string;
}

/**
 * Records that may be the same as the one being entered. A record the user may not see
 * shows only its name, owner and reasons, without a link (SPEC §1: it stays 404).
 */
export function DuplicateMatches({ matches, hint, testId }: DuplicateMatchesProps) {
  const { t } = useTranslation();
  if (matches.length === 0) return null;
  const strongest = matches.some((m) => m.level !== 'possible') ? 'warning' : 'info';
  return (
    <Alert
      type={strongest}
      showIcon
      data-testid={testId}
      title={t('dedupe.found', { count: matches.length })}
      description={
        <>
          {hint ? (
            <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="duplicate-hint">
              {hint}
            </Typography.Paragraph>
          ) : null}
          <Flex vertical gap={8}>
            {matches.map((m) => (
              <Flex
                key={`${m.type}-${m.id}`}
                vertical
                gap={2}
                data-testid={`duplicate-match-${m.id}`}
              >
                <Flex align="center" gap={8} wrap>
                  <MatchLevelTag level={m.level} />
                  {m.visible ? (
                    <Link to={matchPath(m)} target="_blank" data-testid="duplicate-link">
                      {m.name}
                    </Link>
                  ) : (
                    <Typography.Text strong>{m.name}</Typography.Text>
                  )}
                  <Typography.Text type="secondary">
                    {t('dedupe.owner', { name: m.ownerName ?? t('dedupe.noOwner') })}
                  </Typography.Text>
                  {m.visible ? null : (
                    <Typography.Text type="secondary">{t('dedupe.notVisible')}</Typography.Text>
                  )}
                </Flex>
                <Typography.Text type="secondary" data-testid="duplicate-reasons">
                  {m.reasons.map((r) => duplicateReasonLabel(t, r)).join(t('dedupe.separator'))}
                </Typography.Text>
              </Flex>
            ))}
          </Flex>
        </>
      }
    />
  );
}
