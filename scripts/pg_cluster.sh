#!/usr/bin/env bash
# A local sharded PostgreSQL for the PostgreSQL store's tests (issue 17) and for
# trying it: a coordinator and N workers, each its own server on a free loopback
# port with a database `jianghua`; the coordinator also has postgres_fdw.
# `jianghua pg init` makes the tables, foreign servers and partitions; this
# script only runs the servers. See --help; in short:
#
#   scripts/pg_cluster.sh start /tmp/jpg && source /tmp/jpg/env && cargo test
#   scripts/pg_cluster.sh stop /tmp/jpg
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/pg_cluster.sh COMMAND DIR [ARGS]

  start DIR [--workers N]  initdb a coordinator and N workers (2) in DIR,
                           start them on free ports on 127.0.0.1, create the
                           database `jianghua` on each and postgres_fdw on the
                           coordinator; write DIR/env and print it:
                             export JIANGHUA_PG_URL=postgres://jianghua@127.0.0.1:PORT/jianghua
                             export JIANGHUA_PG_SHARDS="postgres://... postgres://..."
                           A DIR made before is started again on its old ports.
  stop DIR                 stop every server under DIR (fine if none runs)
  status DIR               say which servers under DIR are running
  stop-worker DIR I        stop worker I (1-based), to test a missing shard
  start-worker DIR I       start worker I again
  bindir                   print where the PostgreSQL binaries were found

The servers trust every local and loopback connection; the superuser is
`jianghua`. Logs are DIR/NAME.log, sockets are in DIR. As root, the servers
run as the `postgres` user (or `jianghua-pg`, created if neither exists),
since PostgreSQL refuses to run as root. Binaries: `pg_config --bindir`, else
the newest /usr/lib/postgresql/*/bin.
EOF
}

die() { echo "pg_cluster.sh: $*" >&2; exit 1; }
usage_error() { echo "pg_cluster.sh: $*; see --help." >&2; exit 2; }

SUPERUSER=jianghua
DB=jianghua
TIMEOUT=30   # seconds a server may take to start and accept connections

# Where initdb, pg_ctl and psql are; the same lookup decides in .ci/run
# whether to install Debian's postgresql.
find_bindir() {
  local d
  if command -v pg_config >/dev/null && d="$(pg_config --bindir 2>/dev/null)" \
      && [ -x "$d/initdb" ]; then
    echo "$d"; return
  fi
  # Debian's libpq-dev has a pg_config but no server; look for one.
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return; }
  return 1
}

# The OS user the servers run as. Not root: whoever runs this. Root: the owner
# of an existing DIR, else `postgres`, else a `jianghua-pg` system user.
run_user() {
  if [ "$(id -u)" != 0 ]; then id -un; return; fi
  if [ -d "$DIR/coordinator" ]; then stat -c %U "$DIR/coordinator"; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  id jianghua-pg >/dev/null 2>&1 \
    || useradd --system --no-create-home --shell /usr/sbin/nologin jianghua-pg
  echo jianghua-pg
}

# Run a server command (initdb, pg_ctl) as USER, from DIR so that a working
# directory USER cannot read (such as /root) does not matter.
as_user() {
  if [ "$(id -u)" = 0 ]; then (cd "$DIR" && runuser -u "$USER_" -- "$@")
  else (cd "$DIR" && "$@"); fi
}

# The servers under DIR: coordinator, worker1, worker2, ...
servers() {
  [ -d "$DIR/coordinator" ] && echo coordinator
  ls -d "$DIR"/worker*/ 2>/dev/null | xargs -rn1 basename | sort -V
}

port_of() { sed -n 's/^port = \([0-9]*\).*/\1/p' "$DIR/$1/postgresql.conf" | tail -n 1; }
running() { [ -d "$DIR/$1" ] && as_user "$BIN/pg_ctl" status -D "$DIR/$1" >/dev/null 2>&1; }
sql() { PGOPTIONS="-c client_min_messages=warning" "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$SUPERUSER" -d "$2" -tAc "$3"; }

# initdb one server's cluster and append our settings to its postgresql.conf.
# Its port is the first from NEXT_PORT on that nothing on 127.0.0.1 listens on
# (a connection through bash's /dev/tcp is refused). NEXT_PORT starts at a
# random base, so two clusters started at once (or a server on 5432) do not meet.
init_server() {
  local name=$1 port=$NEXT_PORT
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  NEXT_PORT=$((port + 1))
  # --no-sync: a crash during initdb only costs a test cluster.
  as_user "$BIN/initdb" -D "$DIR/$name" -U "$SUPERUSER" -E UTF8 --locale=C \
    --auth=trust --no-sync >"$DIR/$name.initdb.log" 2>&1 \
    || die "initdb for $name failed; $DIR/$name.initdb.log ends: $(tail -n 5 "$DIR/$name.initdb.log")"
  {
    echo "# pg_cluster.sh: a small test server"
    echo "port = $port"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$DIR'"
    echo "max_connections = 50"
    echo "shared_buffers = 32MB"
    if [ "$name" = coordinator ]; then
      # Plan joins and aggregates over the hash partitions per partition:
      # grouped by the partition key, each partition's aggregate then runs on
      # its worker. (PostgreSQL 15 does not push partial aggregates, such as
      # a count(*) over all partitions, through postgres_fdw.)
      echo "enable_partitionwise_aggregate = on"
      echo "enable_partitionwise_join = on"
    fi
  } >>"$DIR/$name/postgresql.conf"
}

# Start one server unless it runs, wait until it accepts connections on its
# port, and make sure its database (and, on the coordinator, postgres_fdw)
# exists. pg_ctl -w notices a server that dies while starting.
start_server() {
  local name=$1 port i
  port="$(port_of "$name")"
  if ! running "$name"; then
    as_user "$BIN/pg_ctl" start -w -t "$TIMEOUT" -D "$DIR/$name" -l "$DIR/$name.log" >/dev/null 2>&1 \
      || die "$name (port $port) did not start; $DIR/$name.log ends: $(tail -n 5 "$DIR/$name.log")"
  fi
  for ((i = 0; ; i++)); do
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    [ "$i" -lt $((TIMEOUT * 5)) ] \
      || die "$name (port $port) did not accept connections within ${TIMEOUT}s; $DIR/$name.log ends: $(tail -n 5 "$DIR/$name.log")"
    sleep 0.2
  done
  [ "$(sql "$port" postgres "select count(*) from pg_database where datname = '$DB'")" = 1 ] \
    || sql "$port" postgres "create database $DB"
  if [ "$name" = coordinator ]; then
    sql "$port" "$DB" "create extension if not exists postgres_fdw"
  fi
}

stop_server() {
  ! running "$1" || as_user "$BIN/pg_ctl" stop -m fast -D "$DIR/$1" >/dev/null 2>&1 \
    || die "pg_ctl could not stop $1; see $DIR/$1.log."
}

url() { echo "postgres://$SUPERUSER@127.0.0.1:$(port_of "$1")/$DB"; }

write_env() {
  local shards=() w
  for w in $(servers | grep worker); do shards+=("$(url "$w")"); done
  printf 'export JIANGHUA_PG_URL=%s\nexport JIANGHUA_PG_SHARDS="%s"\n' \
    "$(url coordinator)" "${shards[*]}" | tee "$DIR/env"
}

worker() {  # the name of worker $1, which must exist
  [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] || usage_error "give the worker's number (1, 2, ...)"
  [ -d "$DIR/worker$1" ] || die "$DIR has no worker $1."
  echo "worker$1"
}

cmd="${1:-}"
case "$cmd" in
  -h | --help | help) usage; exit 0 ;;
  bindir) find_bindir || die "no PostgreSQL server binaries (initdb) found."; exit 0 ;;
  start | stop | status | stop-worker | start-worker) ;;
  "") usage >&2; exit 2 ;;
  *) usage_error "unknown command '$cmd'" ;;
esac
[ -n "${2:-}" ] || usage_error "$cmd needs a directory"
DIR="$(realpath -m "$2")"
shift 2

# stop and status never fail for want of a cluster (or of PostgreSQL).
if [ "$cmd" = stop ] || [ "$cmd" = status ]; then
  [ -n "$(servers)" ] || { [ "$cmd" = status ] && echo "no cluster in $DIR"; exit 0; }
fi
BIN="$(find_bindir)" || die "no PostgreSQL server binaries (initdb) found: install Debian's postgresql or put pg_config on PATH."
USER_="$(run_user)"

case "$cmd" in
  start)
    workers=2 explicit=no
    while [ $# -gt 0 ]; do
      case "$1" in
        --workers) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage_error "--workers needs a number of at least 1"
                   workers=$2 explicit=yes; shift 2 ;;
        *) usage_error "unknown option '$1' for start" ;;
      esac
    done
    if [ -d "$DIR/coordinator" ]; then
      have=$(servers | grep -c worker || true)
      [ "$have" = "$workers" ] || [ "$explicit" = no ] \
        || die "$DIR already holds a cluster with $have workers, not $workers."
    elif [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
      # Refuse rather than chown a directory such as /tmp to the servers' user.
      die "$DIR is neither empty nor a cluster made by this script."
    fi
    mkdir -p "$DIR"
    [ "$(id -u)" != 0 ] || chown "$USER_" "$DIR"
    as_user test -w "$DIR" \
      || die "$USER_ cannot write to $DIR (a parent directory may be closed to it); use a directory under /tmp."
    NEXT_PORT=$((20000 + RANDOM % 20000))
    if [ ! -d "$DIR/coordinator" ]; then
      echo "pg_cluster.sh: initdb: a coordinator and $workers worker(s) in $DIR, run as $USER_" >&2
      init_server coordinator
      for ((i = 1; i <= workers; i++)); do init_server "worker$i"; done
    fi
    for s in $(servers); do start_server "$s"; done
    write_env
    ;;
  stop) for s in $(servers); do stop_server "$s"; done ;;
  status)
    for s in $(servers); do
      if running "$s"; then echo "$s: running on 127.0.0.1:$(port_of "$s")"
      else echo "$s: stopped"; fi
    done
    ;;
  stop-worker) w="$(worker "${1:-}")"; stop_server "$w" ;;
  start-worker) w="$(worker "${1:-}")"; start_server "$w" ;;
esac
