import { useState } from 'react';
import { Button, Card, Empty, Flex, Pagination, Segmented, Space, Spin, Typography } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import {
  useMarkAllNotificationsRead,
  useNotifications,
  useUnreadCount,
} from '../api/notifications.ts';
import { NotificationItem, useOpenNotification } from './notification-item.tsx';

type Filter = 'all' | 'unread';

/** 消息中心: every notification of the signed-in user, newest first. */
export function NotificationCenter() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [filter, setFilter] = useState<Filter>('all');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const unread = useUnreadCount();
  const list = useNotifications({
    page,
    pageSize,
    ...(filter === 'unread' ? { unread: true } : {}),
  });
  const markAll = useMarkAllNotificationsRead();
  const openNotification = useOpenNotification();
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const unreadCount = unread.data ?? 0;

  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        extra={
          <Button
            icon={<CheckOutlined />}
            disabled={unreadCount === 0}
            loading={markAll.isPending}
            data-testid="notifications-read-all"
            onClick={() => {
              markAll.mutate(undefined, {
                onSuccess: () => {
                  setPage(1);
                  notify.success(t('notifications.allRead'));
                },
                onError: notify.error,
              });
            }}
          >
            {t('notifications.markAllRead')}
          </Button>
        }
      />
      <Card>
        <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
          <Segmented<Filter>
            data-testid="notifications-filter"
            value={filter}
            options={[
              { value: 'all', label: t('notifications.filter.all') },
              { value: 'unread', label: t('notifications.filter.unread') },
            ]}
            onChange={(value) => {
              setFilter(value);
              setPage(1);
            }}
          />
          <Typography.Text type="secondary" data-testid="notifications-unread-count">
            {unread.data === undefined
              ? null
              : t('notifications.unreadCount', { count: unreadCount })}
          </Typography.Text>
        </Flex>
        {list.isError ? (
          <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Spin spinning={list.isFetching}>
            <div data-testid="notifications-list" data-loaded={list.isPending ? 'false' : 'true'}>
              {list.isPending ? (
                <div style={{ minHeight: 120 }} />
              ) : items.length === 0 ? (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  data-testid="notifications-empty"
                  description={
                    filter === 'unread' ? t('notifications.emptyUnread') : t('notifications.empty')
                  }
                />
              ) : (
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  {items.map((n) => (
                    <NotificationItem key={n.id} notification={n} onOpen={openNotification} />
                  ))}
                </Space>
              )}
            </div>
          </Spin>
        )}
        {total > 0 ? (
          <Flex justify="flex-end" style={{ marginTop: 16 }}>
            <Pagination
              current={page}
              pageSize={pageSize}
              total={total}
              showSizeChanger
              showTotal={(n) => t('common.total', { total: n })}
              onChange={(nextPage, nextSize) => {
                setPage(nextSize === pageSize ? nextPage : 1);
                setPageSize(nextSize);
              }}
            />
          </Flex>
        ) : null}
      </Card>
    </>
  );
}
