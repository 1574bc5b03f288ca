/**
 * CPU and memory use of the machine the monitor runs on, for the episode's resource rule
 * (CPU or memory above 80 %). CPU is the busy share of all cores between two readings (from
 * the kernel's per-core tick counters, `os.cpus()`, i.e. /proc/stat); memory is 1 − MemAvailable /
 * MemTotal from /proc/meminfo (page cache is available memory, as `free` counts it), or
 * `os.freemem()` where /proc is absent. Meaningful for a database on the same host, as in the
 * workbook's loopback clusters; for a remote database, scrape node_exporter there instead.
 */
import * as fs from 'fs';
import * as os from 'os';

export interface HostResources {
  cpuRatio: number | null;
  memoryRatio: number | null;
}

function cpuTicks(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    const all = t.user + t.nice + t.sys + t.idle + t.irq;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total };
}

function memoryRatio(): number | null {
  try {
    const text = fs.readFileSync('/proc/meminfo', 'utf8');
    const total = Number(/^MemTotal:\s+(\d+)/m.exec(text)?.[1]);
    const available = Number(/^MemAvailable:\s+(\d+)/m.exec(text)?.[1]);
    if (total > 0 && Number.isFinite(available)) return 1 - available / total;
  } catch {
    // No /proc (macOS, Windows): fall back to what Node reports.
  }
  const total = os.totalmem();
  return total > 0 ? 1 - os.freemem() / total : null;
}

/** A reader: each call returns the CPU share busy since the previous call (null the first time). */
export function hostResourceReader(): () => HostResources {
  let previous = cpuTicks();
  let first = true;
  return () => {
    const now = cpuTicks();
    const dt = now.total - previous.total;
    const cpuRatio = first || dt <= 0 ? null : (now.busy - previous.busy) / dt;
    previous = now;
    first = false;
    return { cpuRatio, memoryRatio: memoryRatio() };
  };
}
