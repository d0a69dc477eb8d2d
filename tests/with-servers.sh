#!/usr/bin/env bash
# Runs a command next to a throwaway PostgreSQL 15 cluster and a throwaway Redis server, both listening on
# 127.0.0.1 only, on free ports, with password authentication, and stops both by PID when the command ends
# (also on failure or interruption). Usage: with-servers.sh COMMAND [ARGS...]
#
# Exported to COMMAND:
#   SD_SERVERS_AVAILABLE=1
#   SD_PG_HOST=127.0.0.1 SD_PG_PORT SD_PG_USER SD_PG_PASSWORD SD_PG_BIN (folder of psql/createdb)
#   SD_REDIS_PORT SD_REDIS_PASSWORD
# Where a server binary is missing the command runs without SD_SERVERS_AVAILABLE and the tests print SKIP.
set -euo pipefail

pgbin=${SD_PG_BINDIR:-/usr/lib/postgresql/15/bin}
redis=$(command -v redis-server || true)
if [ ! -x "$pgbin/initdb" ] || [ -z "$redis" ] || ! command -v redis-cli >/dev/null 2>&1 \
    || ! command -v psql >/dev/null 2>&1; then
    echo "SKIP   : PostgreSQL 15 ($pgbin/initdb, psql) or redis-server/redis-cli missing; server tests skipped" >&2
    exec "$@"
fi

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

tmp=$(mktemp -d /tmp/sd-servers.XXXXXX)
pg_pid=""
redis_pid=""
cleanup() {
    local rc=$?
    if [ -n "$redis_pid" ]; then kill -TERM "$redis_pid" 2>/dev/null || true; fi
    if [ -n "$pg_pid" ]; then kill -INT "$pg_pid" 2>/dev/null || true; fi
    for _ in $(seq 1 100); do
        alive=0
        [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null && alive=1
        [ -n "$pg_pid" ] && kill -0 "$pg_pid" 2>/dev/null && alive=1
        [ $alive = 0 ] && break
        sleep 0.1
    done
    if [ -n "$redis_pid" ]; then kill -KILL "$redis_pid" 2>/dev/null || true; fi
    if [ -n "$pg_pid" ]; then kill -QUIT "$pg_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user.
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    chown postgres: "$tmp"
    as_pg() { runuser -u postgres -- "$@"; }
fi
chmod 0700 "$tmp"

pg_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
redis_password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
pg_user=postgres
[ "$(id -u)" = 0 ] || pg_user=$(id -un)

( umask 077; printf '%s\n' "$pg_password" > "$tmp/pwfile" )
[ "$(id -u)" = 0 ] && chown postgres: "$tmp/pwfile"
as_pg "$pgbin/initdb" -D "$tmp/pg" -U "$pg_user" --pwfile="$tmp/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
rm -f "$tmp/pwfile"
as_pg mkdir -m 0700 "$tmp/sock"

pg_port=$(free_port)
as_pg "$pgbin/pg_ctl" -D "$tmp/pg" -l "$tmp/pg.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$tmp/sock -c fsync=off" start \
    >/dev/null || { cat "$tmp/pg.log" >&2; exit 1; }
pg_pid=$(head -n 1 "$tmp/pg/postmaster.pid")

redis_port=$(free_port)
( umask 077
  printf 'bind 127.0.0.1\nport %s\nsave ""\nappendonly no\nrequirepass %s\ndir %s\nprotected-mode yes\n' \
      "$redis_port" "$redis_password" "$tmp" > "$tmp/redis.conf" )
"$redis" "$tmp/redis.conf" >"$tmp/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do
    if REDISCLI_AUTH="$redis_password" redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null | grep -q PONG; then
        break
    fi
    kill -0 "$redis_pid" 2>/dev/null || { cat "$tmp/redis.log" >&2; exit 1; }
    sleep 0.1
done

export SD_SERVERS_AVAILABLE=1
export SD_PG_HOST=127.0.0.1 SD_PG_PORT=$pg_port SD_PG_USER=$pg_user SD_PG_PASSWORD=$pg_password SD_PG_BIN=$pgbin
export SD_REDIS_PORT=$redis_port SD_REDIS_PASSWORD=$redis_password
status=0
"$@" || status=$?
exit $status
