import { z } from "zod";
import type { JobLog, JobRecord, Lease, Leases } from "../../ports/leases.ts";
import { date, int, parseRow } from "./_db.ts";
import type { Sql } from "./connect.ts";

const LeaseRow = z.object({ name: z.string(), holder: z.string(), expires_at: date });

const JobRow = z.object({
  name: z.string(),
  id: z.string(),
  status: z.enum(["running", "succeeded", "failed"]),
  progress: int,
  started_at: date,
  finished_at: date.nullable(),
  error: z.string().nullable(),
});

/**
 * Leases in the `leases` table, on PostgreSQL's clock. Taking one is a single upsert that only
 * overwrites an expired row or the holder's own, so concurrent takers are serialized by the
 * primary key and exactly one of them wins.
 */
export class PostgresLeases implements Leases {
  constructor(private readonly sql: Sql) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows = await this.sql`
      INSERT INTO leases AS l (name, holder, expires_at)
      VALUES (${name}, ${holder}, clock_timestamp() + ${ttlMs} * interval '1 millisecond')
      ON CONFLICT (name) DO UPDATE
        SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE l.expires_at <= clock_timestamp() OR l.holder = excluded.holder
      RETURNING name`;
    return rows.length === 1;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows = await this.sql`
      UPDATE leases SET expires_at = clock_timestamp() + ${ttlMs} * interval '1 millisecond'
      WHERE name = ${name} AND holder = ${holder} AND expires_at > clock_timestamp()
      RETURNING name`;
    return rows.length === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this.sql`DELETE FROM leases WHERE name = ${name} AND holder = ${holder}`;
  }

  async current(name: string): Promise<Lease | null> {
    const [row] = await this.sql`
      SELECT name, holder, expires_at FROM leases
      WHERE name = ${name} AND expires_at > clock_timestamp()`;
    if (!row) return null;
    const r = parseRow(LeaseRow, row, "leases");
    return { name: r.name, holder: r.holder, expiresAt: r.expires_at };
  }
}

/** The latest run per job name in `job_runs`. */
export class PostgresJobLog implements JobLog {
  constructor(private readonly sql: Sql) {}

  async save(job: JobRecord): Promise<void> {
    await this.sql`
      INSERT INTO job_runs (name, id, status, progress, started_at, finished_at, error)
      VALUES (${job.name}, ${job.id}, ${job.status}, ${job.progress}, ${job.startedAt},
              ${job.finishedAt}, ${job.error})
      ON CONFLICT (name) DO UPDATE
        SET id = excluded.id, status = excluded.status, progress = excluded.progress,
            started_at = excluded.started_at, finished_at = excluded.finished_at,
            error = excluded.error`;
  }

  async latest(name: string): Promise<JobRecord | null> {
    const [row] = await this.sql`
      SELECT name, id, status, progress, started_at, finished_at, error
      FROM job_runs WHERE name = ${name}`;
    if (!row) return null;
    const r = parseRow(JobRow, row, "job_runs");
    return {
      name: r.name,
      id: r.id,
      status: r.status,
      progress: r.progress,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      error: r.error,
    };
  }
}
