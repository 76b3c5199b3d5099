import { AutoComplete, Button, Form, Input, Space } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export interface AuditFilterValues {
  entity?: string;
  entityId?: string;
}

interface AuditFilterBarProps {
  value: AuditFilterValues;
  onChange: (value: AuditFilterValues) => void;
}

export function AuditFilterBar({ value, onChange }: AuditFilterBarProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<AuditFilterValues>();
  const entities = t('audit.entities', { returnObjects: true });
  const entityOptions = Object.entries(entities).map(([key, label]) => ({
    value: key,
    label: `${label} (${key})`,
  }));

  const submit = (values: AuditFilterValues) => {
    const entity = values.entity?.trim();
    const entityId = values.entityId?.trim();
    onChange({ ...(entity ? { entity } : {}), ...(entityId ? { entityId } : {}) });
  };

  return (
    <Form<AuditFilterValues>
      form={form}
      layout="inline"
      initialValues={value}
      onFinish={submit}
      style={{ rowGap: 8, marginBottom: 16 }}
      data-testid="audit-filters"
    >
      <Form.Item name="entity" label={t('audit.entity')}>
        <AutoComplete
          options={entityOptions}
          placeholder={t('audit.entityPlaceholder')}
          allowClear
          style={{ width: 200 }}
          showSearch={{
            filterOption: (input, option) => (option?.value ?? '').includes(input.toLowerCase()),
          }}
        />
      </Form.Item>
      <Form.Item name="entityId" label={t('audit.entityId')}>
        <Input placeholder={t('audit.entityIdPlaceholder')} allowClear style={{ width: 320 }} />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
            {t('audit.filter')}
          </Button>
          <Button
            onClick={() => {
              form.setFieldsValue({ entity: undefined, entityId: undefined });
              onChange({});
            }}
          >
            {t('common.reset')}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
