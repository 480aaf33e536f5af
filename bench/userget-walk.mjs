// bench/userget's walk: GET /cgi-bin/user/get page after page (next_openid from the previous
// answer) until the empty page, as an SDK pages through followers. Checks every page: total
// equals EXPECTED, openids strictly ascending (so no repeats), next_openid = the page's last
// openid, the final page has count 0, no data and next_openid "".
//   node bench/userget-walk.mjs URL ACCESS_TOKEN EXPECTED
// Prints one line: pages followers wall_ms requests_ms page_p50_ms page_p99_ms page_max_ms
//   bytes problems (requests_ms: request written to answer read, summed; wall adds the checks)
import { client, pct } from './lib/http.mjs';

const [url, token, expectStr] = process.argv.slice(2);
const expected = Number(expectStr);
const c = client(url, 1);
const times = [];
let next = '', prev = '', followers = 0, bytes = 0, problems = 0, pages = 0;
const problem = (m) => {
    if (problems++ < 5) console.error('userget-walk: ' + m);
};
const w0 = process.hrtime.bigint();
for (;;) {
    const t0 = process.hrtime.bigint();
    const r = await c.get(`/cgi-bin/user/get?access_token=${token}&next_openid=${encodeURIComponent(next)}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    pages++;
    bytes += r.text.length;
    const b = r.body;
    if (r.status !== 200 || !b || b.errcode) {
        problem(`page ${pages}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
        break;
    }
    if (b.total !== expected) problem(`page ${pages}: total ${b.total}, expected ${expected}`);
    if (b.count === 0) {
        if (b.data !== undefined || b.next_openid !== '') problem(`final page: ${r.text.slice(0, 200)}`);
        break;
    }
    const ids = b.data?.openid || [];
    if (ids.length !== b.count) problem(`page ${pages}: count ${b.count}, ${ids.length} openids`);
    for (const id of ids) {
        if (!(id > prev)) problem(`page ${pages}: ${id} after ${prev}`);
        prev = id;
    }
    if (b.next_openid !== prev) problem(`page ${pages}: next_openid ${b.next_openid}, last ${prev}`);
    followers += ids.length;
    next = b.next_openid;
    if (pages > expected / 100 + 10) {
        problem('too many pages');
        break;
    }
}
const wall = Number(process.hrtime.bigint() - w0) / 1e6;
if (followers !== expected) problem(`walked ${followers} followers, expected ${expected}`);
const sorted = [...times].sort((a, b) => a - b);
console.log([pages, followers, wall.toFixed(1), times.reduce((a, b) => a + b, 0).toFixed(1),
    pct(sorted, 50).toFixed(2), pct(sorted, 99).toFixed(2), sorted[sorted.length - 1].toFixed(2), bytes, problems].join(' '));
c.close();
