#!/usr/bin/env node
// Points Debian's Prometheus (apt-get install prometheus) at a running TaskFlow, lets it scrape /metrics a few
// times, then asks it, through its own query API, for the request histogram it stored. Shows that the
// exposition is something a real Prometheus accepts and keeps, not only what promtool lints.
//
//   node scripts/prometheus-scrape.mjs [TaskFlow URL, default http://127.0.0.1:8000]
//   METRICS_TOKEN=... node scripts/prometheus-scrape.mjs https://api.example.com
//
// Prometheus runs on a free port of 127.0.0.1 with a throw-away data folder, and stops at the end.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const target = new URL(process.argv[2] ?? 'http://127.0.0.1:8000');
const token = process.env.METRICS_TOKEN;
const DEADLINE_MS = 60_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function query(api, promql) {
  const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
  if (!response.ok) throw new Error(`Prometheus answered ${response.status} to ${promql}`);
  return (await response.json()).data.result;
}

if (!existsSync(PROMETHEUS)) {
  console.error(`${PROMETHEUS} is missing: apt-get install prometheus (or set PROMETHEUS_BIN).`);
  process.exit(2);
}

const workDir = mkdtempSync(join(tmpdir(), 'taskflow-prometheus-'));
const port = await freePort();
const api = `http://127.0.0.1:${port}`;
const config = [
  'global:',
  '  scrape_interval: 2s',
  'scrape_configs:',
  '  - job_name: taskflow',
  `    scheme: ${target.protocol.replace(':', '')}`,
  '    metrics_path: /metrics',
  ...(token ? ['    authorization:', '      type: Bearer', `      credentials_file: ${join(workDir, 'token')}`] : []),
  '    static_configs:',
  `      - targets: ['${target.host}']`,
  '',
].join('\n');
writeFileSync(join(workDir, 'prometheus.yml'), config);
if (token) writeFileSync(join(workDir, 'token'), token, { mode: 0o600 });

const prometheus = spawn(
  PROMETHEUS,
  [
    `--config.file=${join(workDir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(workDir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ],
  { stdio: ['ignore', 'ignore', 'pipe'] },
);
let prometheusLog = '';
prometheus.stderr.on('data', (chunk) => (prometheusLog = (prometheusLog + chunk).slice(-4000)));
const stop = () => {
  prometheus.kill('SIGTERM');
  rmSync(workDir, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  stop();
  process.exit(130);
});

let exitCode = 1;
try {
  console.log(`Prometheus ${api} scraping ${target.origin}/metrics every 2 s${token ? ' with METRICS_TOKEN' : ''}...`);
  const deadline = Date.now() + DEADLINE_MS;
  let series = [];
  let up;
  while (Date.now() < deadline) {
    // Some traffic of our own, so that the histogram has something to show even on an idle server.
    await fetch(`${target.origin}/health`).catch(() => undefined);
    try {
      up = (await query(api, 'up{job="taskflow"}'))[0]?.value?.[1];
      series = await query(api, 'taskflow_http_request_duration_seconds_count{job="taskflow"}');
      if (up === '1' && series.length > 0) break;
    } catch {
      // Prometheus is still starting.
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (up !== '1' || series.length === 0) {
    const targets = await fetch(`${api}/api/v1/targets`).then((response) => response.json()).catch(() => undefined);
    const lastError = targets?.data?.activeTargets?.[0]?.lastError;
    throw new Error(`no request histogram scraped within ${DEADLINE_MS / 1000} s (up=${up ?? 'unknown'}${lastError ? `, last error: ${lastError}` : ''})`);
  }
  console.log('\nScraped taskflow_http_request_duration_seconds_count (requests by method, route template and status class):');
  for (const { metric, value } of series.sort((a, b) => a.metric.route.localeCompare(b.metric.route))) {
    console.log(`  ${metric.method.padEnd(6)} ${metric.route.padEnd(28)} ${metric.status_class}  ${value[1]}`);
  }
  const p95 = await query(api, 'histogram_quantile(0.95, sum by (le, route) (taskflow_http_request_duration_seconds_bucket{job="taskflow"}))');
  console.log('\n95th percentile of the request duration by route (from the scraped buckets):');
  for (const { metric, value } of p95) console.log(`  ${String(metric.route).padEnd(28)} ${(Number(value[1]) * 1000).toFixed(1)} ms`);
  console.log('\nPASS Prometheus scraped the request histogram');
  exitCode = 0;
} catch (error) {
  console.log(`FAIL ${error.message}`);
  if (prometheusLog) console.error(prometheusLog);
} finally {
  stop();
}
process.exit(exitCode);
