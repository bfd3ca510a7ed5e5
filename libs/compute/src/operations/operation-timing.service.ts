import { Injectable } from '@nestjs/common';
import { Database } from '@gke-emulator/db';

const KEY = 'operationDelayMs';
const CACHE_MS = 1000;

/**
 * How long new operations stay RUNNING. Stored in the `setting` table so every process against one database
 * agrees; cached for a second because every mutation reads it.
 */
@Injectable()
export class OperationTimingService {
  private cached: { value: number; at: number } | null = null;

  constructor(private readonly db: Database) {}

  async delayMs(): Promise<number> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.value;
    const row = await this.db.prisma.setting.findUnique({ where: { key: KEY } });
    const value = typeof row?.value === 'number' ? row.value : 0;
    this.cached = { value, at: now };
    return value;
  }

  async setDelayMs(value: number): Promise<void> {
    await this.db.prisma.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
    this.cached = { value, at: Date.now() };
  }
}
