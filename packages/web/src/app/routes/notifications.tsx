import { NotificationCenter } from '../../features/notifications/components/notification-center.tsx';

export function NotificationsPage() {
  return <NotificationCenter />;
}
