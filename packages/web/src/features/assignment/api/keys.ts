/*
 * The keys of this feature's own queries: the rules and forms are read only on the pools
 * page, so they stay here rather than in the shared list.
 */
export const assignmentKeys = {
  rules: ['assignment', 'rules'] as const,
  intakeForms: ['assignment', 'intake-forms'] as const,
};
