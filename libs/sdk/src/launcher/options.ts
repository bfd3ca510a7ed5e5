export type LogLevel = 'silent' | 'error' | 'info' | 'debug';

export interface StartEmulatorOptions {
  /** port of every API; `0` (the default) picks a free one */
  port?: number;
  /** use this PostgreSQL instead of an embedded one */
  databaseUrl?: string;
  /**
   * embedded PostgreSQL data directory, reused between runs (warm start). Default: a slot under
   * `<cache>/gke-emulator/sdk/slot-N` locked by this process (see the README).
   */
  dataDir?: string;
  /** a throw-away embedded database, deleted on stop (no warm start) */
  ephemeral?: boolean;
  /** `'child'` (default): the `gke-emulator` CLI as a child process; `'in-process'`: inside this process */
  mode?: 'child' | 'in-process';
  /** the emulator CLI (`dist/cli/main.js` of the gke-emulator package); see the README for the resolution order */
  bin?: string;
  /** how long to wait for the emulator to be ready (default 60000) */
  timeoutMs?: number;
  /** `silent` (default): keep the emulator's output (its stderr tail goes into errors); else forward it */
  logLevel?: LogLevel;
  /** extra environment of the child process (child mode) */
  env?: Record<string, string | undefined>;
  /** how long new operations stay `RUNNING`, emulator-wide; unset: whatever the database holds (0 when new) */
  operationDelayMs?: number;
  /** first part of the ids `project()` hands out */
  projectPrefix?: string;
  /** start the emulator with `--auth-token`; the returned client sends it */
  authToken?: string;
}

/** How the emulator's process ended. */
export interface EmulatorExit {
  /** exit code, or null when a signal ended it */
  code: number | null;
  signal: string | null;
  /** true when `stop()` ended it; false for a crash */
  expected: boolean;
  /** the last lines it wrote on stderr */
  stderrTail: string;
}
