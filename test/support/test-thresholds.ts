/**
 * Thresholds for integration tests' configs. The real test host is this machine, so its own
 * state must never add a cause: a load of 4 on 2 cores (CI may be busy), a nearly full disk or
 * little free memory would otherwise turn into cpu-overload, disk-full or memory-pressure beside
 * the fault a test makes. Tests of those rules set their thresholds themselves.
 */
export const CALM_MACHINE = { loadPerCore: 1000, diskUsedPercent: 100, memAvailablePercent: 0, swapUsedPercent: 100 } as const;

/** Short timeouts (faults are made on loopback) on a machine that is never "overloaded". */
export const TEST_THRESHOLDS = { healthTimeout: '1500ms', commandTimeout: '4s', ...CALM_MACHINE } as const;
