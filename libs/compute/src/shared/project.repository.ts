import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { Database, type Tx } from '@gke-emulator/db';

/** Projects exist implicitly: the first write in a project creates it, with a project number like Google's. */
@Injectable()
export class ProjectRepository {
  constructor(private readonly db: Database) {}

  /** Every project, by ID. */
  async list(): Promise<{ projectId: string; projectNumber: string; createTime: string }[]> {
    return this.db.query(
      `select id as "projectId", number::text as "projectNumber",
              to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createTime"
         from project order by id collate "C"`,
    );
  }

  async ensure(tx: Tx, project: string): Promise<void> {
    await tx.$executeRaw`insert into project (id, number) values (${project}, ${newProjectNumber()}) on conflict (id) do nothing`;
  }

  /** The project's number (created with the project if it has none yet), as Google prints it. */
  async number(tx: Tx, project: string): Promise<string> {
    await this.ensure(tx, project);
    const [row] = await tx.$queryRaw<
      { number: string }[]
    >`select number::text as number from project where id = ${project}`;
    return row?.number ?? '';
  }
}

/** A project number like Google's (12 digits); used only when the project is first created. */
export function newProjectNumber(): bigint {
  return BigInt(randomInt(100_000_000_000, 999_999_999_999));
}
