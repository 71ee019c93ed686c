import { DEPARTMENTS } from "../../shared/src/config";
import { pendingSchemaChanges } from "../../shared/scripts/generate-migrations";
import { MYSQL_SERVER_URL, dialectsUnderTest, isMysqlAvailable } from "../helpers/databases";

// The committed migrations must build exactly what the entities describe, on both dialects: otherwise a
// deployment on MySQL (which never uses synchronize) would run with a schema the code does not expect.
describe.each(dialectsUnderTest())("migrations on %s", (dialect) => {

  it.each([...DEPARTMENTS])("%s: the migrations leave no pending schema change", async (department) => {
    if (dialect === "mysql" && !(await isMysqlAvailable())) return;
    const pending = await pendingSchemaChanges(department, dialect, MYSQL_SERVER_URL);
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });
});
