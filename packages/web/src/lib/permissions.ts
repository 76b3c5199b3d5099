import {
  builtinRoleNames,
  permissions,
  type BuiltinRoleName,
  type Permission,
  type Role,
} from '@tide/contract';
import type { TFunction } from 'i18next';

export type PermissionGroup = Permission extends `${infer G}.${string}` ? G : never;

export interface PermissionGroupEntry {
  group: PermissionGroup;
  permissions: Permission[];
}

function groupOf(permission: Permission): PermissionGroup {
  return permission.slice(0, permission.indexOf('.')) as PermissionGroup;
}

/** Permissions grouped by the part before the first dot, in the contract's order. */
export const permissionGroups: readonly PermissionGroupEntry[] = (() => {
  const groups = new Map<PermissionGroup, Permission[]>();
  for (const permission of permissions) {
    const group = groupOf(permission);
    groups.set(group, [...(groups.get(group) ?? []), permission]);
  }
  return [...groups].map(([group, list]) => ({ group, permissions: list }));
})();

export function permissionLabel(t: TFunction, permission: Permission): string {
  return t(`permissions.${permission}`);
}

export function permissionGroupLabel(t: TFunction, group: PermissionGroup): string {
  return t(`permissionGroups.${group}`);
}

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}

export function isBuiltinRoleName(name: string): name is BuiltinRoleName {
  return (builtinRoleNames as readonly string[]).includes(name);
}

/** Built-in roles get their translated name; custom roles show their label or key. */
export function roleLabel(t: TFunction, name: string, roles?: readonly Role[]): string {
  if (isBuiltinRoleName(name)) return t(`roles.names.${name}`);
  const role = roles?.find((r) => r.name === name);
  return role?.label ?? name;
}
