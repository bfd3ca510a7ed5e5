import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database } from '@gke-emulator/db';

type Json = Record<string, unknown>;

export interface StoredTest {
  name: string;
  resource: Json;
  createTime: Date;
  updateTime: Date;
}

interface TestRow {
  name: string;
  resource: Json;
  create_time: Date;
  update_time: Date;
}

const toStored = (row: TestRow): StoredTest => ({
  name: row.name,
  resource: row.resource,
  createTime: row.create_time,
  updateTime: row.update_time,
});

/** Connectivity Tests and their operations: each write stores the test and its operation in one statement. */
@Injectable()
export class ConnectivityTestRepository {
  constructor(private readonly db: Database) {}

  /** False when a test of that name exists already. */
  async insert(
    project: string,
    test: StoredTest,
    operation: { name: string; resource: Json },
  ): Promise<boolean> {
    const rows = await this.db.query<{ name: string }>(
      `WITH p AS (INSERT INTO project (id, number) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING),
            t AS (INSERT INTO connectivity_test (project_id, name, resource, create_time, update_time)
                  VALUES ($1, $3, $4, $5, $5) ON CONFLICT (project_id, name) DO NOTHING RETURNING name),
            o AS (INSERT INTO network_management_operation (project_id, name, resource, create_time)
                  SELECT $1, $6, $7, $5 FROM t)
       SELECT name FROM t`,
      [
        project,
        String(randomInt(100_000_000, 281_474_976_710_655)),
        test.name,
        test.resource,
        test.createTime,
        operation.name,
        operation.resource,
      ],
    );
    return rows.length > 0;
  }

  /** Replaces a test's resource (patch, rerun); false when it no longer exists. */
  async update(
    project: string,
    test: StoredTest,
    operation: { name: string; resource: Json },
  ): Promise<boolean> {
    const rows = await this.db.query<{ name: string }>(
      `WITH t AS (UPDATE connectivity_test SET resource = $3, update_time = $4
                   WHERE project_id = $1 AND name = $2 RETURNING name),
            o AS (INSERT INTO network_management_operation (project_id, name, resource, create_time)
                  SELECT $1, $5, $6, $4 FROM t)
       SELECT name FROM t`,
      [project, test.name, test.resource, test.updateTime, operation.name, operation.resource],
    );
    return rows.length > 0;
  }

  async delete(
    project: string,
    name: string,
    operation: { name: string; resource: Json },
    at: Date,
  ): Promise<boolean> {
    const rows = await this.db.query<{ name: string }>(
      `WITH t AS (DELETE FROM connectivity_test WHERE project_id = $1 AND name = $2 RETURNING name),
            o AS (INSERT INTO network_management_operation (project_id, name, resource, create_time)
                  SELECT $1, $3, $4, $5 FROM t)
       SELECT name FROM t`,
      [project, name, operation.name, operation.resource, at],
    );
    return rows.length > 0;
  }

  async find(project: string, name: string): Promise<StoredTest | undefined> {
    const [row] = await this.db.query<TestRow>(
      `SELECT name, resource, create_time, update_time FROM connectivity_test WHERE project_id = $1 AND name = $2`,
      [project, name],
    );
    return row && toStored(row);
  }

  /** Whether the project keeps any test (what decides whether a change of its data plane reruns anything). */
  async any(project: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM connectivity_test WHERE project_id = $1 LIMIT 1`, [
      project,
    ]);
    return rows.length > 0;
  }

  /** Whether any project keeps a test (what decides whether the API follows data-plane changes from its start). */
  async anyProject(): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM connectivity_test LIMIT 1`);
    return rows.length > 0;
  }

  async list(project: string): Promise<StoredTest[]> {
    const rows = await this.db.query<TestRow>(
      `SELECT name, resource, create_time, update_time FROM connectivity_test WHERE project_id = $1 ORDER BY name`,
      [project],
    );
    return rows.map(toStored);
  }

  async findOperation(project: string, name: string): Promise<Json | undefined> {
    const [row] = await this.db.query<{ resource: Json }>(
      `SELECT resource FROM network_management_operation WHERE project_id = $1 AND name = $2`,
      [project, name],
    );
    return row?.resource;
  }

  async listOperations(project: string): Promise<Json[]> {
    const rows = await this.db.query<{ resource: Json }>(
      `SELECT resource FROM network_management_operation WHERE project_id = $1 ORDER BY create_time, name`,
      [project],
    );
    return rows.map((row) => row.resource);
  }

  async deleteOperation(project: string, name: string): Promise<boolean> {
    const rows = await this.db.query<{ name: string }>(
      `DELETE FROM network_management_operation WHERE project_id = $1 AND name = $2 RETURNING name`,
      [project, name],
    );
    return rows.length > 0;
  }
}
