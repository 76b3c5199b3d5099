import { Col, Empty, Row, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Loading } from '../../components/loading.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { NodeDetails } from '../../features/org/components/node-details.tsx';
import { OrgTreePanel } from '../../features/org/components/org-tree-panel.tsx';
import { TerritorySection } from '../../features/territories/components/territory-section.tsx';
import { UsersPanel } from '../../features/users/components/users-panel.tsx';
import { useOrgTree } from '../../lib/reference-data.ts';
import { useCan, useMe } from '../../lib/session.ts';

/** The org tree on the left; the selected team and its members on the right. */
export function OrgPage() {
  const { t } = useTranslation();
  const me = useMe();
  const tree = useOrgTree();
  const [params, setParams] = useSearchParams();
  const canManageOrg = useCan('org.manage');
  const canViewUsers = useCan('user.view');
  const canManageUsers = useCan('user.manage');
  const canViewAudit = useCan('audit.view');

  if (tree.isPending) return <Loading />;
  if (tree.isError) return <ErrorAlert error={tree.error} onRetry={() => void tree.refetch()} />;

  const { roots, nodes } = tree.data;
  // The selection lives in the URL so a reload or a shared link opens the same team;
  // a stale id (the team was deleted) falls back to the top of the tree.
  const requested = params.get('node');
  const selected =
    nodes.find((n) => n.id === requested) ?? nodes.find((n) => n.id === roots[0]?.id);

  const select = (id: string) => {
    setParams({ node: id }, { replace: true });
  };

  return (
    <>
      <PageHeader title={t('org.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8} xxl={6}>
          <OrgTreePanel roots={roots} selectedId={selected?.id} onSelect={select} />
        </Col>
        <Col xs={24} lg={16} xxl={18}>
          {selected ? (
            <Row gutter={[16, 16]}>
              <Col span={24}>
                <NodeDetails
                  node={selected}
                  nodes={nodes}
                  canManage={canManageOrg}
                  canViewUsers={canViewUsers}
                  onSelect={select}
                >
                  <TerritorySection node={selected} nodes={nodes} canManage={canManageOrg} />
                </NodeDetails>
              </Col>
              {canViewUsers ? (
                <Col span={24}>
                  <UsersPanel
                    key={selected.id}
                    nodeId={selected.id}
                    nodeName={selected.name}
                    currentUserId={me.id}
                    canManage={canManageUsers}
                    canViewAudit={canViewAudit}
                  />
                </Col>
              ) : null}
            </Row>
          ) : (
            <Card>
              <Empty description={t('org.selectNode')} />
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}
