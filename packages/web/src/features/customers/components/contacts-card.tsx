import { useState } from 'react';
import { Button, Card, Empty, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Contact } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ExportButton } from '../../../components/export-button.tsx';
import { formatDate } from '../../../lib/format.ts';
import { contactFilterQuery, useContactList } from '../api/customers.ts';
import { ContactFormDialog } from './contact-form-dialog.tsx';
import { ContactMergeDialog } from './contact-merge-dialog.tsx';

type Dialog =
  { kind: 'create' } | { kind: 'edit'; contact: Contact } | { kind: 'merge'; contact: Contact };

/** The people at a customer; who may edit them is the server's call (contact.manage). */
export function ContactsCard({
  customerId,
  canManage,
}: {
  customerId: string;
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const contacts = useContactList(customerId);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const dash = <Typography.Text type="secondary">—</Typography.Text>;
  const list = contacts.data ?? [];

  return (
    <Card
      size="small"
      title={t('contacts.title')}
      extra={
        <Space>
          <ExportButton
            path="/contacts/export"
            query={contactFilterQuery(customerId)}
            testId="contacts-export"
            size="small"
          />
          {canManage ? (
            <Button
              size="small"
              icon={<PlusOutlined />}
              data-testid="contact-create"
              onClick={() => {
                setDialog({ kind: 'create' });
              }}
            >
              {t('contacts.create')}
            </Button>
          ) : null}
        </Space>
      }
    >
      {contacts.isError ? (
        <ErrorAlert error={contacts.error} onRetry={() => void contacts.refetch()} />
      ) : (
        <Table<Contact>
          rowKey="id"
          size="small"
          pagination={false}
          loading={contacts.isFetching}
          dataSource={list}
          scroll={{ x: 'max-content' }}
          data-testid="contacts-table"
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('contacts.empty')} />
            ),
          }}
          columns={[
            { title: t('contacts.fields.name'), key: 'name', render: (_v, c) => c.name },
            { title: t('contacts.fields.title'), key: 'title', render: (_v, c) => c.title ?? dash },
            { title: t('contacts.fields.phone'), key: 'phone', render: (_v, c) => c.phone ?? dash },
            { title: t('contacts.fields.email'), key: 'email', render: (_v, c) => c.email ?? dash },
            {
              title: t('contacts.fields.wechat'),
              key: 'wechat',
              render: (_v, c) => c.wechat ?? dash,
            },
            {
              title: t('contacts.fields.birthday'),
              key: 'birthday',
              render: (_v, c) => (c.birthday ? formatDate(c.birthday) : dash),
            },
            ...(canManage
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_v: unknown, c: Contact) => (
                      <Space size={0}>
                        <Button
                          size="small"
                          type="link"
                          data-testid={`contact-edit-${c.id}`}
                          onClick={() => {
                            setDialog({ kind: 'edit', contact: c });
                          }}
                        >
                          {t('common.edit')}
                        </Button>
                        {list.length > 1 ? (
                          <Button
                            size="small"
                            type="link"
                            data-testid={`contact-merge-${c.id}`}
                            onClick={() => {
                              setDialog({ kind: 'merge', contact: c });
                            }}
                          >
                            {t('contacts.merge.action')}
                          </Button>
                        ) : null}
                      </Space>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {dialog?.kind === 'merge' ? (
        <ContactMergeDialog
          contacts={list}
          survivorId={dialog.contact.id}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : dialog ? (
        <ContactFormDialog
          customerId={customerId}
          {...(dialog.kind === 'edit' ? { contact: dialog.contact } : {})}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
    </Card>
  );
}
