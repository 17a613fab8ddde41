import { Cron } from 'croner';
import type { Schedule } from '../config/config.ts';
import type { Logger } from '../log.ts';

/** Hours between two passes of a schedule, as the digest shows it ("updated every 8h"). */
export function updateFrequencyHours(schedule: Schedule): number | null {
  if (schedule.kind === 'interval') return Math.round((schedule.everyMs / 3_600_000) * 10) / 10;
  const [first, second] = new Cron(schedule.expression, { timezone: 'UTC' }).nextRuns(2);
  if (!first || !second) return null;
  return Math.round(((second.getTime() - first.getTime()) / 3_600_000) * 10) / 10;
}

export interface RunningSchedule {
  stop(): void;
}

/**
 * Runs `task` on the schedule, never two at once: a pass that overruns the interval delays the
 * next one instead of overlapping it. Errors are logged, not thrown, so the server keeps serving.
 */
export function startSchedule(schedule: Schedule, task: () => Promise<unknown>, logger: Logger, options: { runNow?: boolean } = {}): RunningSchedule {
  let running = false;
  const tick = async () => {
    if (running) {
      logger.warn('previous pass still running; skipping this tick');
      return;
    }
    running = true;
    try {
      await task();
    } catch (error) {
      logger.error('scheduled pass failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      running = false;
    }
  };
  if (options.runNow) void tick();
  if (schedule.kind === 'interval') {
    const timer = setInterval(() => void tick(), schedule.everyMs);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }
  const job = new Cron(schedule.expression, { timezone: 'UTC', unref: true }, () => void tick());
  return { stop: () => job.stop() };
}
