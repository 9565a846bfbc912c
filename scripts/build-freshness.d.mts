export function newestMtime(dir: string): number;
export function isFresh(output: string, sourceDirs: string[]): boolean;
