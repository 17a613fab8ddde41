/**
 * One write job at a time per AppContext: the scheduled pass and admin actions (a pass, a
 * re-summarise) share it, so they never run twice over the same store at once. Returns null, without
 * starting the task, when a job is already running.
 */
const running = new WeakMap<object, Promise<unknown>>();

export function runExclusive<T>(owner: object, task: () => Promise<T>): Promise<T> | null {
  if (running.has(owner)) return null;
  const job = task().finally(() => running.delete(owner));
  running.set(owner, job);
  return job;
}
