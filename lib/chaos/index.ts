/**
 * lib/chaos: faults for real processes on loopback — the simulator's fault schedules, for
 * real engines. A FaultNetwork holds which directed links are cut (black-holed or reset) and
 * what delay each adds (from data/rtt-ms.json); FaultProxy instances in front of each server
 * apply it to every byte. ManagedProcess pauses (SIGSTOP/SIGCONT), kills (SIGKILL) and
 * restarts a server; ProcessWatchdog kills everything we started if we die without a teardown.
 */
export * from './process-watchdog';
export * from './managed-process';
export * from './fault-network';
export * from './fault-proxy';
