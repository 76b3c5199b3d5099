export * from './errors.ts';
export * from './common.ts';
export * from './roles.ts';
export * from './org.ts';
export * from './users.ts';
export * from './auth.ts';
export * from './audit.ts';
export * from './leads.ts';
