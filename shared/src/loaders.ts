import DataLoader from "dataloader";
import { FindOperator, type EntityMetadata, type FindOptionsOrder, type FindOptionsWhere, type ObjectLiteral, type Repository } from "typeorm";

/**
 * A per-request loader of rows by a unique key. Batch functions must return one result per key in the
 * keys' order, so the rows are indexed by key first; a key with no row yields null.
 */
export function uniqueLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, V>();
    for (const row of rows) byKey.set(keyOf(row), row);
    return keys.map((key) => byKey.get(key) ?? null);
  }, { maxBatchSize: 1000 });
}

/** A per-request loader of all rows sharing a key (a person's marriages, a household's members). */
export function groupLoader<K extends string | number, V>(
  fetch: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K | readonly K[],
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map<K, V[]>();
    for (const row of rows) {
      const rowKeys = keyOf(row);
      for (const key of (Array.isArray(rowKeys) ? rowKeys : [rowKeys]) as K[]) {
        const list = byKey.get(key);
        if (list) list.push(row);
        else byKey.set(key, [row]);
      }
    }
    return keys.map((key) => byKey.get(key) ?? []);
  }, { maxBatchSize: 1000 });
}

type Where<T> = { [P in keyof T]?: FindOperator<unknown> | string | number };

/**
 * `repository.find({ where, order })` for the loaders' batch reads — `where` one object or an array of
 * alternatives (OR), each property `In([...])` or a plain value; `order` column directions — without
 * typeorm's query builder: the SELECT is written from the entity's metadata and each row hydrated with the
 * driver's own per-column conversion (`prepareHydratedValue`: dates, booleans, transformers), as typeorm's
 * find does for an entity of plain columns. Building and hydrating through the query builder cost about as
 * much CPU as the statement itself (docs/performance.md). Anything else — relations, embedded or virtual
 * columns, soft deletes, inheritance, listeners or subscribers, another operator — goes to typeorm's find.
 * tests/integration/batch-reads.test.ts compares the two on every loader's entity.
 */
export async function findAll<T extends ObjectLiteral>(
  repository: Repository<T>,
  where: Where<T> | Where<T>[],
  order?: { [P in keyof T]?: "ASC" | "DESC" },
): Promise<T[]> {
  const metadata = repository.metadata;
  const alternatives = Array.isArray(where) ? where : [where];
  const sql = plainSelect(metadata, alternatives, order);
  if (!sql) return repository.find({ where: where as FindOptionsWhere<T> | FindOptionsWhere<T>[], order: order as FindOptionsOrder<T> });
  const driver = repository.manager.connection.driver;
  const rows: Record<string, unknown>[] = await repository.manager.query(sql.text, sql.parameters);
  return rows.map((row) => {
    const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
    for (const column of sql.columns) column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
    return entity;
  });
}

function plainSelect(metadata: EntityMetadata, alternatives: Where<ObjectLiteral>[], order: Record<string, "ASC" | "DESC" | undefined> | undefined) {
  const plain =
    metadata.tableType === "regular" &&
    metadata.relations.length === 0 &&
    metadata.embeddeds.length === 0 &&
    !metadata.deleteDateColumn &&
    !metadata.discriminatorColumn &&
    metadata.childEntityMetadatas.length === 0 &&
    metadata.afterLoadListeners.length === 0 &&
    metadata.connection.subscribers.length === 0 &&
    metadata.columns.every((c) => !c.isVirtual && !c.isVirtualProperty && c.isSelect !== false && !c.embeddedMetadata && !c.relationMetadata);
  if (!plain || alternatives.length === 0) return null;
  const escape = (name: string) => metadata.connection.driver.escape(name);
  const columnOf = (property: string) => metadata.findColumnWithPropertyName(property);
  const parameters: unknown[] = [];
  const conditions: string[] = [];
  for (const alternative of alternatives) {
    const terms: string[] = [];
    for (const [property, value] of Object.entries(alternative)) {
      const column = columnOf(property);
      if (!column) return null;
      if (value instanceof FindOperator) {
        if (value.type !== "in" || !Array.isArray(value.value) || value.value.length === 0) return null;
        terms.push(`${escape(column.databaseName)} IN (${value.value.map(() => "?").join(", ")})`);
        parameters.push(...value.value);
      } else if (typeof value === "string" || typeof value === "number") {
        terms.push(`${escape(column.databaseName)} = ?`);
        parameters.push(value);
      } else {
        return null;
      }
    }
    if (terms.length === 0) return null;
    conditions.push(`(${terms.join(" AND ")})`);
  }
  const ordering: string[] = [];
  for (const [property, direction] of Object.entries(order ?? {})) {
    const column = columnOf(property);
    if (!column || (direction !== "ASC" && direction !== "DESC")) return null;
    ordering.push(`${escape(column.databaseName)} ${direction}`);
  }
  const columns = metadata.columns;
  const text =
    `SELECT ${columns.map((c) => escape(c.databaseName)).join(", ")} FROM ${escape(metadata.tableName)} WHERE ${conditions.join(" OR ")}` +
    (ordering.length ? ` ORDER BY ${ordering.join(", ")}` : "");
  return { text, parameters, columns };
}
