#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests of the PostgreSQL adjustment store
# (sdk-ergonomic/tests/callback_store.rs): a new cluster in a temporary directory, on a free
# local port, trusting local connections. Works as root on a fresh Debian or Ubuntu machine
# (installs PostgreSQL with apt-get if it is missing; the server runs as an unprivileged user,
# as PostgreSQL requires).
#
#   eval "$(scripts/postgres.sh)"        # start it; sets MM_TEST_POSTGRES_URL and MM_TEST_POSTGRES_DIR
#   cargo test -p mm-sdk --all-features
#   scripts/postgres.sh stop             # stop it and remove its directory
#
# Only the `export` lines go to standard output; progress goes to standard error.
set -euo pipefail

readonly RUN_AS=mm-pgtest   # the unprivileged user when started as root
readonly START_TIMEOUT=60   # seconds to wait for the server to accept connections

log() { printf '%s\n' "$*" >&2; }
die() { log "postgres.sh: $*"; exit 1; }

# The directory holding initdb and pg_ctl, installing PostgreSQL if there is none.
pg_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$found" ]]; then
    [[ $(id -u) -eq 0 ]] || die "PostgreSQL is not installed, and installing it needs root"
    log "installing PostgreSQL (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  [[ -n "$found" && -x "$found/initdb" && -x "$found/pg_ctl" ]] || die "no initdb and pg_ctl found"
  printf '%s\n' "$found"
}

# Runs a command as the server's user: as root, as $RUN_AS; otherwise as oneself.
as_server_user() {
  if [[ $(id -u) -ne 0 ]]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$RUN_AS" -- "$@"
  else
    su -s /bin/sh "$RUN_AS" -c "$(printf '%q ' "$@")"
  fi
}

# A local TCP port nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return
    fi
  done
  die "no free port found"
}

stop() {
  local dir=${MM_TEST_POSTGRES_DIR:-}
  [[ -n "$dir" && -d "$dir/data" ]] || die "MM_TEST_POSTGRES_DIR does not name a cluster started by this script"
  local bin
  bin=$(pg_bin)
  as_server_user "$bin/pg_ctl" -D "$dir/data" -m fast -w -t "$START_TIMEOUT" stop >&2 || true
  rm -rf "$dir"
  log "stopped and removed $dir"
}

start() {
  local bin dir port
  bin=$(pg_bin)
  if [[ $(id -u) -eq 0 ]] && ! id "$RUN_AS" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$RUN_AS"
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/mm-postgres.XXXXXX")
  chmod 755 "$dir"
  [[ $(id -u) -ne 0 ]] || chown "$RUN_AS" "$dir"

  as_server_user "$bin/initdb" -D "$dir/data" --username=postgres --auth=trust \
    --encoding=UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

  # A free port can be taken between the check and the start: try a few.
  local started=
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$START_TIMEOUT" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" \
      start >&2; then
      started=1
      break
    fi
  done
  [[ -n "$started" ]] || { cat "$dir/server.log" >&2 || true; die "the server did not start"; }

  # pg_ctl -w waited for it; confirm it answers on TCP, within the same bound.
  if command -v pg_isready >/dev/null 2>&1 || [[ -x "$bin/pg_isready" ]]; then
    local isready
    isready=$(command -v pg_isready || printf '%s' "$bin/pg_isready")
    local deadline=$((SECONDS + START_TIMEOUT))
    until "$isready" -q -h 127.0.0.1 -p "$port" -U postgres; do
      ((SECONDS < deadline)) || die "the server does not accept connections on port $port"
      sleep 0.2
    done
  fi
  log "PostgreSQL is up on 127.0.0.1:$port (data and logs in $dir)"
  printf 'export MM_TEST_POSTGRES_URL=%q\n' "postgres://postgres@127.0.0.1:$port/postgres"
  printf 'export MM_TEST_POSTGRES_DIR=%q\n' "$dir"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) die "usage: $0 [start|stop]" ;;
esac
