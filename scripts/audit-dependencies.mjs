#!/usr/bin/env node
// Dependency audit gate (issue 9): `npm audit` of what ships (--omit=dev) and of everything, failing on
// any high or critical advisory. Exit codes: 0 audited and clean, 1 high/critical advisories found,
// 2 not audited (the registry's audit endpoint did not answer: these build machines' registry answers
// 405), so a caller can tell "clean" from "could not look" and never mistakes one for the other.
import { spawnSync } from 'node:child_process';

const FAILING = ['high', 'critical'];

function audit(args) {
  const run = spawnSync('npm', ['audit', '--json', ...args], { encoding: 'utf8' });
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return { ok: false, reason: `npm audit printed no JSON (exit ${run.status}): ${run.stderr.trim().slice(0, 300)}` };
  }
  // An unreachable or refusing endpoint comes back as an error object, not as a report.
  if (report.error || report.statusCode || !report.metadata?.vulnerabilities) {
    const status = report.statusCode ?? report.error?.code ?? 'no report';
    return { ok: false, reason: `the audit endpoint did not answer (${status}): ${report.message ?? report.error?.summary ?? ''}`.trim() };
  }
  return { ok: true, counts: report.metadata.vulnerabilities, advisories: report.vulnerabilities ?? {} };
}

let failed = false;
let unaudited = false;
for (const [label, args] of [
  ['shipped dependencies (npm audit --omit=dev)', ['--omit=dev']],
  ['all dependencies (npm audit)', []],
]) {
  const result = audit(args);
  if (!result.ok) {
    unaudited = true;
    console.error(`dependency audit, ${label}: NOT AUDITED: ${result.reason}`);
    continue;
  }
  const counts = result.counts;
  const serious = FAILING.reduce((sum, level) => sum + (counts[level] ?? 0), 0);
  console.log(`dependency audit, ${label}: ${Object.entries(counts).map(([level, n]) => `${level} ${n}`).join(', ')}`);
  if (serious > 0) {
    failed = true;
    for (const [name, v] of Object.entries(result.advisories)) {
      if (FAILING.includes(v.severity)) console.error(`  ${v.severity}: ${name} ${v.range ?? ''}`);
    }
  }
}
process.exit(failed ? 1 : unaudited ? 2 : 0);
