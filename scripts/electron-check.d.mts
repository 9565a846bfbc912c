export function electronDir(root: string): string;
export function electronBinary(root: string): string | null;
export function displayProblem(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): string | null;
