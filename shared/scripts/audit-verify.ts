/**
 * `npm run audit:verify`: recomputes every department's access-log hash chain. Exits non-zero, naming the
 * department and the first broken entry, when a row was altered or removed (or the log cannot be read).
 */
import "reflect-metadata";
import { verifyChain } from "../src/audit/chain";
import { DEPARTMENTS, databaseUrlFor, type DepartmentName } from "../src/config";
import { createDataSource, detectMysqlFlavor, parseDatabaseUrl } from "../src/database";
import { SUBGRAPHS } from "./departments";

export async function verifyDepartment(department: DepartmentName, url: string) {
  const flavor = parseDatabaseUrl(url).dialect === "mysql" ? await detectMysqlFlavor(url) : undefined;
  const { dataSource } = createDataSource({ ...SUBGRAPHS[department].database, url }, flavor);
  await dataSource.initialize();
  try {
    return await verifyChain(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function main() {
  let broken = false;
  for (const department of DEPARTMENTS) {
    const verdict = await verifyDepartment(department, databaseUrlFor(department));
    if (verdict.ok) {
      console.log(`${department}: access log intact (${verdict.entries} entries)`);
    } else {
      broken = true;
      console.error(`${department}: access log BROKEN at entry ${verdict.brokenAt}: ${verdict.reason} (${verdict.entries} entries verified before it)`);
    }
  }
  process.exit(broken ? 1 : 0);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`audit:verify could not read the logs: ${error instanceof Error ? error.message : error}`);
    process.exit(2);
  });
}
