/** The package version, recorded in `execution.runner.version`. */
export const VERSION = '0.1.0';
