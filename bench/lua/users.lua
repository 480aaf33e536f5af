-- wrk script for bench/token-api: POST /admin/v1/users with a unique username per request
-- (run tag + thread id + counter + random), Authorization from $OPERATOR_KEY. An answer is
-- good only if it is HTTP 200 with "errcode":0; bad answers are counted by status/errcode and
-- reported by done().
local key = assert(os.getenv("OPERATOR_KEY"), "OPERATOR_KEY not set")
local tag = os.getenv("RUN_TAG") or tostring(os.time())

local threads = {}
local nthreads = 0
function setup(thread)
    nthreads = nthreads + 1
    thread:set("id", nthreads)
    threads[#threads + 1] = thread
end

-- globals, so that done() can read them with thread:get()
n, ok, bad, codes, sample = 0, 0, 0, "", ""
local seen = {}
local headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
local prefix
function init(args)
    math.randomseed(os.time() * 1000 + (id or 0))
    prefix = string.format("b%s_%d_%d_", tag, id or 0, math.random(1, 1e9))
end

function request()
    n = n + 1
    local body = string.format('{"username":"%s%d_%d"}', prefix, n, math.random(1, 1e9))
    return wrk.format("POST", "/admin/v1/users", headers, body)
end

function response(status, hdrs, body)
    if status == 200 and body:find('"errcode":0,', 1, true) then
        ok = ok + 1
    else
        bad = bad + 1
        local code = "http" .. status .. "/" .. (body:match('"errcode":(%-?%d+)') or "?")
        seen[code] = (seen[code] or 0) + 1
        if sample == "" then sample = body:sub(1, 200) end
        local t = {}
        for k, v in pairs(seen) do t[#t + 1] = k .. "=" .. v end
        codes = table.concat(t, ",")
    end
end

function done(summary, latency, requests)
    local tok, tbad, allcodes, smp = 0, 0, {}, ""
    for _, t in ipairs(threads) do
        tok = tok + (t:get("ok") or 0)
        tbad = tbad + (t:get("bad") or 0)
        local c = t:get("codes") or ""
        if c ~= "" then allcodes[#allcodes + 1] = c end
        if smp == "" then smp = t:get("sample") or "" end
    end
    io.write(string.format("CHECK ok=%d bad=%d codes=%s\n", tok, tbad, table.concat(allcodes, ";")))
    if smp ~= "" then io.write("CHECK sample=" .. smp .. "\n") end
end
