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

# Makes the standard scene (10980 × 10980 × 4 UInt16, bench/make_standard_scene.py)
# at PATH unless it is there; extra arguments go to the script (e.g. --seed 2).
standard_scene() {
  local path=$1; shift
  [ -f "$path" ] && return 0
  echo "making the standard scene (10980 × 10980 × 4 UInt16) at $path…" >&2
  mkdir -p "$(dirname "$path")"
  /usr/bin/python3 bench/make_standard_scene.py "$path" "$@"
}

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
