// Processes seen from /proc (Linux): who a process's children are and how much memory a process and its descendants
// hold. Used by the serve-script test (one process) and the memory bench (resident memory over time).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** the executable's name as the kernel keeps it (e.g. node, esbuild) */
  comm: string;
}

function info(pid: number): ProcessInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so the fields are read after its last ')'
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { pid, ppid, comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) };
  } catch {
    return null; // it ended while the list was read
  }
}

/** every process running now */
function all(): ProcessInfo[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map((n) => info(Number(n)))
    .filter((p): p is ProcessInfo => p !== null);
}

export function childrenOf(pid: number): ProcessInfo[] {
  return all().filter((p) => p.ppid === pid);
}

/** `pid` and all its descendants */
export function processTree(pid: number): ProcessInfo[] {
  const procs = all();
  const tree = procs.filter((p) => p.pid === pid);
  for (let i = 0; i < tree.length; i++) tree.push(...procs.filter((p) => p.ppid === tree[i].pid));
  return tree;
}

/** resident memory of one process, bytes (0 once it has ended) */
export function rssOf(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
