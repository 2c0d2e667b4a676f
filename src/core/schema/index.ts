export * from './common.ts';
export * from './notebook.ts';
export * from './page.ts';
export * from './entry.ts';
