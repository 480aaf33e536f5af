// Idle push delay for bench/push: one user sends N text messages one at a time; for each,
// the time from just before the request is written to the developer server (bench/devsink.c)
// receiving the push, and the time until the client API answered. Both clocks are
// CLOCK_MONOTONIC (process.hrtime and the sink's at_ns), so the two processes compare.
//   node bench/push-probe.mjs URL SESSION APPID SINK_URL N GAP_MS
// Prints one line, in ms: push_p50 push_p99 push_max api_p50 api_p99 lost.
import { client, pct, must } from './lib/http.mjs';

const [url, session, appid, sinkUrl, nStr, gapStr] = process.argv.slice(2);
const n = Number(nStr), gap = Number(gapStr);
const c = client(url, 1), sink = client(sinkUrl, 1);
const auth = { authorization: `Bearer ${session}` };
const count = async () => {
    const m = /ok (\d+) bad (\d+)/.exec((await sink.get('/_stats')).text);
    return Number(m[1]) + Number(m[2]);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const push = [], api = [];
let lost = 0;
let base = await count();
for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    must(await c.post('/client/v1/messages/send', { appid, msgtype: 'text', content: `probe ${i}` }, auth), 'send');
    const t1 = process.hrtime.bigint();
    const w = (await sink.get(`/_wait?n=${base + 1}&ms=10000`)).text;
    const at = BigInt(/at_ns (\d+)/.exec(w)[1]);
    if (at === 0n) {
        lost++;
        base = await count();
    } else {
        base++;
        push.push(Number(at - t0) / 1e6);
    }
    api.push(Number(t1 - t0) / 1e6);
    await sleep(gap);
}
const sorted = (v) => [...v].sort((a, b) => a - b);
const p = sorted(push), a = sorted(api);
const f = (x) => (Number.isFinite(x) ? x.toFixed(3) : 'nan');
console.log([pct(p, 50), pct(p, 99), p[p.length - 1], pct(a, 50), pct(a, 99)].map(f).join(' ') + ` ${lost}`);
c.close();
sink.close();
