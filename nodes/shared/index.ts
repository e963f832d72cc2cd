/** Public entry of the package for scripts: the Bitbucket client and its building blocks, and the sync store. */
export * from './bitbucket/auth';
export * from './bitbucket/client';
export * from './bitbucket/errors';
export * from './bitbucket/paths';
export * from './bitbucket/request';
export * from './bitbucket/retry';
export * from './bitbucket/transport';
export type * from './bitbucket/types';
export * as sync from './sync';
