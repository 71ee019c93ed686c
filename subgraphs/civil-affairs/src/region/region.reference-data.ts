import type { Database } from "../../../../shared/src/database";
import { allRegions } from "../../../../shared/src/regions";
import { RegionRecord } from "./region.entity";

/** Adds the divisions of the committed extract that the database does not hold yet; existing rows are kept as they are. */
export async function loadMissingRegions(db: Database): Promise<number> {
  const repository = db.dataSource.getRepository(RegionRecord);
  const existing = new Set((await repository.find({ select: { code: true } })).map((r) => r.code));
  const missing = allRegions().filter((r) => !existing.has(r.code));
  for (let start = 0; start < missing.length; start += 500) {
    await repository.insert(missing.slice(start, start + 500).map((r) => ({ ...r })));
  }
  return missing.length;
}
