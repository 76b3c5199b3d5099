import { useState } from 'react';
import { Alert, Button, Drawer, Flex, Input, InputNumber, Space, Tag, Typography } from 'antd';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OpportunityStage, PutStagesBody } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { usePutOpportunityStages } from '../api/opportunities.ts';

type Row = PutStagesBody['stages'][number];

/** A key for a new stage; the API wants lowercase letters, digits and underscores. */
function newKey(taken: readonly Row[]): string {
  for (let n = taken.length + 1; ; n++) {
    const key = `stage_${String(n)}`;
    if (!taken.some((r) => r.key === key)) return key;
  }
}

/**
 * The tenant's stages (admins): open stages in order, then the won and the lost stage,
 * which cannot be removed. Removing a stage some opportunity is in is refused (409).
 */
export function StageEditorDrawer({
  stages,
  onClose,
}: {
  stages: readonly OpportunityStage[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const save = usePutOpportunityStages();
  const initial = (outcome: OpportunityStage['outcome']) =>
    stages
      .filter((s) => s.outcome === outcome)
      .map(({ key, name, probability }) => ({ key, name, probability, outcome }));
  const [openRows, setOpenRows] = useState<Row[]>(() => initial('open'));
  const [closedRows, setClosedRows] = useState<Row[]>(() => [
    ...initial('won'),
    ...initial('lost'),
  ]);
  const [error, setError] = useState<unknown>(null);

  const all = [...openRows, ...closedRows];
  const invalid = all.some((r) => r.name.trim() === '') || openRows.length === 0;

  const patch = (list: 'open' | 'closed', index: number, change: Partial<Row>) => {
    const set = list === 'open' ? setOpenRows : setClosedRows;
    set((rows) => rows.map((r, i) => (i === index ? { ...r, ...change } : r)));
  };

  const moveRow = (index: number, by: -1 | 1) => {
    setOpenRows((rows) => {
      const next = [...rows];
      const [row] = next.splice(index, 1);
      if (row) next.splice(index + by, 0, row);
      return next;
    });
  };

  const submit = () => {
    setError(null);
    save.mutate(
      { stages: all.map((r) => ({ ...r, name: r.name.trim() })) },
      {
        onSuccess: () => {
          notify.success(t('opportunities.stages.saved'));
          onClose();
        },
        onError: setError,
      },
    );
  };

  const row = (r: Row, index: number, list: 'open' | 'closed') => (
    <Flex key={r.key} gap={8} align="center" data-testid={`stage-row-${r.key}`}>
      {list === 'closed' ? (
        <Tag color={r.outcome === 'won' ? 'success' : 'error'} style={{ width: 56 }}>
          {t(`opportunities.statuses.${r.outcome}`)}
        </Tag>
      ) : (
        <Space.Compact>
          <Button
            size="small"
            icon={<ArrowUpOutlined />}
            disabled={index === 0}
            aria-label={t('opportunities.stages.up')}
            onClick={() => {
              moveRow(index, -1);
            }}
          />
          <Button
            size="small"
            icon={<ArrowDownOutlined />}
            disabled={index === openRows.length - 1}
            aria-label={t('opportunities.stages.down')}
            onClick={() => {
              moveRow(index, 1);
            }}
          />
        </Space.Compact>
      )}
      <Input
        value={r.name}
        maxLength={30}
        status={r.name.trim() === '' ? 'error' : undefined}
        placeholder={t('opportunities.stages.name')}
        data-testid={`stage-name-${r.key}`}
        onChange={(e) => {
          patch(list, index, { name: e.target.value });
        }}
      />
      <InputNumber<number>
        value={r.probability}
        min={0}
        max={100}
        precision={0}
        suffix="%"
        style={{ width: 96 }}
        data-testid={`stage-probability-${r.key}`}
        onChange={(value) => {
          patch(list, index, { probability: value ?? 0 });
        }}
      />
      {list === 'open' ? (
        <Button
          danger
          type="text"
          icon={<DeleteOutlined />}
          disabled={openRows.length <= 1}
          aria-label={t('common.delete')}
          data-testid={`stage-remove-${r.key}`}
          onClick={() => {
            setOpenRows((rows) => rows.filter((_, i) => i !== index));
          }}
        />
      ) : (
        <span style={{ width: 32 }} />
      )}
    </Flex>
  );

  return (
    <Drawer
      open
      size={520}
      title={t('opportunities.stages.title')}
      onClose={onClose}
      data-testid="stage-editor"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            disabled={invalid}
            data-testid="stage-editor-save"
            onClick={submit}
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">
          {t('opportunities.stages.hint')}
        </Typography.Paragraph>
        {error ? (
          <>
            <ErrorAlert error={error} testId="stage-editor-error" />
            {isApiError(error) && error.status === 409 ? (
              <Alert type="info" showIcon title={t('opportunities.stages.inUseHint')} />
            ) : null}
          </>
        ) : null}
        <Typography.Text strong>{t('opportunities.stages.open')}</Typography.Text>
        {openRows.map((r, i) => row(r, i, 'open'))}
        <Button
          icon={<PlusOutlined />}
          data-testid="stage-add"
          disabled={all.length >= 20}
          onClick={() => {
            setOpenRows((rows) => [
              ...rows,
              { key: newKey(all), name: '', probability: 50, outcome: 'open' },
            ]);
          }}
        >
          {t('opportunities.stages.add')}
        </Button>
        <Typography.Text strong>{t('opportunities.stages.closed')}</Typography.Text>
        {closedRows.map((r, i) => row(r, i, 'closed'))}
      </Space>
    </Drawer>
  );
}
