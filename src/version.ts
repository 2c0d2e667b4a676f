/** The package version (from the package's package.json), recorded in `execution.runner.version`. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_DIR } from './package-files.ts';

export const VERSION: string = (JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
