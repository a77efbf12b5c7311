-- The HTTP load of `deno task bench` (wrk from Debian; bench/load.ts runs it).
-- Usage: wrk -t1 -cN -dS -s wrk_driver.lua http://host:port -- <spec file>
--
-- The spec file has one tab-separated setting per line:
--   method <METHOD> | header <name> <value> | path <path> | body <json> (pairs with the path
--   on the same position) | token <bearer token> | sku <lo> <hi> | took 1 | pin 1
-- "{sku}" in a path or body becomes a random SKU in [lo, hi]; each request carries one of
-- the tokens at random, or with `pin` (and one thread per connection) thread n's token n.
-- Requests are built up front (a pool of 4096, drawn at random) so building them costs
-- nothing during the run. With `took`, Elasticsearch's "took" is read from every response body.
-- done() prints one line: BENCH_JSON {...} (times in microseconds).

local threads = {}
local pool, size, cursor, random_pick = {}, 0, 0, false
tooks = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    fields[#fields + 1] = field
  end
  return fields
end

function init(args)
  local method, headers, paths, bodies, tokens = "GET", {}, {}, {}, {}
  local sku_lo, sku_hi, took, pin = nil, nil, false, false
  for line in io.lines(args[1]) do
    local f = split(line)
    if f[1] == "method" then method = f[2]
    elseif f[1] == "header" then headers[f[2]] = f[3]
    elseif f[1] == "path" then paths[#paths + 1] = f[2]
    elseif f[1] == "body" then bodies[#bodies + 1] = f[2]
    elseif f[1] == "token" then tokens[#tokens + 1] = f[2]
    elseif f[1] == "sku" then sku_lo, sku_hi = tonumber(f[2]), tonumber(f[3])
    elseif f[1] == "took" then took = true
    elseif f[1] == "pin" then pin = true
    end
  end
  if pin then tokens = { tokens[(thread_number - 1) % #tokens + 1] } end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
  random_pick = sku_lo ~= nil or #tokens > 1
  size = random_pick and 4096 or #paths
  for k = 1, size do
    local at = ((k - 1) % #paths) + 1
    local path, body = paths[at], bodies[at]
    local h = {}
    for name, value in pairs(headers) do h[name] = value end
    if #tokens > 0 then h["Authorization"] = "Bearer " .. tokens[math.random(#tokens)] end
    if sku_lo then
      local sku = tostring(math.random(sku_lo, sku_hi))
      path = (path:gsub("{sku}", sku))
      if body then body = (body:gsub("{sku}", sku)) end
    end
    pool[k] = wrk.format(method, path, h, body)
  end
  if took then
    response = function(status, _, body)
      local t = body and body:sub(1, 64):match('"took":(%d+)')
      if t then tooks[#tooks + 1] = tonumber(t) end
    end
  end
end

function request()
  if random_pick then return pool[math.random(size)] end
  cursor = cursor % size + 1
  return pool[cursor]
end

function done(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    local t = thread:get("tooks")
    if t then
      for _, v in ipairs(t) do all[#all + 1] = v end
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"durationUs":%d,"requests":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latencyUs":{"min":%d,"mean":%.3f,"max":%d,"p50":%d,"p90":%d,"p95":%d,"p99":%d},' ..
      '"tooks":[%s]}\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    table.concat(all, ",")))
end
