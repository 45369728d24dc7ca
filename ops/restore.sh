#!/bin/sh
# Restore a dump written by ops/backup.sh into an EMPTY database, then check the schema.
#
#   ops/restore.sh /backups/digilotse-20261203T020000Z.dump
#
# Connection from the libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE). Stop the
# bot first; afterwards `digilotse db upgrade` brings an older dump to the current schema.
set -eu

[ $# -eq 1 ] || { echo "usage: ops/restore.sh DUMPFILE" >&2; exit 2; }
[ -f "$1" ] || { echo "restore: no such file: $1" >&2; exit 2; }

tables="$(psql --no-psqlrc --tuples-only --no-align \
    --command "select count(*) from information_schema.tables where table_schema = 'public'")"
if [ "$tables" != "0" ]; then
    echo "restore: database ${PGDATABASE:-} is not empty ($tables tables); restore into a new one" >&2
    exit 1
fi
pg_restore --no-owner --exit-on-error --dbname="${PGDATABASE:?set PGDATABASE}" "$1"
echo "restore: $1 restored into ${PGDATABASE}" >&2
