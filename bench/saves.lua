-- wrk script for make bench-api: each connection thread cycles through its
-- share of the annotators, each saving a 20-vertex polygon to its own task.
-- Usage: [SAVE_SERVERS="HOST:PORT HOST:PORT…"] wrk -t T -c C -d D -s bench/saves.lua URL -- DATA.lua T
-- SAVE_SERVERS spreads the threads over several servers on one database
-- (thread i talks to server i mod n); without it every thread uses URL.
-- It is read from the environment because setup() runs before init() gets
-- the script's arguments.
local threads = {}
local servers = {}
for server in (os.getenv("SAVE_SERVERS") or ""):gmatch("%S+") do table.insert(servers, server) end

function setup(thread)
  thread:set("thread_index", #threads)
  if #servers > 0 then
    local host, port = servers[(#threads % #servers) + 1]:match("^(.+):(%d+)$")
    thread.addr = wrk.lookup(host, port)[1]
  end
  table.insert(threads, thread)
end

function init(args)
  dofile(args[1])
  local count = tonumber(args[2])
  mine = {}
  for i, entry in ipairs(entries) do
    if (i - 1) % count == thread_index then table.insert(mine, entry) end
  end
  counter = 0
end

function request()
  counter = counter + 1
  local entry = mine[(counter % #mine) + 1]
  return wrk.format("PUT", entry.path,
    { ["Authorization"] = "Bearer " .. entry.token, ["Content-Type"] = "application/json" }, entry.body)
end

-- One line as swath-bench prints it, for bench_api.sh to hold against the
-- targets. Only 2xx responses count as saves; wrk's latencies include the rest.
function done(summary, latency, requests)
  local e = summary.errors
  local failures = e.connect + e.read + e.write + e.status + e.timeout
  local seconds = summary.duration / 1e6
  local saves = summary.requests - e.status
  io.write(string.format("saves: %d in %.2f s = %.0f saves/s, p50 %.1f ms, p99 %.1f ms, failures %d\n",
    saves, seconds, saves / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, failures))
end
