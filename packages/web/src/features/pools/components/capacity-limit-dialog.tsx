import { useMemo, useState } from 'react';
import { Descriptions, Form, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  capacityLimitBody,
  capacityScopes,
  poolEntities,
  type CapacityLimit,
  type CapacityLimitBody,
  type CapacityScope,
  type PoolEntity,
} from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { OrgNodeSelect } from '../../../components/pickers/org-node-select.tsx';
import { UserSelect } from '../../../components/pickers/user-select.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useErrorText } from '../../../lib/errors.ts';
import { schemaRule } from '../../../lib/form-rules.ts';
import { roleLabel } from '../../../lib/permissions.ts';
import { useRoles } from '../../../lib/reference-data.ts';
import { useCreateCapacityLimit, useUpdateCapacityLimit } from '../api/capacity-limits.ts';
import { applyNestedFieldErrors } from './form-errors.ts';
import { CapacityTarget } from './capacity-target.tsx';

interface LimitFormValues {
  scope: CapacityScope;
  roleName?: string;
  nodeId?: string;
  userId?: string | null;
  entity: PoolEntity;
  maxRecords: number | null;
  dailyClaims: number | null;
}

const limitShape = capacityLimitBody.shape;

function toBody(values: LimitFormValues): CapacityLimitBody {
  const { scope } = values;
  return {
    scope,
    roleName: scope === 'role' ? (values.roleName ?? null) : null,
    nodeId: scope === 'node' ? (values.nodeId ?? null) : null,
    userId: scope === 'user' ? (values.userId ?? null) : null,
    entity: values.entity,
    maxRecords: values.maxRecords ?? null,
    dailyClaims: values.dailyClaims ?? null,
  };
}

function RolePicker({
  value,
  onChange,
  id,
}: {
  value?: string;
  onChange?: (value: string) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const roles = useRoles();
  const options = useMemo(
    () =>
      (roles.data ?? []).map((role) => ({
        value: role.name,
        label: roleLabel(t, role.name, roles.data),
      })),
    [roles.data, t],
  );
  return (
    <Select<string>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={roles.isLoading}
      showSearch={{ optionFilterProp: 'label' }}
      data-testid="capacity-form-role"
      style={{ width: '100%' }}
    />
  );
}

function NodePicker(props: { value?: string; onChange?: (value: string) => void; id?: string }) {
  return (
    <div data-testid="capacity-form-node">
      <OrgNodeSelect {...props} />
    </div>
  );
}

interface CapacityLimitDialogProps {
  /** The limit to change; absent to add one. */
  limit?: CapacityLimit;
  onClose: () => void;
}

/**
 * Adds a limit for the whole company, a role, a team or one person, or changes the
 * numbers of one. A blank number means no limit of that kind.
 */
export function CapacityLimitDialog({ limit, onClose }: CapacityLimitDialogProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const errorText = useErrorText();
  const [form] = Form.useForm<LimitFormValues>();
  const create = useCreateCapacityLimit();
  const update = useUpdateCapacityLimit();
  const [error, setError] = useState<unknown>(null);
  const scope = Form.useWatch('scope', form);
  const editing = limit !== undefined;

  const onError = (err: unknown) => {
    if (!applyNestedFieldErrors(form, errorText(err))) setError(err);
  };

  const submit = (values: LimitFormValues) => {
    setError(null);
    if (limit) {
      update.mutate(
        {
          id: limit.id,
          body: { maxRecords: values.maxRecords ?? null, dailyClaims: values.dailyClaims ?? null },
        },
        {
          onSuccess: () => {
            notify.success(t('pools.capacity.saved'));
            onClose();
          },
          onError,
        },
      );
      return;
    }
    create.mutate(toBody(values), {
      onSuccess: () => {
        notify.success(t('pools.capacity.created'));
        onClose();
      },
      onError,
    });
  };

  const initialValues: Partial<LimitFormValues> = limit
    ? {
        scope: limit.scope,
        entity: limit.entity,
        maxRecords: limit.maxRecords,
        dailyClaims: limit.dailyClaims,
      }
    : { scope: 'user', entity: 'lead', maxRecords: null, dailyClaims: null };

  const targetField = () => {
    if (scope === 'role')
      return (
        <Form.Item
          name="roleName"
          label={t('pools.capacity.target')}
          rules={[{ required: true, message: t('pools.capacity.targetRequired.role') }]}
        >
          <RolePicker />
        </Form.Item>
      );
    if (scope === 'node')
      return (
        <Form.Item
          name="nodeId"
          label={t('pools.capacity.target')}
          rules={[{ required: true, message: t('pools.capacity.targetRequired.node') }]}
        >
          <NodePicker />
        </Form.Item>
      );
    if (scope === 'user')
      return (
        <Form.Item
          name="userId"
          label={t('pools.capacity.target')}
          rules={[{ required: true, message: t('pools.capacity.targetRequired.user') }]}
        >
          <UserSelect testId="capacity-form-user" />
        </Form.Item>
      );
    return null;
  };

  return (
    <Modal
      open
      title={editing ? t('pools.capacity.edit') : t('pools.capacity.add')}
      okText={editing ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'capacity-form-save' }}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={create.isPending || update.isPending}
      destroyOnHidden
      width={560}
    >
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={error} testId="capacity-form-error" />
        </div>
      ) : null}
      <Form<LimitFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={initialValues}
        data-testid="capacity-form"
      >
        {limit ? (
          <>
            <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('pools.capacity.scope')}>
                {t(`pools.capacity.scopes.${limit.scope}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('pools.capacity.target')}>
                <CapacityTarget limit={limit} />
              </Descriptions.Item>
              <Descriptions.Item label={t('pools.capacity.entity')}>
                {t(`pools.entities.${limit.entity}`)}
              </Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph type="secondary">
              {t('pools.capacity.editHint')}
            </Typography.Paragraph>
          </>
        ) : (
          <>
            <Form.Item name="scope" label={t('pools.capacity.scope')}>
              <Radio.Group
                optionType="button"
                data-testid="capacity-form-scope"
                options={capacityScopes.map((s) => ({
                  value: s,
                  label: (
                    <span data-testid={`capacity-form-scope-${s}`}>
                      {t(`pools.capacity.scopes.${s}`)}
                    </span>
                  ),
                }))}
              />
            </Form.Item>
            {targetField()}
            <Form.Item name="entity" label={t('pools.capacity.entity')}>
              <Radio.Group
                data-testid="capacity-form-entity"
                options={poolEntities.map((e) => ({
                  value: e,
                  label: (
                    <span data-testid={`capacity-form-entity-${e}`}>
                      {t(`pools.entities.${e}`)}
                    </span>
                  ),
                }))}
              />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="maxRecords"
          label={t('pools.capacity.maxRecords')}
          extra={t('pools.capacity.maxRecordsHint')}
          rules={[schemaRule(limitShape.maxRecords, t('pools.validation.maxRecords'))]}
        >
          <InputNumber<number>
            precision={0}
            placeholder={t('pools.capacity.unlimited')}
            style={{ width: 200 }}
            data-testid="capacity-form-max"
          />
        </Form.Item>
        <Form.Item
          name="dailyClaims"
          label={t('pools.capacity.dailyClaims')}
          extra={t('pools.capacity.dailyClaimsHint')}
          rules={[schemaRule(limitShape.dailyClaims, t('pools.validation.dailyClaims'))]}
        >
          <InputNumber<number>
            precision={0}
            placeholder={t('pools.capacity.unlimited')}
            style={{ width: 200 }}
            data-testid="capacity-form-daily"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
