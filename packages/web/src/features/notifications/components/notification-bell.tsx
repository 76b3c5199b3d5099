import { useState } from 'react';
import { Badge, Button, Divider, Empty, Flex, Popover, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import {
  useMarkAllNotificationsRead,
  useNotifications,
  useUnreadCount,
} from '../api/notifications.ts';
import { NotificationItem, useOpenNotification } from './notification-item.tsx';

/** How many of the latest notifications the header shows; the rest are on the page. */
const LATEST = 6;

/** The header's bell: the unread count, and the latest notifications on a click. */
export function NotificationBell() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount();
  const latest = useNotifications({ page: 1, pageSize: LATEST }, open);
  const markAll = useMarkAllNotificationsRead();
  const openNotification = useOpenNotification(() => {
    setOpen(false);
  });
  const count = unread.data ?? 0;
  const items = latest.data?.items ?? [];

  const content = (
    <div style={{ width: 380, maxWidth: 'calc(100vw - 32px)' }} data-testid="notification-popover">
      <Flex justify="space-between" align="center" style={{ padding: '4px 12px' }}>
        <Typography.Text strong>{t('notifications.title')}</Typography.Text>
        <Button
          type="link"
          size="small"
          disabled={count === 0}
          loading={markAll.isPending}
          data-testid="notification-popover-read-all"
          onClick={() => {
            markAll.mutate(undefined, { onError: notify.error });
          }}
        >
          {t('notifications.markAllRead')}
        </Button>
      </Flex>
      <Divider style={{ margin: '4px 0' }} />
      <div style={{ maxHeight: 420, overflowY: 'auto' }}>
        {latest.isError ? (
          <ErrorAlert error={latest.error} onRetry={() => void latest.refetch()} />
        ) : latest.isPending ? (
          <Flex justify="center" style={{ padding: 24 }}>
            <Spin />
          </Flex>
        ) : items.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t('notifications.empty')}
            data-testid="notification-popover-empty"
          />
        ) : (
          items.map((n) => (
            <NotificationItem key={n.id} notification={n} compact onOpen={openNotification} />
          ))
        )}
      </div>
      <Divider style={{ margin: '4px 0' }} />
      <Flex justify="center">
        <Link
          to="/notifications"
          data-testid="notification-view-all"
          onClick={() => {
            setOpen(false);
          }}
        >
          {t('notifications.viewAll')}
        </Link>
      </Flex>
    </div>
  );

  return (
    <Popover
      content={content}
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      arrow={false}
    >
      <Button
        type="text"
        aria-label={t('notifications.bell', { count })}
        data-testid="notification-bell"
        data-unread={unread.data}
        style={{ height: 40 }}
      >
        <Badge count={count} size="small" overflowCount={99} data-testid="notification-badge">
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
