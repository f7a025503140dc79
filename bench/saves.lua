-- wrk script for make bench-api: each connection thread cycles through its
-- share of the annotators, each saving a 20-vertex polygon to its own task.
-- Usage: wrk -t T -c C -d D -s bench/saves.lua URL -- DATA.lua T
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
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
