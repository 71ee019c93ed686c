import type { MigrationInterface, QueryRunner } from "typeorm";

// Written by hand: the access log is append-only. Triggers refuse UPDATE and DELETE for every database user
// that cannot drop triggers; `npm run audit:verify` still detects a change made by someone who can.
export class AccessLogAppendOnly1795461984306 implements MigrationInterface {
  name = "AccessLogAppendOnly1795461984306";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END");
    await queryRunner.query("CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TRIGGER access_log_no_delete");
    await queryRunner.query("DROP TRIGGER access_log_no_update");
  }
}
