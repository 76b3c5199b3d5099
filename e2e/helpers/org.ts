import type { BrowserContext } from 'playwright-core';
import type { OrgNode, OrgTree, User } from '@tide/contract';
import { callApi } from './api.ts';
import { required } from './required.ts';

/** The password of every user the tests create. */
export const userPassword = 'Tide-e2e-Pass-77';

/** The root of the org tree, which a fresh server creates. */
export async function rootNode(context: BrowserContext): Promise<OrgNode> {
  const tree = await callApi<OrgTree>(context, 'GET', '/org/nodes');
  return required(tree.roots[0], 'the root node');
}

export function addNode(context: BrowserContext, name: string, parentId: string): Promise<OrgNode> {
  return callApi<OrgNode>(context, 'POST', '/org/nodes', { name, parentId });
}

/** A user of the team `nodeId`, signing in with `userPassword`. */
export function addUser(
  context: BrowserContext,
  username: string,
  displayName: string,
  nodeId: string,
  roles: string[],
): Promise<User> {
  return callApi<User>(context, 'POST', '/users', {
    username,
    displayName,
    nodeId,
    roles,
    password: userPassword,
  });
}
