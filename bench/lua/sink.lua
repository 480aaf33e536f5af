-- wrk script for bench/push's developer-server ceiling: POSTs the push in $SAMPLE.path and
-- $SAMPLE.body (bench/push-sample.mjs) over and over; answers other than "success" are bad.
local function slurp(p)
    local f = assert(io.open(p, "rb"))
    local s = f:read("*a")
    f:close()
    return s
end
local base = assert(os.getenv("SAMPLE"), "SAMPLE not set")
wrk.method = "POST"
wrk.path = slurp(base .. ".path")
wrk.body = slurp(base .. ".body")
wrk.headers["Content-Type"] = "text/xml"

local threads = {}
function setup(thread) threads[#threads + 1] = thread end
ok, bad = 0, 0
function response(status, headers, body)
    if status == 200 and body == "success" then ok = ok + 1 else bad = bad + 1 end
end
function done()
    local o, b = 0, 0
    for _, t in ipairs(threads) do o = o + t:get("ok"); b = b + t:get("bad") end
    io.write(string.format("CHECK ok=%d bad=%d codes=\n", o, b))
end
