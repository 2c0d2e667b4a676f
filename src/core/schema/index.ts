export * from './common.ts';
export * from './entry.ts';
export * from './notebook.ts';
export * from './page.ts';
