-- wrk script for bench/push: POST /client/v1/messages/send, a text message to $APPID from
-- the users whose bearer sessions are in $SESSIONS_FILE (one per line), rotating. An answer
-- is good only if it is HTTP 200 with "errcode":0; bad ones are counted by status/errcode and
-- reported by done() (CHECK line), like bench/lua/users.lua.
local appid = assert(os.getenv("APPID"), "APPID not set")
local auths = {}
local file = assert(os.getenv("SESSIONS_FILE"), "SESSIONS_FILE not set")
for line in io.lines(file) do
    if #line > 0 then auths[#auths + 1] = "Bearer " .. line end
end
assert(#auths > 0, "no sessions in SESSIONS_FILE")

local threads = {}
local nthreads = 0
function setup(thread)
    nthreads = nthreads + 1
    thread:set("id", nthreads)
    threads[#threads + 1] = thread
end

-- globals, so that done() can read them with thread:get()
idx, n, ok, bad, codes, sample = 0, 0, 0, 0, "", ""
local seen = {}
local headers = { ["Content-Type"] = "application/json" }
function init(args)
    math.randomseed(os.time() * 1000 + (id or 0))
    idx = math.random(#auths)
end

function request()
    idx = idx % #auths + 1
    n = n + 1
    headers["Authorization"] = auths[idx]
    local body = string.format('{"appid":"%s","msgtype":"text","content":"bench %d-%d"}', appid, id or 0, n)
    return wrk.format("POST", "/client/v1/messages/send", headers, body)
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
