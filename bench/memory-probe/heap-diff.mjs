// node bench/memory-probe/heap-diff.mjs OLD.heapsnapshot NEW.heapsnapshot: what the heap gained between two snapshots,
// counted by node type and constructor, largest change first; plus the new snapshot's strings grouped by their first
// 24 characters (a ring of event texts shows up as many strings starting {"type":"…). See probe.mjs.
import { readFileSync } from 'node:fs';

function load(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const { node_fields: fields, node_types: nodeTypes } = snap.snapshot.meta;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byKind = new Map();
  const strings = new Map();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = nodeTypes[0][snap.nodes[i + typeAt]];
    const name = snap.strings[snap.nodes[i + nameAt]];
    const size = snap.nodes[i + sizeAt];
    const kind = `${type}:${['object', 'closure', 'native'].includes(type) ? name : ''}`;
    add(byKind, kind, size);
    if (type === 'string') add(strings, name.slice(0, 24), size);
  }
  return { byKind, strings };
}

function add(map, key, size) {
  const e = map.get(key) ?? { count: 0, bytes: 0 };
  e.count++;
  e.bytes += size;
  map.set(key, e);
}

const [before, after] = process.argv.slice(2).map(load);
const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
const zero = { count: 0, bytes: 0 };
const rows = [...new Set([...before.byKind.keys(), ...after.byKind.keys()])].map((k) => {
  const a = before.byKind.get(k) ?? zero;
  const b = after.byKind.get(k) ?? zero;
  return { k, count: b.count - a.count, bytes: b.bytes - a.bytes, now: b };
});
rows.sort((x, y) => Math.abs(y.bytes) - Math.abs(x.bytes));
for (const r of rows.slice(0, 25))
  console.log(`${r.count >= 0 ? '+' : ''}${r.count}\t${kb(r.bytes)}\t(now ${r.now.count}, ${kb(r.now.bytes)})\t${r.k}`);
console.log('\nlargest string groups in the second snapshot:');
for (const [k, v] of [...after.strings].sort((x, y) => y[1].bytes - x[1].bytes).slice(0, 15))
  console.log(`${v.count}\t${kb(v.bytes)}\t${JSON.stringify(k)}`);
