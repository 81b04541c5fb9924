// Starting the servers under test and reading their resource use from /proc (Linux only).
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';

// Servers still running if the harness dies, killed on the way out so no orphan keeps a port.
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
// A signal would end the harness without the 'exit' event; exit properly so the handler above runs.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export function getStatus(port, path = '/health') {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
  });
}

/**
 * Spawns a server and resolves once GET /health answers 200; coldStartMs is spawn to that first healthy answer.
 * stdout is discarded (request logs would cost the server time and say nothing here); stderr is kept for errors.
 */
export async function startServer({ name, args, env, port, timeoutMs = 60_000 }) {
  if ((await getStatus(port)) !== null) throw new Error(`port ${port} is already in use; stop whatever listens there`);
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  let exited = null;
  running.add(child);
  child.once('exit', (code, signal) => {
    exited = { code, signal };
    running.delete(child);
  });
  for (;;) {
    if (exited) throw new Error(`${name} exited (${exited.code ?? exited.signal}) before it was healthy:\n${stderr}`);
    if ((await getStatus(port)) === 200) break;
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not healthy after ${timeoutMs} ms:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const coldStartMs = performance.now() - started;
  return {
    name,
    pid: child.pid,
    coldStartMs,
    stderr: () => stderr,
    exited: () => exited,
    cpuMs: () => cpuMs(child.pid),
    peakRssMb: () => statusField(child.pid, 'VmHWM') / 1024,
    rssMb: () => statusField(child.pid, 'VmRSS') / 1024,
    // Writing 5 to clear_refs resets VmHWM, so the next reading is the peak of one scenario alone.
    resetPeakRss: () => writeFileSync(`/proc/${child.pid}/clear_refs`, '5'),
    /** Throws with the server's last stderr lines when it is no longer running. */
    assertAlive() {
      if (exited) throw new Error(`${name} exited (${exited.code ?? exited.signal}) during the benchmark:\n${stderr}`);
    },
    stop: () => stopChild(child, () => exited),
  };
}

async function stopChild(child, exited) {
  if (exited()) return;
  const done = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(timer);
}

/** CPU time (ms) a process has used so far, all its threads. */
export function cpuMs(pid) {
  // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) cover every thread, libuv's pool included. The command
  // name (field 2) may contain spaces, so count from the closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function statusField(pid, field) {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return match ? Number(match[1]) : NaN;
}
