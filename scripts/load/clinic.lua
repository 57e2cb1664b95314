-- wrk script for scripts/clinic-load.py: one kind of request per run (or a mix for the soak),
-- each request signed in with a personal API token from the tokens file that
-- scripts/clinic-fill.py wrote. Arguments after `--`: KIND TOKENS_FILE HOST.
--   dashboard  GET /clinic/{clinic}/dashboard as a clinician picked at random (session cookie)
--   today      GET / (the patient's Today page) as each patient in turn
--   api-today  GET /api/v1/today as each patient in turn
--   write      POST /api/v1/entries (a new id each time) as each patient in turn
--   fhir       GET /fhir/Observation?patient=…&_count=50 as the patient's clinician
--   mix        the soak: 40 % today, 30 % write, 20 % fhir, 10 % dashboard

local kind, host
local patients, clinicians, clinician_of = {}, {}, {}
local counter, thread_tag = 0, 0
local threads = {}

local function load(file)
  local n = 0
  for line in io.lines(file) do
    local role, id, token, clinic = line:match("^([^,]+),([^,]+),([^,]+),([^,]+)$")
    if role == "clinician" then
      clinicians[#clinicians + 1] = { id = id, token = token, clinic = clinic }
    elseif role == "session" then
      -- Written right after its clinician's line by scripts/clinic-load.py.
      clinicians[#clinicians].cookie = token
    elseif role == "patient" then
      n = n + 1
      patients[#patients + 1] = { id = id, token = token, clinic = clinic }
    end
  end
  -- 200 patients per clinician, in the order the fill wrote them.
  for i, p in ipairs(patients) do
    clinician_of[i] = clinicians[math.floor((i - 1) / 200) + 1]
  end
end

function setup(thread)
  thread_tag = thread_tag + 1
  thread:set("tag", thread_tag)
  threads[#threads + 1] = thread
end

function init(args)
  kind, host = args[1], args[3]
  load(args[2])
  math.randomseed(os.time() + (tag or 0) * 7919)
  counter = (tag or 0) * 100003
end

local function get(path, token, accept)
  return wrk.format("GET", path, {
    ["Host"] = host,
    ["Authorization"] = "Bearer " .. token,
    ["Accept"] = accept or "text/html",
  })
end

local function uuid()
  -- Version 4 layout; the randomness differs per thread (seeded above).
  local r = function(n) return string.format("%0" .. n .. "x", math.random(0, 16 ^ n - 1)) end
  return r(8) .. "-" .. r(4) .. "-4" .. r(3) .. "-a" .. r(3) .. "-" .. r(6) .. r(6)
end

local function one(k)
  counter = counter + 1
  if k == "dashboard" then
    -- Chosen at random, not in turn: in turn, with HAProxy's round robin alternating per
    -- request, each clinician kept landing on the same one of the two servers, and a new wrk
    -- process could flip them all to the other one, whose memory of their caseload was cold
    -- (a burst of slow views at the start of each run, not a cost real use would see).
    local c = clinicians[math.random(1, #clinicians)]
    return wrk.format("GET", "/clinic/" .. c.clinic .. "/dashboard", {
      ["Host"] = host,
      ["Cookie"] = "__Host-unknot-session=" .. c.cookie,
      ["Accept"] = "text/html",
    })
  elseif k == "today" then
    local p = patients[counter % #patients + 1]
    return get("/", p.token)
  elseif k == "api-today" then
    local p = patients[counter % #patients + 1]
    return get("/api/v1/today", p.token, "application/json")
  elseif k == "write" then
    local p = patients[counter % #patients + 1]
    local body = string.format('{"id":"%s","pain":%d,"note":"load"}', uuid(), counter % 11)
    return wrk.format("POST", "/api/v1/entries", {
      ["Host"] = host,
      ["Authorization"] = "Bearer " .. p.token,
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json",
    }, body)
  elseif k == "fhir" then
    local i = counter % #patients + 1
    local p, c = patients[i], clinician_of[i]
    return get("/fhir/Observation?patient=" .. p.id .. "&_count=50", c.token, "application/fhir+json")
  end
end

function request()
  if kind == "mix" then
    local x = math.random(1, 10)
    if x <= 4 then return one("today")
    elseif x <= 7 then return one("write")
    elseif x <= 9 then return one("fhir")
    else return one("dashboard") end
  end
  return one(kind)
end

local bad = 0
function response(status, headers, body)
  if status >= 300 then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("status " .. status .. ": " .. body:sub(1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.2f,"rps":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
