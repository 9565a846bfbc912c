// The rooms of src-main and the floors they stand on, checked from the imports themselves (docs: README, Project
// layout). A file imports its own room or a lower floor, never one above it; no files import each other in a circle;
// the engine knows no transport and no Electron; the renderer never reaches into the main process.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** low to high: a room may import rooms on its own floor only where ALLOWED_SIDEWAYS says so */
const FLOORS: Record<string, number> = {
  'src-shared': 0,
  engine: 1,
  operations: 2,
  server: 3,
  ipc: 3,
  fleet: 3,
  desktop: 3,
  notify: 3,
  app: 4,
  shell: 5,
  cli: 5,
  root: 6,
};
/** tokens are the server's auth: the desktop's token operations use its store; webhooks and Telegram are fed by the
 * desktop's notification rules and keep their secrets with its keychain cipher */
const ALLOWED_SIDEWAYS = new Set(['desktop->server', 'notify->desktop']);

const ROOT = resolve(__dirname, '../..');
const SPEC = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

function resolveImport(from: string, spec: string): string | null {
  const p = resolve(dirname(from), spec);
  for (const c of [p, `${p}.ts`, `${p}.tsx`, join(p, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

interface Edge {
  from: string;
  to: string | null;
  spec: string;
}
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(SPEC)].map((m) => {
    const spec = m[1] ?? m[2];
    return { from: file, spec, to: spec.startsWith('.') ? resolveImport(file, spec) : null };
  });
}

/** src-main/<room>/… → room; src-main/index.ts and headless.ts are the roots */
function roomOf(file: string): string | null {
  const rel = relative(ROOT, file).split('/');
  if (rel[0] === 'src-shared') return 'src-shared';
  if (rel[0] !== 'src-main') return null;
  return rel.length === 2 ? 'root' : rel[1];
}

const mainFiles = [...sourceFiles(join(ROOT, 'src-main')), ...sourceFiles(join(ROOT, 'src-shared'))];
const edges = mainFiles.flatMap(importsOf);
const name = (f: string) => relative(ROOT, f);

describe('the house: rooms, floors and boundaries', () => {
  it('every room of src-main is on a floor', () => {
    const rooms = new Set(mainFiles.map(roomOf));
    expect([...rooms].filter((r) => r !== null && !(r in FLOORS))).toEqual([]);
  });

  it('no import runs up a floor (or sideways, except where allowed)', () => {
    const wrong: string[] = [];
    for (const e of edges) {
      if (!e.to) continue;
      const [a, b] = [roomOf(e.from), roomOf(e.to)];
      if (a === null || b === null || a === b) continue;
      const up = FLOORS[b] > FLOORS[a];
      const sideways = FLOORS[b] === FLOORS[a] && !ALLOWED_SIDEWAYS.has(`${a}->${b}`);
      if (up || sideways) wrong.push(`${name(e.from)} → ${name(e.to)} (${a} → ${b})`);
    }
    expect(wrong).toEqual([]);
  });

  it('no files import each other in a circle', () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) if (e.to) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    // Tarjan's strongly connected components: any with two or more files is a circle
    let index = 0;
    const idx = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    const visit = (v: string): void => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!idx.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const c: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          c.push(name(w));
        } while (w !== v);
        if (c.length > 1) circles.push(c);
      }
    };
    for (const f of mainFiles) if (!idx.has(f)) visit(f);
    expect(circles).toEqual([]);
  });

  it('the engine knows no transport, no UI and no Electron; Electron stays in the shell', () => {
    const banned = /^(electron|ws|react|react-dom|node:http|node:https|http|https)$/;
    const engine = edges.filter((e) => roomOf(e.from) === 'engine' && banned.test(e.spec)).map((e) => `${name(e.from)} imports ${e.spec}`);
    expect(engine).toEqual([]);
    const electron = edges
      .filter((e) => e.spec === 'electron' && !['shell', 'root'].includes(roomOf(e.from) as string))
      .map((e) => name(e.from));
    expect(electron).toEqual([]);
  });

  it('the engine speaks its own language: no HTTP status is chosen there (EngineError; the operations map it)', () => {
    const engineFiles = mainFiles.filter((f) => roomOf(f) === 'engine');
    const http = engineFiles.filter((f) => /\bServiceError\b|\bstatus: (400|404|409|502)\b/.test(readFileSync(f, 'utf8'))).map(name);
    expect(http).toEqual([]);
  });

  it('the renderer and the preload never import the main process', () => {
    const files = [...sourceFiles(join(ROOT, 'src-renderer/src')), ...sourceFiles(join(ROOT, 'src-preload'))];
    const wrong = files
      .flatMap(importsOf)
      .filter((e) => e.to && relative(ROOT, e.to).startsWith('src-main/'))
      .map((e) => `${name(e.from)} → ${name(e.to!)}`);
    expect(wrong).toEqual([]);
  });
});
