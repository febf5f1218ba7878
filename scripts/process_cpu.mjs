// CPU time of another process (Linux), with nanosecond resolution: the sum over its threads of
// the first field of /proc/<pid>/task/<tid>/schedstat (time spent on a CPU). /proc/<pid>/stat
// would count in 10 ms ticks, too coarse to attribute a fraction of a millisecond to a request.
import { readFileSync, readdirSync } from 'node:fs';

/** Nanoseconds of CPU the process `pid` has used so far, or null where /proc cannot tell. */
export function processCpuNs(pid) {
  let total = 0;
  let tasks;
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return null;
  }
  for (const tid of tasks) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read: its time is gone with it.
    }
  }
  return total;
}
