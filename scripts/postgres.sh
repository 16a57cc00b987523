#!/usr/bin/env bash
# A PostgreSQL server of Debian's package for the tests and for `make team-server`: its own
# cluster in a folder outside the clone, listening on loopback only.
#
#   scripts/postgres.sh start   create the cluster when missing, start it; prints its URL
#   scripts/postgres.sh stop    stop it (the data stays; `rm -rf` the folder to forget it)
#   scripts/postgres.sh url     print its URL
#
# RPMA_PG_DIR (default: /tmp/rpma-postgres-<port>) and RPMA_PG_PORT (55432) choose where.
# The server runs as the `postgres` system user (PostgreSQL refuses root), trusts loopback
# connections of that user (a throwaway cluster for one machine's tests and trials) and keeps
# fsync on unless RPMA_PG_FAST=1 (the tests' cluster, which a crash may lose).
set -euo pipefail

port=${RPMA_PG_PORT:-55432}
# Not under $HOME: the `postgres` user cannot enter root's home.
dir=${RPMA_PG_DIR:-${TMPDIR:-/tmp}/rpma-postgres-$port}
url="postgres://postgres@127.0.0.1:$port/postgres"

here=$(cd "$(dirname "$0")" && pwd)

bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$found" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
  echo "$found"
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    "$here/ensure-apt.sh" postgresql
    pg=$(bin)
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
      useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_postgres "$pg/initdb" -D "$dir/data" -U postgres -A trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    if ! as_postgres "$pg/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300"
      if [ "${RPMA_PG_FAST:-0}" = 1 ]; then
        opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
      fi
      as_postgres "$pg/pg_ctl" -D "$dir/data" -o "$opts" -l "$dir/server.log" -w start >/dev/null
    fi
    echo "$url"
    ;;
  stop)
    pg=$(bin)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_postgres "$pg/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    fi
    ;;
  url)
    echo "$url"
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
