import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { Tx } from '@gke-emulator/db';

/** Projects exist implicitly: the first write in a project creates it, with a project number like Google's. */
@Injectable()
export class ProjectRepository {
  async ensure(tx: Tx, project: string): Promise<void> {
    await tx.$executeRaw`insert into project (id, number) values (${project}, ${newProjectNumber()}) on conflict (id) do nothing`;
  }
}

/** A project number like Google's (12 digits or so); used only when the project is first created. */
export function newProjectNumber(): bigint {
  return BigInt(randomInt(100_000_000, 281_474_976_710_655));
}
