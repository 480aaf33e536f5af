-- wrk script for bench/token-api: GET /cgi-bin/token, rotating over the appid/secret pairs in
-- $ACCOUNTS_FILE (one "appid secret" per line), so no account nears its 2000-a-day quota.
-- Every answer is checked: one without "access_token" is counted as bad (by errcode) and
-- reported by done().
local pairs_ = {}
for line in io.lines(os.getenv("ACCOUNTS_FILE")) do
    local a, s = line:match("^(%S+)%s+(%S+)")
    if a then pairs_[#pairs_ + 1] = "/cgi-bin/token?grant_type=client_credential&appid=" .. a .. "&secret=" .. s end
end
assert(#pairs_ > 0, "no accounts in ACCOUNTS_FILE")

local threads = {}
local nthreads = 0
function setup(thread)
    nthreads = nthreads + 1
    thread:set("id", nthreads)
    threads[#threads + 1] = thread
end

-- globals, so that done() can read them with thread:get()
idx, ok, bad, codes, sample = 0, 0, 0, "", ""
local seen = {}
function init(args)
    math.randomseed(os.time() * 1000 + (id or 0))
    idx = math.random(#pairs_)
end

function request()
    idx = idx % #pairs_ + 1
    return wrk.format("GET", pairs_[idx])
end

function response(status, headers, body)
    if status == 200 and body:find('"access_token":"', 1, true) then
        ok = ok + 1
    else
        bad = bad + 1
        local code = body:match('"errcode":(%-?%d+)') or ("http" .. status)
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
