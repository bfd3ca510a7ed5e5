import { Injectable } from '@nestjs/common';
import { Database, type SqlClient, type Tx } from '@gke-emulator/db';
import { readNumberSetting } from './setting.repository';
import { TIMING_SETTINGS, type TimingSetting, type TimingSettings } from './timing-settings';

const KEY = 'operationDelayMs';
const CACHE_MS = 1000;

function keyOf(project?: string, setting: TimingSetting = KEY): string {
  return project ? `${setting}:${project}` : setting;
}

/**
 * The emulator's timing settings (how long new operations stay RUNNING, how long new pods take to become Ready):
 * emulator-wide, or for one project (so parallel test files can each choose their own). Stored in the `setting`
 * table so every process against one database agrees; cached for a second because every mutation reads them.
 */
@Injectable()
export class OperationTimingService {
  private readonly cache = new Map<string, { value: number | null; at: number }>();

  constructor(private readonly db: Database) {}

  /**
   * The delay that applies to `project`: its own when set, else the emulator-wide one. Inside a unit of work, pass
   * it and the read goes through it: a second pool connection could wait forever behind transactions queued on the
   * lock it holds (under tests the pool refuses such a read).
   */
  async delayMs(project?: string, tx?: SqlClient, setting: TimingSetting = KEY): Promise<number> {
    if (project) {
      const own = await this.read(keyOf(project, setting), tx);
      if (own !== null) return own;
    }
    return (await this.read(setting, tx)) ?? 0;
  }

  /** Every setting as `project` sees it (emulator-wide ones when none is given). */
  async settings(project?: string): Promise<TimingSettings> {
    const settings: Partial<TimingSettings> = {};
    for (const setting of TIMING_SETTINGS)
      settings[setting] = await this.delayMs(project, undefined, setting);
    return settings as TimingSettings;
  }

  /** Sets the settings given (emulator-wide, or for `project`) in one transaction: all of them or none. */
  async update(settings: Partial<TimingSettings>, project?: string): Promise<void> {
    const changed = TIMING_SETTINGS.flatMap((setting) => {
      const value = settings[setting];
      return value === undefined ? [] : [{ key: keyOf(project, setting), value }];
    });
    if (changed.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const { key, value } of changed) {
        await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
      }
      tx.afterCommit(() => {
        for (const { key, value } of changed) this.cache.set(key, { value, at: Date.now() });
      });
    });
  }

  async setDelayMs(value: number, project?: string, setting: TimingSetting = KEY): Promise<void> {
    await this.update({ [setting]: value }, project);
  }

  /** Forgets the settings of one project, or all settings (inside `tx` when given: the cache forgets once it commits). */
  async clear(project?: string, tx?: Tx): Promise<void> {
    const settings = (tx ?? this.db.prisma).setting;
    if (project) {
      const keys = TIMING_SETTINGS.map((setting) => keyOf(project, setting));
      await settings.deleteMany({ where: { key: { in: keys } } });
    }
    // Keys under `emulator.` (the Kubernetes CA) are the emulator's identity, not settings: they survive.
    else await settings.deleteMany({ where: { NOT: { key: { startsWith: 'emulator.' } } } });
    if (tx) tx.afterCommit(() => this.forgetCached());
    else this.forgetCached();
  }

  /** Drops the cached values, so the next read sees the table (after a transaction that changed it commits). */
  forgetCached(): void {
    this.cache.clear();
  }

  private async read(key: string, tx?: SqlClient): Promise<number | null> {
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < CACHE_MS) return cached.value;
    const value = await readNumberSetting(tx ?? this.db, key);
    this.cache.set(key, { value, at: now });
    return value;
  }
}
