import { useState } from 'react';
import { Button, Card, Empty, Modal, Space, Table, Tag, Typography } from 'antd';
import { CodeOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { IntakeForm } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { usePools } from '../../../lib/reference-data.ts';
import { intakePath, useIntakeForms } from '../api/intake-forms.ts';
import { IntakeFormDialog } from './intake-form-dialog.tsx';
import { intakeSnippet } from './intake-snippet.ts';

type Editing = { kind: 'create' } | { kind: 'edit'; form: IntakeForm };

function endpoint(): string {
  return `${window.location.origin}${intakePath}`;
}

/** The code a website's developer copies: a form posting to this server with the key. */
function SnippetDialog({ form, onClose }: { form: IntakeForm; onClose: () => void }) {
  const { t } = useTranslation();
  const code = intakeSnippet(endpoint(), form.formKey, {
    company: t('intakeForms.snippet.company'),
    contactName: t('intakeForms.snippet.contactName'),
    phone: t('intakeForms.snippet.phone'),
    email: t('intakeForms.snippet.email'),
    message: t('intakeForms.snippet.message'),
    submit: t('intakeForms.snippet.submit'),
    honeypotComment: t('intakeForms.snippet.honeypotComment'),
    blankComment: t('intakeForms.snippet.blankComment'),
    thanks: t('intakeForms.snippet.thanks'),
    tooMany: t('intakeForms.snippet.tooMany'),
    failed: t('intakeForms.snippet.failed'),
  });
  return (
    <Modal
      open
      title={t('intakeForms.snippet.title', { name: form.name })}
      onOk={onClose}
      onCancel={onClose}
      okText={t('common.close')}
      cancelButtonProps={{ style: { display: 'none' } }}
      width={760}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('intakeForms.snippet.intro')}</Typography.Paragraph>
      <Typography.Paragraph copyable={{ text: code }} style={{ marginBottom: 0 }}>
        <pre
          data-testid="intake-snippet"
          style={{ maxHeight: 420, overflow: 'auto', fontSize: 12, margin: 0 }}
        >
          {code}
        </pre>
      </Typography.Paragraph>
    </Modal>
  );
}

/**
 * 网站表单: forms on the company's websites that feed leads into a pool. Each has a key
 * the website sends with every submission; it names the form (and so its pool and source)
 * and grants nothing else, so it may sit in a public page.
 */
export function IntakeFormsCard() {
  const { t } = useTranslation();
  const forms = useIntakeForms();
  const pools = usePools();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [showing, setShowing] = useState<IntakeForm | null>(null);
  const poolName = (id: string) => pools.data?.find((p) => p.id === id)?.name ?? '…';

  return (
    <Card
      title={t('intakeForms.title')}
      data-testid="intake-forms"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="intake-form-add"
          onClick={() => {
            setEditing({ kind: 'create' });
          }}
        >
          {t('intakeForms.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('intakeForms.intro')}</Typography.Paragraph>
      <Typography.Paragraph>
        <Typography.Text code copyable={{ text: endpoint() }} data-testid="intake-endpoint">
          {`POST ${endpoint()}`}
        </Typography.Text>
      </Typography.Paragraph>
      {forms.isError ? (
        <ErrorAlert error={forms.error} onRetry={() => void forms.refetch()} />
      ) : (
        <Table<IntakeForm>
          rowKey="id"
          size="small"
          loading={forms.isPending}
          dataSource={forms.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intakeForms.empty')} />
            ),
          }}
          columns={[
            {
              title: t('intakeForms.name'),
              key: 'name',
              render: (_v, f) => <Typography.Text strong>{f.name}</Typography.Text>,
            },
            { title: t('intakeForms.pool'), key: 'pool', render: (_v, f) => poolName(f.poolId) },
            {
              title: t('intakeForms.source'),
              key: 'source',
              render: (_v, f) => <Tag color="blue">{f.source}</Tag>,
            },
            {
              title: t('intakeForms.perMinute'),
              key: 'perMinute',
              render: (_v, f) => t('intakeForms.rate', { count: f.perMinute }),
            },
            {
              title: t('intakeForms.enabled'),
              key: 'enabled',
              render: (_v, f) =>
                f.enabled ? (
                  <Tag color="success">{t('intakeForms.on')}</Tag>
                ) : (
                  <Tag>{t('intakeForms.off')}</Tag>
                ),
            },
            {
              title: t('intakeForms.formKey'),
              key: 'formKey',
              render: (_v, f) => (
                <Typography.Text
                  code
                  copyable={{ text: f.formKey }}
                  data-testid={`intake-form-key-${f.id}`}
                >
                  {f.formKey}
                </Typography.Text>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              fixed: 'right',
              render: (_v, f) => (
                <Space size={0}>
                  <Button
                    size="small"
                    type="link"
                    icon={<EditOutlined />}
                    data-testid={`intake-form-edit-${f.id}`}
                    onClick={() => {
                      setEditing({ kind: 'edit', form: f });
                    }}
                  >
                    {t('common.edit')}
                  </Button>
                  <Button
                    size="small"
                    type="link"
                    icon={<CodeOutlined />}
                    data-testid={`intake-form-snippet-${f.id}`}
                    onClick={() => {
                      setShowing(f);
                    }}
                  >
                    {t('intakeForms.snippet.open')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      )}
      {editing ? (
        <IntakeFormDialog
          {...(editing.kind === 'edit' ? { intakeForm: editing.form } : {})}
          onClose={() => {
            setEditing(null);
          }}
        />
      ) : null}
      {showing ? (
        <SnippetDialog
          form={showing}
          onClose={() => {
            setShowing(null);
          }}
        />
      ) : null}
    </Card>
  );
}
