// Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof`): where the API's CPU time goes, by package
// and by function, so a slow scenario can be traced to its cause without opening DevTools.
// Usage: node bench/profile-summary.mjs bench/.data/profiles/<file>.cpuprofile [top=25] [filter]
// The last table is inclusive time (a function and everything it called) of the app's own functions and of the
// request pipeline's pieces (middleware, guards, pipes, interceptors, filters, serialization, statements), i.e.
// each piece's share of the profile; `filter` keeps the rows whose name or file contains it.
import { readFileSync } from 'node:fs';

const [file, topArg, filter] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self time per node: samples are taken at regular intervals, timeDeltas[i] is the time before sample i.
const selfMicros = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  selfMicros.set(profile.samples[i], (selfMicros.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

function packageOf(url) {
  if (!url) return '(native/V8)';
  const match = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (match) return match[1];
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/dist/')) return 'app (dist)';
  return url.replace(/^file:\/\//, '');
}

const byPackage = new Map();
const byFunction = new Map();
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0) continue;
  const { functionName, url, lineNumber } = node.callFrame;
  const pkg = ['(garbage collector)', '(program)', '(idle)'].includes(functionName) ? functionName : packageOf(url);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
  const key = `${functionName || '(anonymous)'}  ${url ? `${url.replace(/^.*node_modules\//, '')}:${lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
}

const pct = (micros) => `${((micros / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\nSelf time by package:');
for (const [pkg, micros] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(micros)}  ${pkg}`);
console.log('\nSelf time by function:');
for (const [fn, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(micros)}  ${fn}`);

// Inclusive time: each node's self time plus its descendants', counted once per function even when it recurses.
const children = new Map(profile.nodes.map((node) => [node.id, node.children ?? []]));
const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
const inclusive = new Map();
const labelOf = ({ functionName, url, lineNumber }) =>
  `${functionName || '(anonymous)'}  ${url ? `${url.replace(/^.*(node_modules|dist)\//, '$1/')}:${lineNumber + 1}` : ''}`;
function visit(id, onStack) {
  const label = labelOf(frames.get(id));
  const entered = !onStack.has(label);
  if (entered) onStack.add(label);
  let micros = selfMicros.get(id) ?? 0;
  for (const child of children.get(id)) micros += visit(child, onStack);
  if (entered) {
    onStack.delete(label);
    inclusive.set(label, (inclusive.get(label) ?? 0) + micros);
  }
  return micros;
}
visit(profile.nodes[0].id, new Set());
const interesting = ([label]) => (filter ? label.includes(filter)
  : /dist\/|express\/lib|body-parser|cookie-parser|helmet|cors\/|pino-http|class-validator|class-transformer|typeorm\/(driver|query-runner|entity-manager)|pg\/lib\/client|better-sqlite3|@nestjs\/core\/(router|guards|pipes|interceptors|exceptions)/.test(label))
  && !/^\(anonymous\) .*:1$/.test(label);
console.log('\nInclusive time (the function and what it called):');
for (const [label, micros] of [...inclusive].filter(interesting).sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`  ${pct(micros)}  ${label}`);
}
