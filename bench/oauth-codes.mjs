// Mints OAuth codes for bench/oauth-api: signs in a demo user through /app/login, then asks
// /connect/oauth2/authorize (snsapi_base: answered by a redirect carrying the code) N times over
// keep-alive connections, and writes one code per line to OUT.
//   node bench/oauth-codes.mjs URL APPID REDIRECT_URI N OUT [SCOPE]
// With SCOPE snsapi_userinfo the first request meets the consent page, which is allowed once.
import http from 'node:http';
import { writeFileSync } from 'node:fs';

const [url, appid, redirect, nStr, out, scope = 'snsapi_base'] = process.argv.slice(2);
const n = Number(nStr);
const base = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

function get(path, headers = {}, method = 'GET', body = null) {
    return new Promise((resolve, reject) => {
        const req = http.request(
            { host: base.hostname, port: base.port, path, method, headers, agent },
            (res) => {
                let text = '';
                res.setEncoding('utf8');
                res.on('data', (d) => (text += d));
                res.on('end', () => resolve(Object.assign(res, { text })));
            });
        req.on('error', reject);
        if (body) req.write(body);
        req.end();
    });
}

const login = await get('/app/login', { 'content-type': 'application/x-www-form-urlencoded' },
    'POST', 'user_id=1&next=/app');
const cookie = String(login.headers['set-cookie'] || '').split(';')[0];
if (!cookie.startsWith('lj_session=')) throw new Error('sign-in failed: ' + login.statusCode);
const query = `appid=${appid}&redirect_uri=${encodeURIComponent(redirect)}` +
    `&response_type=code&scope=${scope}&state=b`;
const path = `/connect/oauth2/authorize?${query}`;
const first = await get(path, { cookie });
if (first.statusCode === 200) { // the consent page: allow once
    const csrf = /name="csrf" value="([0-9a-f]+)"/.exec(first.text);
    if (!csrf) throw new Error('no consent form');
    await get('/connect/oauth2/authorize', { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        'POST', `${query}&csrf=${csrf[1]}&decision=allow`);
}
const codes = [];
let next = 0;
async function worker() {
    while (next < n) {
        next++;
        const res = await get(path, { cookie });
        const m = /[?&]code=([^&#]+)/.exec(res.headers.location || '');
        if (!m) throw new Error('no code in ' + res.statusCode + ' ' + res.headers.location);
        codes.push(m[1]);
    }
}
const t0 = Date.now();
await Promise.all(Array.from({ length: 32 }, worker));
writeFileSync(out, codes.join('\n') + '\n');
agent.destroy();
console.error(`minted ${codes.length} codes in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
