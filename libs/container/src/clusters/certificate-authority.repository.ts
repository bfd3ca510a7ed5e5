import { Injectable } from '@nestjs/common';
import { Database } from '@gke-emulator/db';

/** The SQL of the certificate authority: its material and the serving certificate, as `setting` rows. */
@Injectable()
export class CertificateAuthorityRepository {
  constructor(private readonly db: Database) {}

  async read<T>(key: string): Promise<T | undefined> {
    const rows = await this.db.query<{ value: T }>(`SELECT value FROM setting WHERE key = $1`, [key]);
    return rows[0]?.value;
  }

  /** Stores the value unless the key has one already (the first writer wins). */
  async insertIfAbsent(key: string, value: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO setting (key, value) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO NOTHING`,
      [key, JSON.stringify(value)],
    );
  }

  /** Stores the value, replacing the key's (the last writer wins). */
  async upsert(key: string, value: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO setting (key, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [key, JSON.stringify(value)],
    );
  }
}
