/**
 * A separate process using one shared rate gate, for test/store/rate-gates.test.ts: opens the store,
 * waits until the wall-clock moment `at` (so that all such processes ask at once), then takes `count`
 * turns, holding each slot `holdMs` (or forever with `keep`: a process that dies holding it), and
 * prints one JSON line per turn: {"asked", "start" (the gate's start moment), "end"}, epoch ms.
 * Usage: node --import tsx test/helpers/gate-client.ts '<json {target, settings, at, count, holdMs, keep?, parallel?}>'
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { DatabaseTarget } from '../../src/config/config.ts';
import type { RateGateSettings } from '../../src/domain/rate-gate.ts';
import { openStore } from '../../src/store/store.ts';

const job = JSON.parse(process.argv[2]!) as { target: DatabaseTarget; settings: RateGateSettings; at: number; count: number; holdMs: number; keep?: boolean; parallel?: boolean };
const store = await openStore(job.target);
const gate = store.rateGates.open(job.settings);
await delay(Math.max(0, job.at - Date.now()));
const turn = async () => {
  const asked = Date.now();
  const slot = await gate.acquire();
  await delay(job.holdMs);
  process.stdout.write(JSON.stringify({ asked, start: slot.startedAt, end: Date.now() }) + '\n');
  if (job.keep) await new Promise(() => {}); // dies holding the slot (the test kills it)
  await slot.release();
};
if (job.parallel) await Promise.all(Array.from({ length: job.count }, turn));
else for (let i = 0; i < job.count; i += 1) await turn();
await store.close();
