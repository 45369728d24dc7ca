#!/bin/sh
# Periodic PostgreSQL backups with retention; the `backup` service of docker-compose.yml runs it.
#
#   ops/backup.sh          loop: dump now, then every BACKUP_INTERVAL_SECONDS
#   ops/backup.sh once     one dump and the retention sweep, then exit (cron, tests)
#
# Connection from the libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE).
# Dumps are custom-format (pg_dump -Fc, restore with ops/restore.sh), written to a temporary name
# and renamed when complete, so a half-written dump never counts as a backup.
# BACKUP_DIR (/backups), BACKUP_INTERVAL_SECONDS (86400), BACKUP_KEEP_DAYS (14).
set -eu

DIR="${BACKUP_DIR:-/backups}"
INTERVAL="${BACKUP_INTERVAL_SECONDS:-86400}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"

say() { echo "backup: $*" >&2; }

dump_once() {
    mkdir -p "$DIR"
    stamp="$(date -u +%Y%m%dT%H%M%SZ)"
    target="$DIR/${PGDATABASE:-digilotse}-$stamp.dump"
    pg_dump --format=custom --no-owner --file="$target.partial"
    mv "$target.partial" "$target"
    say "wrote $target ($(wc -c < "$target") bytes)"
    # Retention: dumps older than KEEP_DAYS days go (and with them the data deleted since).
    find "$DIR" -maxdepth 1 -name '*.dump' -mtime +"$KEEP_DAYS" -print -delete | sed 's/^/backup: removed /' >&2
    find "$DIR" -maxdepth 1 -name '*.partial' -mmin +60 -delete
}

if [ "${1:-loop}" = "once" ]; then
    dump_once
    exit 0
fi
while true; do
    dump_once || say "dump failed; next try in $INTERVAL s"
    sleep "$INTERVAL"
done
