import { useNavigate, useParams, useSearchParams } from 'react-router';
import { LeadMerge } from '../../../features/leads/components/lead-merge.tsx';
import { NotFoundPage } from '../not-found.tsx';

function mergePath(survivorId: string, otherId: string): string {
  const query = new URLSearchParams({ other: otherId }).toString();
  return `/leads/${encodeURIComponent(survivorId)}/merge?${query}`;
}

/** /leads/:id/merge?other=… — the survivor is in the path, the other in the query. */
export function LeadMergePage() {
  const { id } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigate = useNavigate();
  const other = searchParams.get('other') ?? undefined;
  if (!id) return <NotFoundPage />;
  const otherId = other === id ? undefined : other;
  return (
    <LeadMerge
      survivorId={id}
      otherId={otherId}
      onChooseOther={(next) => {
        setSearchParams(next ? { other: next } : {}, { replace: true });
      }}
      onSwap={() => {
        if (otherId) void navigate(mergePath(otherId, id), { replace: true });
      }}
      onMerged={(survivor) => {
        void navigate(`/leads/${encodeURIComponent(survivor.id)}`, { replace: true });
      }}
    />
  );
}
