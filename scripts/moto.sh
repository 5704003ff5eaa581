# Sourced by scripts/test and scripts/bench: installs moto server into a cached virtualenv when it is
# missing, starts it on a free loopback port, exports BUCKETFENCE_MOTO_URL, stops it on exit.
MOTO_SPEC='moto[server]==5.2.1'
VENV="${BUCKETFENCE_VENV:-$PWD/.venv}"
PYTHON="${PYTHON:-python3}"

start_moto() {
  if ! "$VENV/bin/python" -c 'import moto.server' 2>/dev/null || [ ! -x "$VENV/bin/moto_server" ]; then
    echo "installing $MOTO_SPEC into $VENV" >&2
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$MOTO_SPEC"
  fi
  local port log url
  port=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p target
  log="target/moto-server.log"
  "$VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  MOTO_PID=$!
  trap 'kill "$MOTO_PID" 2>/dev/null || true; wait "$MOTO_PID" 2>/dev/null || true' EXIT
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('$url/moto-api/data.json', timeout=1)" 2>/dev/null; then
      echo "moto server on $url" >&2
      export BUCKETFENCE_MOTO_URL="$url"
      return 0
    fi
    if ! kill -0 "$MOTO_PID" 2>/dev/null; then
      echo "moto server exited while starting; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "moto server did not answer on $url within 20 s; its log:" >&2
  cat "$log" >&2
  return 1
}
