#!/bin/bash
# Creates the four departmental databases (utf8mb4 / utf8mb4_unicode_ci) and two MySQL users per department,
# each with privileges on its own database only. The official mysql image runs this once, on an empty data
# directory, from /docker-entrypoint-initdb.d (executed if executable, otherwise sourced — it works both
# ways: no `exit`, no `set -u`, helper names prefixed `pis_`).
#
#   pis_<dept>_owner  owns the schema: ALL PRIVILEGES (TRIGGER included, which the append-only migration
#                     needs) WITH GRANT OPTION. The subgraph uses it only to run its migrations
#                     (<NAME>_MIGRATION_DATABASE_URL) and then to grant the runtime user, table by table,
#                     UPDATE and DELETE on every table except access_log (and UPDATE alone on access_log_head).
#   pis_<dept>        the runtime user, for everything else (<NAME>_DATABASE_URL): SELECT and INSERT on the
#                     database, nothing more from here. MySQL has no deny rule, so UPDATE/DELETE are never
#                     granted database-wide: the access log stays append-only for the service itself.
# The tables do not exist yet when this runs (the migrations create them), hence the table grants at start.
#
# Passwords come from the same variables docker-compose.yml passes to the subgraphs, so they are written
# down in one place only: POPULATION_DB_PASSWORD, PUBLIC_SECURITY_DB_PASSWORD, CIVIL_AFFAIRS_DB_PASSWORD,
# HEALTH_DB_PASSWORD (runtime users), POPULATION_DB_OWNER_PASSWORD, PUBLIC_SECURITY_DB_OWNER_PASSWORD,
# CIVIL_AFFAIRS_DB_OWNER_PASSWORD, HEALTH_DB_OWNER_PASSWORD (owners), and MYSQL_ROOT_PASSWORD for this
# script's own connection. They end up inside mysql://user:password@host/db URLs, so use URL-safe
# characters (letters, digits, - _ . ~).
#
# Print-only mode, for tests/integration/mysql-privileges.test.ts (which applies exactly these statements to
# a throwaway database): `bash 01-databases.sh --print-department <database> <user> <owner-user>` prints one
# department's statements, passwords from PIS_DB_PASSWORD and PIS_DB_OWNER_PASSWORD, and connects nowhere.
# (When the entrypoint sources this file, $1 is never --print-department.)

pis_sql_string() {
  # A single-quoted SQL string literal: double every backslash and single quote.
  local value=${1//\\/\\\\}
  printf "'%s'" "${value//\'/\'\'}"
}

pis_department_sql() {
  local database=$1 user=$2 password=$3 owner=$4 owner_password=$5
  if [ -z "$password" ]; then
    echo "01-databases.sh: no password for $user: set the department's *_DB_PASSWORD variable" >&2
    return 1
  fi
  if [ -z "$owner_password" ]; then
    echo "01-databases.sh: no password for $owner: set the department's *_DB_OWNER_PASSWORD variable" >&2
    return 1
  fi
  # In database-level grants `_` is a wildcard: escape it so that each grant covers its own database only.
  local pattern=${database//_/\\_}
  cat <<SQL
CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$owner'@'%' IDENTIFIED BY $(pis_sql_string "$owner_password");
GRANT ALL PRIVILEGES ON \`$pattern\`.* TO '$owner'@'%' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY $(pis_sql_string "$password");
GRANT SELECT, INSERT ON \`$pattern\`.* TO '$user'@'%';
SQL
}

pis_init_sql() {
  pis_department_sql population pis_population "$POPULATION_DB_PASSWORD" \
    pis_population_owner "$POPULATION_DB_OWNER_PASSWORD" &&
    pis_department_sql public_security pis_public_security "$PUBLIC_SECURITY_DB_PASSWORD" \
      pis_public_security_owner "$PUBLIC_SECURITY_DB_OWNER_PASSWORD" &&
    pis_department_sql civil_affairs pis_civil_affairs "$CIVIL_AFFAIRS_DB_PASSWORD" \
      pis_civil_affairs_owner "$CIVIL_AFFAIRS_DB_OWNER_PASSWORD" &&
    pis_department_sql health pis_health "$HEALTH_DB_PASSWORD" \
      pis_health_owner "$HEALTH_DB_OWNER_PASSWORD" &&
    echo "FLUSH PRIVILEGES;"
}

if [ "${1:-}" = "--print-department" ]; then
  pis_department_sql "$2" "$3" "$PIS_DB_PASSWORD" "$4" "$PIS_DB_OWNER_PASSWORD"
else
  echo "01-databases.sh: creating the departmental databases, owners and runtime users"
  if pis_statements=$(pis_init_sql); then
    # SOCKET is set by the entrypoint when this file is sourced; the image's default otherwise.
    printf '%s\n' "$pis_statements" |
      MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mysql --protocol=socket --socket="${SOCKET:-/var/run/mysqld/mysqld.sock}" \
        --user=root --default-character-set=utf8mb4
  else
    (exit 1) # fail the initialisation, whether this file is executed or sourced (under the entrypoint's set -e)
  fi
fi
