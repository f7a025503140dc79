-- wrk script for make bench-tiles (warm map tiles) and make bench-stac (search pages): GET the
-- paths listed in a file (one per line) with a bearer token, round and round
-- the list until wrk's duration ends. Each wrk thread takes every n-th path.
--   wrk ... -s bench/tiles.lua URL -- PATHS_FILE TOKEN THREADS
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local file, token, count = args[1], args[2], tonumber(args[3])
  paths = {}
  local index = 0
  for line in io.lines(file) do
    if index % count == id then table.insert(paths, line) end
    index = index + 1
  end
  headers = { ["Authorization"] = "Bearer " .. token }
  nextPath = 1
end

function request()
  local path = paths[nextPath]
  nextPath = nextPath % #paths + 1
  return wrk.format("GET", path, headers)
end
