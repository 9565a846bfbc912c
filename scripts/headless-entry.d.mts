export function dashboardIsFresh(root: string): boolean;
export function desktopIsFresh(root: string): boolean;
export function build(root: string, why: string): boolean;
export function ensureDashboard(root: string): void;
export function headlessArgs(root: string): string[];
export function runHeadless(root: string): Promise<unknown>;
