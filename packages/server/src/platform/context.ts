import type { Permission } from '@tide/contract';

/** Who performs a write: a user, or the system (CLI, jobs) with no user. */
export interface Actor {
  readonly tenantId: string;
  readonly userId: string | null;
  readonly requestId: string | null;
}

/** An authenticated user making a request. */
export interface Caller extends Actor {
  readonly userId: string;
  readonly username: string;
  readonly displayName: string;
  readonly nodeId: string;
  /** The materialised path of the caller's org node. */
  readonly nodePath: string;
  readonly roles: readonly string[];
  readonly permissions: ReadonlySet<Permission>;
  readonly via: 'session' | 'api';
  /** A service account holds exactly the permissions given to it, and no roles. */
  readonly kind?: 'person' | 'service';
  /** The pools whose node contains the caller's, when read with the caller. */
  readonly servedPoolIds?: readonly string[];
}

export function systemActor(tenantId: string): Actor {
  return { tenantId, userId: null, requestId: null };
}
