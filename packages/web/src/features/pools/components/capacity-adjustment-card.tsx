import { useState } from 'react';
import {
  Button,
  Card,
  Col,
  Flex,
  Form,
  InputNumber,
  Row,
  Switch,
  Typography,
  type FormRule,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  capacityAdjustmentSettings,
  type CapacityAdjustmentSettings,
  type PoolEntity,
} from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useErrorText } from '../../../lib/errors.ts';
import { schemaRule } from '../../../lib/form-rules.ts';
import { useCan } from '../../../lib/session.ts';
import {
  useCapacityAdjustmentSettings,
  useUpdateCapacityAdjustmentSettings,
} from '../api/capacity-adjustment.ts';
import { applyNestedFieldErrors } from './form-errors.ts';

const shape = capacityAdjustmentSettings.shape;

type Values = Omit<CapacityAdjustmentSettings, 'entity'>;
type NumberField = Exclude<keyof Values, 'enabled'>;

/**
 * The fields in the order they read, a line for the rates and one for the record counts:
 * when to move, by how much, within what, from how many.
 */
const numberFields: { name: NumberField; unit: 'percent' | 'records'; testId: string }[] = [
  { name: 'raiseAtPercent', unit: 'percent', testId: 'raise' },
  { name: 'lowerBelowPercent', unit: 'percent', testId: 'lower' },
  { name: 'stepPercent', unit: 'percent', testId: 'step' },
  { name: 'minRecords', unit: 'records', testId: 'min-records' },
  { name: 'maxRecords', unit: 'records', testId: 'max-records' },
  { name: 'minSample', unit: 'records', testId: 'min-sample' },
];

/**
 * The pairs the contract refuses crossed: the field named first must not be above the
 * other. The message goes under the first, where the server puts it too.
 */
const notAbove: Partial<Record<NumberField, NumberField>> = {
  lowerBelowPercent: 'raiseAtPercent',
  minRecords: 'maxRecords',
};

function notAboveRule(other: NumberField, message: string): FormRule {
  return ({ getFieldValue }) => ({
    validator: (_rule, value: unknown) => {
      const limit: unknown = getFieldValue(other);
      return typeof value === 'number' && typeof limit === 'number' && value > limit
        ? Promise.reject(new Error(message))
        : Promise.resolve();
    },
  });
}

interface SettingsFormProps {
  settings: CapacityAdjustmentSettings;
  canEdit: boolean;
}

function SettingsForm({ settings, canEdit }: SettingsFormProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const update = useUpdateCapacityAdjustmentSettings();
  const [error, setError] = useState<unknown>(null);
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const { entity, ...initial } = settings;
  const prefix = `capacity-adjustment-${entity}`;
  // The summary follows the edits; a cleared field reads as its saved value meanwhile.
  const value = <K extends keyof Values>(key: K): Values[K] => watched?.[key] ?? initial[key];

  const submit = (next: Values) => {
    setError(null);
    update.mutate(
      { ...next, entity },
      {
        onSuccess: () => {
          notify.success(
            t('pools.adjustment.saved', { entity: t(`pools.adjustment.formTitle.${entity}`) }),
          );
        },
        onError: (err) => {
          if (!applyNestedFieldErrors(form, errorText(err))) setError(err);
        },
      },
    );
  };

  const rangeMessage = (name: NumberField) => t(`pools.adjustment.validation.${name}`);
  const crossedMessage = (name: NumberField) =>
    name === 'lowerBelowPercent'
      ? t('pools.adjustment.validation.lowerAboveRaise')
      : t('pools.adjustment.validation.minAboveMax');

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={initial}
      disabled={!canEdit}
      data-testid={`${prefix}-form`}
    >
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={error} testId={`${prefix}-error`} />
        </div>
      ) : null}
      <Form.Item
        name="enabled"
        label={t('pools.adjustment.enabled')}
        valuePropName="checked"
        extra={t('pools.adjustment.enabledHint')}
      >
        <Switch data-testid={`${prefix}-enabled`} />
      </Form.Item>
      {(['percent', 'records'] as const).map((group) => (
        <Flex key={group} gap={16} wrap>
          {numberFields
            .filter(({ unit }) => unit === group)
            .map(({ name, unit, testId }) => {
              const other = notAbove[name];
              return (
                <Form.Item
                  key={name}
                  name={name}
                  label={t(`pools.adjustment.${name}`)}
                  tooltip={t(`pools.adjustment.${name}Hint`)}
                  style={{ width: 200 }}
                  {...(other === undefined ? {} : { dependencies: [other] })}
                  rules={[
                    { required: true, message: rangeMessage(name) },
                    schemaRule(shape[name], rangeMessage(name)),
                    ...(other === undefined ? [] : [notAboveRule(other, crossedMessage(name))]),
                  ]}
                >
                  <InputNumber<number>
                    precision={0}
                    suffix={unit === 'percent' ? '%' : t('pools.adjustment.recordsUnit')}
                    style={{ width: '100%' }}
                    data-testid={`${prefix}-${testId}`}
                  />
                </Form.Item>
              );
            })}
        </Flex>
      ))}
      <Typography.Paragraph type="secondary" data-testid={`${prefix}-summary`}>
        {value('enabled')
          ? t('pools.adjustment.summary', {
              raise: value('raiseAtPercent'),
              lower: value('lowerBelowPercent'),
              step: value('stepPercent'),
              min: value('minRecords'),
              max: value('maxRecords'),
              sample: value('minSample'),
            })
          : t('pools.adjustment.summaryOff')}
      </Typography.Paragraph>
      {canEdit ? (
        <Flex gap={8} justify="flex-end">
          <Button
            disabled={update.isPending}
            data-testid={`${prefix}-reset`}
            onClick={() => {
              form.resetFields();
              setError(null);
            }}
          >
            {t('pools.adjustment.reset')}
          </Button>
          <Button
            type="primary"
            htmlType="submit"
            loading={update.isPending}
            data-testid={`${prefix}-save`}
          >
            {t('common.save')}
          </Button>
        </Flex>
      ) : null}
    </Form>
  );
}

const entities: readonly PoolEntity[] = ['lead', 'customer'];

/**
 * 自动调整库容: each month every rep's capacity follows their conversion rate of the month
 * before, separately for leads and for customers. Only those who may edit the pool rules
 * change the settings; anyone else on the page reads them.
 */
export function CapacityAdjustmentCard() {
  const { t } = useTranslation();
  const canEdit = useCan('pool.rules.edit');
  const settings = useCapacityAdjustmentSettings();

  return (
    <Card title={t('pools.adjustment.title')} data-testid="capacity-adjustment-settings">
      <Typography.Paragraph type="secondary">{t('pools.adjustment.intro')}</Typography.Paragraph>
      {canEdit ? null : (
        <Typography.Paragraph type="warning" data-testid="capacity-adjustment-read-only">
          {t('pools.adjustment.readOnly')}
        </Typography.Paragraph>
      )}
      {settings.isPending ? (
        <Loading height={200} />
      ) : settings.isError ? (
        <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <Row gutter={[16, 16]}>
          {entities.map((entity) => {
            const current = settings.data.find((s) => s.entity === entity);
            return current ? (
              <Col key={entity} xs={24} xxl={12}>
                <Card
                  type="inner"
                  size="small"
                  title={t(`pools.adjustment.formTitle.${entity}`)}
                  data-testid={`capacity-adjustment-${entity}`}
                >
                  <Typography.Paragraph type="secondary">
                    {t(`pools.adjustment.measure.${entity}`)}
                  </Typography.Paragraph>
                  {/* Not keyed by the saved settings: remounting on save would drop the
                      save's own callbacks. "Undo" resets to the latest saved ones. */}
                  <SettingsForm settings={current} canEdit={canEdit} />
                </Card>
              </Col>
            ) : null;
          })}
        </Row>
      )}
    </Card>
  );
}
