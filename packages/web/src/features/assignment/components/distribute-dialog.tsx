import { useState } from 'react';
import { Descriptions, Form, Modal, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AssignmentStrategy, DistributeResult, PoolEntity } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { applyFieldErrors, useErrorText } from '../../../lib/errors.ts';
import { useDistribute } from '../api/distribute.ts';
import { RepName } from './names.tsx';
import { StrategyHint, StrategySelect } from './strategy-select.tsx';
import { TargetFields, toTarget, type TargetValues } from './target-fields.tsx';

interface DistributeValues extends TargetValues {
  strategy: AssignmentStrategy;
}

/*
 * The server explains a skipped record in English; the reasons it gives are known, so
 * they are shown translated, and any other as it came.
 */
const knownReasons = {
  'not in the pool (claimed, waiting for verification, or not visible)': 'notInPool',
  'every rep who may take it is at capacity': 'atCapacity',
  'no rep of the list covers its region': 'outsideTerritory',
  'no rep could take it': 'noRep',
  'claimed meanwhile': 'claimedMeanwhile',
} as const;

function isKnownReason(reason: string): reason is keyof typeof knownReasons {
  return Object.hasOwn(knownReasons, reason);
}

interface DistributeDialogProps {
  entity: PoolEntity;
  ids: readonly string[];
  /** What to call each record in the result (the rows selected before it ran). */
  names: ReadonlyMap<string, string>;
  /** The records have been shared out (some may have stayed): clear the selection. */
  onDistributed: () => void;
  onClose: () => void;
}

/**
 * 分配: shares the selected pool records among reps, or the people of a team, by a
 * strategy, then shows who got how many and which records stayed in the pool and why.
 */
export function DistributeDialog({
  entity,
  ids,
  names,
  onDistributed,
  onClose,
}: DistributeDialogProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<DistributeValues>();
  const strategy = Form.useWatch('strategy', form);
  const distribute = useDistribute(entity);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<DistributeResult | null>(null);

  const submit = (values: DistributeValues) => {
    setError(null);
    const target = toTarget(values);
    distribute.mutate(
      {
        ids: [...ids],
        strategy: values.strategy,
        ...(target.nodeId === null ? { userIds: target.userIds } : { nodeId: target.nodeId }),
      },
      {
        onSuccess: (answer) => {
          setResult(answer);
          onDistributed();
        },
        onError: (err) => {
          if (!applyFieldErrors(form, errorText(err), ['userIds', 'nodeId'])) setError(err);
        },
      },
    );
  };

  const reason = (text: string) =>
    isKnownReason(text) ? t(`assignment.skipReasons.${knownReasons[text]}`) : text;

  if (result) {
    const byUser = Object.entries(result.byUser).sort((a, b) => b[1] - a[1]);
    return (
      <Modal
        open
        title={t('assignment.distribute.resultTitle')}
        onOk={onClose}
        onCancel={onClose}
        okText={t('common.close')}
        okButtonProps={{ 'data-testid': 'distribute-close' }}
        cancelButtonProps={{ style: { display: 'none' } }}
        destroyOnHidden
      >
        <div data-testid="distribute-result">
          <Typography.Paragraph data-testid="distribute-summary">
            {t('assignment.distribute.summary', {
              assigned: result.assigned,
              skipped: result.skipped.length,
            })}
          </Typography.Paragraph>
          {byUser.length > 0 ? (
            <Descriptions
              column={1}
              size="small"
              bordered
              style={{ marginBottom: 16 }}
              data-testid="distribute-by-user"
              items={byUser.map(([userId, count]) => ({
                key: userId,
                label: <RepName id={userId} />,
                children: (
                  <span data-testid={`distribute-count-${userId}`}>
                    {t('assignment.distribute.count', { count })}
                  </span>
                ),
              }))}
            />
          ) : null}
          {result.skipped.length > 0 ? (
            <>
              <Typography.Title level={5}>
                {t('assignment.distribute.skippedTitle')}
              </Typography.Title>
              <Table<DistributeResult['skipped'][number]>
                size="small"
                rowKey="id"
                bordered
                showHeader={false}
                pagination={result.skipped.length > 10 ? { pageSize: 10 } : false}
                data-testid="distribute-skipped"
                dataSource={result.skipped}
                columns={[
                  { key: 'name', render: (_v, s) => names.get(s.id) ?? s.id },
                  {
                    key: 'reason',
                    render: (_v, s) => (
                      <Typography.Text type="warning">{reason(s.reason)}</Typography.Text>
                    ),
                  },
                ]}
              />
            </>
          ) : null}
        </div>
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={t('assignment.distribute.title')}
      okText={t('assignment.distribute.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'distribute-submit' }}
      confirmLoading={distribute.isPending}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Typography.Paragraph type="secondary">
        {t('assignment.distribute.selected', { count: ids.length })}
      </Typography.Paragraph>
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={error} testId="distribute-error" />
        </div>
      ) : null}
      <Form<DistributeValues>
        form={form}
        layout="vertical"
        initialValues={{ strategy: 'round_robin', target: 'users' }}
        onFinish={submit}
        data-testid="distribute-form"
      >
        <Form.Item
          name="strategy"
          label={t('assignment.strategy')}
          extra={<StrategyHint strategy={strategy} />}
        >
          <StrategySelect testId="distribute-strategy" />
        </Form.Item>
        <TargetFields />
      </Form>
    </Modal>
  );
}
