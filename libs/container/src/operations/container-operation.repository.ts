import { Injectable } from '@nestjs/common';
import { Database, type Tx } from '@gke-emulator/db';

/** A stored container operation, as its reads render it. */
export interface ContainerOperationRow {
  name: string;
  location: string;
  insert_time: Date;
  done_at: Date;
  resource: Record<string, unknown>;
}

/** The SQL of GKE's operations (table container_operation). */
@Injectable()
export class ContainerOperationRepository {
  constructor(private readonly db: Database) {}

  /** The project's number, as its operations' links name it; null while the project does not exist. */
  async projectNumber(tx: Tx, project: string): Promise<bigint | null> {
    const numbers = await tx.$queryRaw<
      { number: bigint }[]
    >`select number from project where id = ${project}`;
    return numbers[0]?.number ?? null;
  }

  /** Stores an operation in the caller's transaction. */
  async insert(
    tx: Tx,
    operation: {
      id: bigint;
      project: string;
      location: string;
      name: string;
      insertTime: Date;
      doneAt: Date;
      resource: Record<string, unknown>;
    },
  ): Promise<void> {
    await tx.containerOperation.create({
      data: {
        id: operation.id,
        projectId: operation.project,
        location: operation.location,
        name: operation.name,
        insertTime: operation.insertTime,
        doneAt: operation.doneAt,
        resource: operation.resource as object,
      },
    });
  }

  /**
   * The operation named `name` of the project given by id or number, in `location` (any location for `-`);
   * null when there is none.
   */
  async find(project: string, location: string, name: string): Promise<ContainerOperationRow | null> {
    const rows = await this.db.query<ContainerOperationRow>(
      `SELECT o.name, o.location, o.insert_time, o.done_at, o.resource FROM container_operation o
         JOIN project p ON p.id = o.project_id
        WHERE (p.id = $1 OR p.number::text = $1) AND o.name = $2 AND ($3 = '-' OR o.location = $3)`,
      [project, name, location],
    );
    return rows[0] ?? null;
  }

  /** The project's operations in `location` (every location for `-`), oldest first. */
  async list(project: string, location: string): Promise<ContainerOperationRow[]> {
    return this.db.query<ContainerOperationRow>(
      `SELECT name, location, insert_time, done_at, resource FROM container_operation
        WHERE project_id = $1 AND ($2 = '-' OR location = $2) ORDER BY insert_time, name`,
      [project, location],
    );
  }
}
