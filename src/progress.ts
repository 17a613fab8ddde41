import { SingleBar, Presets } from 'cli-progress';
import type { Logger } from './log.ts';

/** Progress of a long step: a bar in a terminal, a log line every few seconds otherwise. */
export interface Progress {
  start(total: number): void;
  /** For sources that learn their size on the way (OAI-PMH's completeListSize). */
  setTotal(total: number): void;
  advance(by?: number): void;
  stop(): void;
}

export type ProgressFactory = (label: string) => Progress;

export const noProgress: ProgressFactory = () => ({ start() {}, setTotal() {}, advance() {}, stop() {} });

export function terminalProgress(label: string): Progress {
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`, hideCursor: true }, Presets.shades_classic);
  return {
    start: (total) => bar.start(total, 0),
    setTotal: (total) => bar.setTotal(total),
    advance: (by = 1) => bar.increment(by),
    stop: () => bar.stop(),
  };
}

export function loggedProgress(logger: Logger, everyMs = 2000): ProgressFactory {
  return (label) => {
    let total = 0;
    let done = 0;
    let lastLog = 0;
    return {
      start(n) {
        total = n;
        done = 0;
        lastLog = Date.now();
        logger.info(`${label}: started`, { total });
      },
      setTotal(n) {
        total = n;
      },
      advance(by = 1) {
        done += by;
        if (Date.now() - lastLog >= everyMs) {
          lastLog = Date.now();
          logger.info(`${label}: progress`, { done, total });
        }
      },
      stop() {
        logger.info(`${label}: finished`, { done, total });
      },
    };
  };
}

/** A bar when stderr is a terminal, periodic log lines otherwise (CI, services, pipes). */
export function progressFor(logger: Logger): ProgressFactory {
  return process.stderr.isTTY ? terminalProgress : loggedProgress(logger);
}
