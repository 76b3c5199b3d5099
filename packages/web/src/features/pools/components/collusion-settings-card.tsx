import { useState } from 'react';
import { Button, Card, Flex, Form, InputNumber, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { collusionSettings, type CollusionSettings } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useErrorText } from '../../../lib/errors.ts';
import { schemaRule } from '../../../lib/form-rules.ts';
import { useCollusionSettings, useUpdateCollusionSettings } from '../api/collusion.ts';
import { applyNestedFieldErrors } from './form-errors.ts';

const shape = collusionSettings.shape;

interface SettingsFormProps {
  settings: CollusionSettings;
}

function SettingsForm({ settings }: SettingsFormProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const errorText = useErrorText();
  const [form] = Form.useForm<CollusionSettings>();
  const update = useUpdateCollusionSettings();
  const [error, setError] = useState<unknown>(null);
  const values = Form.useWatch([], form) as Partial<CollusionSettings> | undefined;

  const submit = (next: CollusionSettings) => {
    setError(null);
    update.mutate(next, {
      onSuccess: () => {
        notify.success(t('pools.collusion.saved'));
      },
      onError: (err) => {
        if (!applyNestedFieldErrors(form, errorText(err))) setError(err);
      },
    });
  };

  const number = (
    name: 'minHandovers' | 'windowDays' | 'claimHours',
    unit: string,
    testId: string,
  ) => (
    <Form.Item
      name={name}
      label={t(`pools.collusion.${name}`)}
      extra={t(`pools.collusion.${name}Hint`)}
      rules={[
        { required: true, message: t(`pools.validation.${name}`) },
        schemaRule(shape[name], t(`pools.validation.${name}`)),
      ]}
    >
      <InputNumber<number>
        precision={0}
        suffix={unit}
        style={{ width: 180 }}
        data-testid={testId}
      />
    </Form.Item>
  );

  return (
    <Form<CollusionSettings>
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={settings}
      data-testid="collusion-form"
    >
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={error} testId="collusion-form-error" />
        </div>
      ) : null}
      <Flex gap={24} wrap>
        {number('minHandovers', t('pools.collusion.timesUnit'), 'collusion-min-handovers')}
        {number('windowDays', t('pools.rule.daysUnit'), 'collusion-window-days')}
        {number('claimHours', t('pools.collusion.hoursUnit'), 'collusion-claim-hours')}
      </Flex>
      <Form.Item
        name="block"
        label={t('pools.collusion.block')}
        extra={t('pools.collusion.blockHint')}
        valuePropName="checked"
      >
        <Switch data-testid="collusion-block" />
      </Form.Item>
      <Typography.Paragraph type="secondary" data-testid="collusion-summary">
        {t('pools.collusion.summary', {
          minHandovers: values?.minHandovers ?? settings.minHandovers,
          windowDays: values?.windowDays ?? settings.windowDays,
          claimHours: values?.claimHours ?? settings.claimHours,
        })}
      </Typography.Paragraph>
      <Flex gap={8} justify="flex-end">
        <Button
          disabled={update.isPending}
          onClick={() => {
            form.resetFields();
            setError(null);
          }}
        >
          {t('pools.collusion.reset')}
        </Button>
        <Button
          type="primary"
          htmlType="submit"
          loading={update.isPending}
          data-testid="collusion-save"
        >
          {t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}

/**
 * 反作弊: when two reps count as swapping records to dodge the protection period, and
 * whether such a claim is refused outright or only reported.
 */
export function CollusionSettingsCard() {
  const { t } = useTranslation();
  const settings = useCollusionSettings();
  return (
    <Card title={t('pools.collusion.settingsTitle')} data-testid="collusion-settings">
      <Typography.Paragraph type="secondary">{t('pools.collusion.intro')}</Typography.Paragraph>
      {settings.isPending ? (
        <Loading height={160} />
      ) : settings.isError ? (
        <ErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        // Not keyed by the saved settings: remounting on save would drop the save's own
        // callbacks. "Undo" resets to the latest settings, which the form follows.
        <SettingsForm settings={settings.data} />
      )}
    </Card>
  );
}
