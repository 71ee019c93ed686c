/**
 * Every setting comes from the environment, with defaults that run the embedded (SQLite) county on one
 * machine. Secrets have development defaults only so that `npm start` works out of the box; production
 * deployments must set them (the services warn when they run on a default secret).
 */
export const DEPARTMENTS = ["population", "public-security", "civil-affairs", "health"] as const;
export type DepartmentName = (typeof DEPARTMENTS)[number];

export const DEFAULT_PORTS: Record<DepartmentName | "gateway", number> = {
  gateway: 4000,
  population: 4001,
  "public-security": 4002,
  "civil-affairs": 4003,
  health: 4004,
};

/** `public-security` -> `PUBLIC_SECURITY` (the prefix of that department's variables). */
export function envPrefix(name: DepartmentName): string {
  return name.toUpperCase().replace(/-/g, "_");
}

/** `<NAME>_DATABASE_URL`: `mysql://user:pass@host:3306/db` or `sqlite:path/to/file.sqlite`; default a SQLite file under data/. */
export function databaseUrlFor(name: DepartmentName, env: NodeJS.ProcessEnv = process.env): string {
  return env[`${envPrefix(name)}_DATABASE_URL`] ?? `sqlite:${env.DATA_DIR ?? "data"}/${name}.sqlite`;
}

/**
 * `<NAME>_MIGRATION_DATABASE_URL` (optional): the schema owner's connection to the same database. When set,
 * the subgraph runs its migrations through it and then grants the runtime user (of `<NAME>_DATABASE_URL`)
 * its table privileges; the MySQL deployment uses it so that the runtime user cannot UPDATE or DELETE the
 * access log. Unset (or empty): the user of `<NAME>_DATABASE_URL` runs the migrations itself.
 */
export function migrationDatabaseUrlFor(name: DepartmentName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[`${envPrefix(name)}_MIGRATION_DATABASE_URL`];
  return value ? value : undefined;
}

export function portFor(name: DepartmentName | "gateway", env: NodeJS.ProcessEnv = process.env): number {
  const key = name === "gateway" ? "GATEWAY_PORT" : `${envPrefix(name)}_PORT`;
  const raw = env[key];
  return raw === undefined ? DEFAULT_PORTS[name] : Number(raw);
}

/** Where the gateway finds a subgraph: `<NAME>_URL`, default the local port. */
export function subgraphUrlFor(name: DepartmentName, env: NodeJS.ProcessEnv = process.env): string {
  return env[`${envPrefix(name)}_URL`] ?? `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`;
}

const DEV_SECRETS = {
  PERSON_KEY_SECRET: "dev-only-person-key-secret-change-me",
  JWT_SECRET: "dev-only-jwt-secret-change-me-please-32b",
  IDENTITY_SIGNING_SECRET: "dev-only-identity-signing-secret-change-me",
} as const;
export type SecretName = keyof typeof DEV_SECRETS;

const warned = new Set<string>();
export function secret(name: SecretName, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value) return value;
  if (env.NODE_ENV === "production") throw new Error(`${name} must be set in production`);
  if (!warned.has(name) && env.NODE_ENV !== "test") {
    warned.add(name);
    console.warn(`[config] ${name} is not set: using the development default`);
  }
  return DEV_SECRETS[name];
}

export function numberSetting(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got ${raw}`);
  return value;
}
