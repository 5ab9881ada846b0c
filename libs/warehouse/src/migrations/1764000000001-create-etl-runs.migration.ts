import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEtlRuns1764000000001 implements MigrationInterface {
  name = 'CreateEtlRuns1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE etl_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        trigger text NOT NULL CHECK (trigger IN ('manual', 'schedule')),
        status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        window_from timestamptz NOT NULL,
        window_to timestamptz NOT NULL CHECK (window_to > window_from),
        rows_loaded integer NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    // One run at a time: at most one row may be queued or running.
    await queryRunner.query(`CREATE UNIQUE INDEX etl_run_one_active ON etl_run ((true)) WHERE status IN ('queued', 'running')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE etl_run');
  }
}
