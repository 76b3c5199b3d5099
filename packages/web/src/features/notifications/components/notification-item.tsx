import type { ReactNode } from 'react';
import { Badge, Flex, Typography, theme } from 'antd';
import {
  ClockCircleOutlined,
  DashboardOutlined,
  ExportOutlined,
  LinkOutlined,
  NotificationOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Notification } from '@tide/contract';
import { useNotify } from '../../../components/use-notify.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useMarkNotificationRead } from '../api/notifications.ts';
import { notificationLink, notificationText, notificationTitle } from './notification-text.ts';

function KindIcon({ kind }: { kind: Notification['kind'] }) {
  const { token } = theme.useToken();
  const icons: Record<Notification['kind'], ReactNode> = {
    drop_warning: <ClockCircleOutlined style={{ color: token.colorWarning }} />,
    dropped: <ExportOutlined style={{ color: token.colorError }} />,
    capacity_exceeded: <WarningOutlined style={{ color: token.colorError }} />,
    capacity_adjusted: <DashboardOutlined style={{ color: token.colorPrimary }} />,
    customer_linked: <LinkOutlined style={{ color: token.colorPrimary }} />,
  };
  return (icons as Partial<Record<string, ReactNode>>)[kind] ?? <NotificationOutlined />;
}

/**
 * Opening a notification marks it read and goes to its record; one without a record
 * (or already read) just does what it can.
 */
export function useOpenNotification(onOpened?: () => void) {
  const navigate = useNavigate();
  const notify = useNotify();
  const markRead = useMarkNotificationRead();
  return (n: Notification) => {
    const link = notificationLink(n);
    if (!n.read) markRead.mutate(n.id, { onError: notify.error });
    onOpened?.();
    if (link) void navigate(link);
  };
}

interface NotificationItemProps {
  notification: Notification;
  onOpen: (n: Notification) => void;
  compact?: boolean;
}

/** One notification: what happened, when, and whether it was read. */
export function NotificationItem({ notification: n, onOpen, compact }: NotificationItemProps) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Flex
      role="button"
      tabIndex={0}
      gap={12}
      align="flex-start"
      className="notification-item"
      data-testid={`notification-${n.id}`}
      data-read={n.read ? 'true' : 'false'}
      style={{
        padding: compact ? '8px 12px' : '12px 16px',
        cursor: 'pointer',
        borderRadius: token.borderRadius,
        background: n.read ? undefined : token.colorPrimaryBg,
      }}
      onClick={() => {
        onOpen(n);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen(n);
        }
      }}
    >
      <span style={{ fontSize: 18, lineHeight: '22px' }}>
        <KindIcon kind={n.kind} />
      </span>
      <Flex vertical gap={2} style={{ flex: 1, minWidth: 0 }}>
        <Flex justify="space-between" gap={8}>
          <Typography.Text strong={!n.read}>{notificationTitle(t, n.kind)}</Typography.Text>
          {n.read ? null : <Badge status="processing" text={t('notifications.unread')} />}
        </Flex>
        <Typography.Text data-testid="notification-text">{notificationText(t, n)}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(n.createdAt)}
        </Typography.Text>
      </Flex>
    </Flex>
  );
}
