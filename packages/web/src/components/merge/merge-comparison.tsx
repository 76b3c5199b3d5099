import { useState, type ReactNode } from 'react';
import { SwapOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Radio, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export type MergeSide = 'survivor' | 'other';

function isBlank(value: string | null): boolean {
  return value === null || value.trim() === '';
}

interface MergeRow<F extends string> {
  field: F;
  differs: boolean;
}

export interface MergeComparisonProps<R extends { id: string }, F extends string> {
  survivor: R;
  other: R;
  /** The fields the API lets the survivor take from the other record, in order. */
  fields: readonly F[];
  fieldLabel: (field: F) => string;
  /** The stored value the two records are compared by; blank counts as none. */
  valueOf: (record: R, field: F) => string | null;
  /** What the user reads for a value (a translated kind, say); by default the value. */
  display?: (record: R, field: F) => string;
  /** The record's name (a link, its owner) above its column; the side's label is added. */
  heading: (record: R, side: MergeSide) => ReactNode;
  onSwap: () => void;
  pending: boolean;
  submitLabel: string;
  confirmTitle: string;
  confirmContent: string;
  /** Merges, taking these fields from the other record; settles when it is done. */
  onMerge: (takeFromOther: F[]) => Promise<unknown>;
  /** Inside a dialog the comparison goes without its own card. */
  framed?: boolean;
}

/**
 * Two records side by side, one row per mergeable field; where they differ, a radio on
 * each side chooses the value the survivor keeps. By default the survivor keeps its own
 * value unless it has none and the other has one.
 */
export function MergeComparison<R extends { id: string }, F extends string>({
  survivor,
  other,
  fields,
  fieldLabel,
  valueOf,
  display,
  heading,
  onSwap,
  pending,
  submitLabel,
  confirmTitle,
  confirmContent,
  onMerge,
  framed = true,
}: MergeComparisonProps<R, F>) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const [picked, setPicked] = useState<Partial<Record<F, MergeSide>>>({});

  const rows: MergeRow<F>[] = fields.map((field) => ({
    field,
    differs: (valueOf(survivor, field) ?? '') !== (valueOf(other, field) ?? ''),
  }));
  const defaultSide = (field: F): MergeSide =>
    isBlank(valueOf(survivor, field)) && !isBlank(valueOf(other, field)) ? 'other' : 'survivor';
  const sideOf = (field: F): MergeSide => picked[field] ?? defaultSide(field);
  const takeFromOther = rows
    .filter((r) => r.differs && sideOf(r.field) === 'other')
    .map((r) => r.field);
  const differing = rows.filter((r) => r.differs).length;

  const shown = (record: R, field: F): string => {
    if (display) return display(record, field);
    const value = valueOf(record, field);
    return value === null || isBlank(value) ? '—' : value;
  };

  const cell = (row: MergeRow<F>, side: MergeSide): ReactNode => {
    const value = shown(side === 'survivor' ? survivor : other, row.field);
    if (!row.differs) return <Typography.Text type="secondary">{value}</Typography.Text>;
    return (
      <span data-testid={`merge-choice-${row.field}-${side}`}>
        <Radio
          checked={sideOf(row.field) === side}
          onChange={() => {
            setPicked((prev) => ({ ...prev, [row.field]: side }));
          }}
        >
          {value}
        </Radio>
      </span>
    );
  };

  const confirm = () => {
    modal.confirm({
      title: confirmTitle,
      content: confirmContent,
      okText: submitLabel,
      okButtonProps: { danger: true, 'data-testid': 'merge-confirm' },
      cancelText: t('common.cancel'),
      onOk: () => onMerge(takeFromOther),
    });
  };

  const columnTitle = (record: R, side: MergeSide) => (
    <Flex vertical gap={2}>
      <Typography.Text type="secondary">
        {side === 'survivor' ? t('merge.survivor') : t('merge.other')}
      </Typography.Text>
      {heading(record, side)}
    </Flex>
  );

  const body = (
    <>
      <Table<MergeRow<F>>
        rowKey="field"
        size="small"
        pagination={false}
        dataSource={rows}
        title={() => (
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Text data-testid="merge-differing">
              {differing > 0 ? t('merge.differing', { count: differing }) : t('merge.noDifference')}
            </Typography.Text>
            <Button icon={<SwapOutlined />} onClick={onSwap} data-testid="merge-swap">
              {t('merge.swap')}
            </Button>
          </Flex>
        )}
        columns={[
          {
            key: 'field',
            title: t('merge.field'),
            width: 160,
            render: (_, row) => fieldLabel(row.field),
          },
          {
            key: 'survivor',
            title: columnTitle(survivor, 'survivor'),
            render: (_, row) => cell(row, 'survivor'),
          },
          {
            key: 'other',
            title: columnTitle(other, 'other'),
            render: (_, row) => cell(row, 'other'),
          },
        ]}
      />
      <Flex justify="flex-end" style={{ marginTop: 16 }}>
        <Button
          type="primary"
          danger
          loading={pending}
          onClick={confirm}
          data-testid="merge-submit"
        >
          {submitLabel}
        </Button>
      </Flex>
    </>
  );
  return framed ? (
    <Card data-testid="merge-comparison">{body}</Card>
  ) : (
    <div data-testid="merge-comparison">{body}</div>
  );
}
