import { Suspense, useState } from 'react';
import {
  Avatar,
  Button,
  Dropdown,
  Flex,
  Layout,
  Menu,
  Typography,
  theme,
  type MenuProps,
} from 'antd';
import {
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  ShopOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../../components/language-switch.tsx';
import { Loading } from '../../components/loading.tsx';
import { useNotify } from '../../components/use-notify.ts';
import { useLogout } from '../../features/auth/api/auth.ts';
import { NotificationBell } from '../../features/notifications/components/notification-bell.tsx';
import { useMe } from '../../lib/session.ts';
import { navKeyForPath, useNavItems, type NavGroup, type NavItem } from './nav-items.tsx';

const groupOrder: readonly NavGroup[] = ['main', 'sales', 'dataQuality', 'admin', 'personal'];

function menuItems(
  items: NavItem[],
  groupLabel: (group: NavGroup) => string | undefined,
): MenuProps['items'] {
  const result: NonNullable<MenuProps['items']> = [];
  for (const group of groupOrder) {
    const inGroup = items.filter((item) => item.group === group);
    if (inGroup.length === 0) continue;
    const children = inGroup.map((item) => ({
      key: item.key,
      icon: item.icon,
      label: (
        <Link to={item.path} data-testid={`nav-${item.key}`}>
          {item.label}
        </Link>
      ),
    }));
    const label = groupLabel(group);
    if (label === undefined) result.push(...children);
    else result.push({ type: 'group', key: `group-${group}`, label, children });
  }
  return result;
}

export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const notify = useNotify();
  const logout = useLogout();
  const [collapsed, setCollapsed] = useState(false);
  const { token } = theme.useToken();
  const navItems = useNavItems();
  const selected = navKeyForPath(location.pathname);

  const items = menuItems(navItems, (group) => {
    if (group === 'sales') return t('nav.sales');
    if (group === 'dataQuality') return t('nav.dataQuality');
    if (group === 'admin') return t('nav.admin');
    return undefined;
  });

  const userMenu: MenuProps = {
    items: [
      {
        key: 'account',
        icon: <UserOutlined />,
        label: <Link to="/account">{t('header.account')}</Link>,
      },
      { type: 'divider' },
      {
        key: 'logout',
        icon: <LogoutOutlined />,
        label: <span data-testid="logout">{t('header.logout')}</span>,
        onClick: () => {
          logout.mutate(undefined, {
            onSuccess: () => {
              notify.success(t('header.loggedOut'));
            },
            onSettled: () => {
              void navigate('/login', { replace: true });
            },
          });
        },
      },
    ],
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        theme="light"
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        trigger={null}
        breakpoint="lg"
        width={220}
        style={{ borderInlineEnd: `1px solid ${token.colorBorderSecondary}` }}
      >
        <Link to="/" style={{ display: 'block' }}>
          <Flex align="center" gap={8} style={{ height: 64, paddingInline: collapsed ? 24 : 20 }}>
            <img src="/favicon.svg" alt="" width={28} height={28} />
            {collapsed ? null : (
              <Typography.Text strong style={{ fontSize: 17 }}>
                {t('app.name')}
              </Typography.Text>
            )}
          </Flex>
        </Link>
        <Menu
          mode="inline"
          items={items}
          selectedKeys={selected ? [selected] : []}
          style={{ borderInlineEnd: 'none' }}
          data-testid="nav"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            paddingInline: 16,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Flex align="center" justify="space-between" style={{ height: '100%' }} gap={16}>
            <Flex align="center" gap={8}>
              <Button
                type="text"
                aria-label={collapsed ? t('header.expand') : t('header.collapse')}
                icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
                onClick={() => {
                  setCollapsed((c) => !c);
                }}
              />
              <ShopOutlined />
              <Typography.Text strong data-testid="header-tenant">
                {me.tenantName}
              </Typography.Text>
            </Flex>
            <Flex align="center" gap={16}>
              <LanguageSwitch size="small" />
              <NotificationBell />
              <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
                <Button type="text" data-testid="user-menu" style={{ height: 40 }}>
                  <Flex align="center" gap={8}>
                    <Avatar size="small" style={{ background: token.colorPrimary }}>
                      {me.displayName.slice(0, 1)}
                    </Avatar>
                    <span data-testid="header-user">{me.displayName}</span>
                  </Flex>
                </Button>
              </Dropdown>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
