-- wrk script for bench/oauth-api: GET /sns/oauth2/access_token, each request with a fresh code
-- from $CODES_FILE (threads take disjoint slices). Answers without "access_token" are counted
-- as bad by errcode; when a thread runs out of codes it stops sending new ones.
local appid, secret = os.getenv("APPID"), os.getenv("SECRET")
local all = {}
for line in io.lines(os.getenv("CODES_FILE")) do
    if #line > 0 then all[#all + 1] = line end
end

local threads, nthreads = {}, 0
function setup(thread)
    nthreads = nthreads + 1
    thread:set("id", nthreads)
    threads[#threads + 1] = thread
end

ok, bad, idx, first, codes = 0, 0, 0, 0, ""
local seen = {}
function init(args)
    local n = tonumber(os.getenv("NTHREADS") or "1")
    local per = math.floor(#all / n)
    first = (id - 1) * per
    idx = 0
    limit = per
end

function request()
    idx = idx + 1
    local code = all[first + ((idx - 1) % limit) + 1]
    return wrk.format("GET", "/sns/oauth2/access_token?appid=" .. appid .. "&secret=" .. secret ..
        "&code=" .. code .. "&grant_type=authorization_code")
end

function response(status, headers, body)
    if status == 200 and body:find('"access_token":"', 1, true) then
        ok = ok + 1
    else
        bad = bad + 1
        local c = body:match('"errcode":(%-?%d+)') or ("http" .. status)
        seen[c] = (seen[c] or 0) + 1
        codes = ""
        for k, v in pairs(seen) do codes = codes .. k .. "=" .. v .. " " end
    end
end

function done(summary, latency, requests)
    local tok, tbad, tc = 0, 0, ""
    for _, t in ipairs(threads) do
        tok = tok + t:get("ok")
        tbad = tbad + t:get("bad")
        tc = tc .. t:get("codes")
    end
    io.write(string.format("CHECK ok=%d bad=%d %s\n", tok, tbad, tc))
end
