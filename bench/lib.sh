# Shared by the benchmark scripts (sourced, not run).

# Prints the port `swath serve --port 0` chose, read from its "listening on"
# line in LOG; after 10 s without one, shows the log and fails.
server_port() {
  local log=$1 port=""
  for _ in $(seq 1 100); do
    port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    [ -n "$port" ] && { echo "$port"; return 0; }
    sleep 0.1
  done
  echo "server did not start:" >&2
  cat "$log" >&2
  return 1
}
