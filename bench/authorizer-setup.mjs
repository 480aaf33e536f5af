// bench/authorizer-setup.mjs URL OPERATOR_KEY: makes an account, a third party it authorizes
// (message management only) and prints two tokens for the same route: the account's own
// access_token and the third party's authorizer_access_token, one per line.
import http from 'node:http';
import crypto from 'node:crypto';

const [base, key] = process.argv.slice(2);
const op = { authorization: `Bearer ${key}` };

async function call(method, path, body, headers = {}, redirect = 'manual') {
    const h = { ...headers };
    let data;
    if (body !== undefined && typeof body === 'object') {
        data = JSON.stringify(body);
        h['content-type'] = 'application/json';
    } else if (typeof body === 'string') {
        data = body;
        h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(base + path, { method, headers: h, body: data, redirect });
    const text = await res.text();
    let json;
    try {
        json = JSON.parse(text);
    } catch {
        json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
}

function must(cond, what) {
    if (!cond) throw new Error(what);
}

// the third party's event server: decrypts nothing, just keeps the last ticket in view
const tickets = [];
const aesKey = crypto.randomBytes(32).toString('base64').replace(/[^A-Za-z0-9]/g, 'a').slice(0, 43);
const token = 'benchtok1';
const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
        const enc = /<Encrypt><!\[CDATA\[([^\]]+)\]\]>/.exec(body)?.[1];
        if (enc) {
            const k = Buffer.from(aesKey + '=', 'base64').subarray(0, 32);
            const d = crypto.createDecipheriv('aes-256-cbc', k, k.subarray(0, 16));
            d.setAutoPadding(false);
            const p = Buffer.concat([d.update(Buffer.from(enc, 'base64')), d.final()]);
            const xml = p.subarray(20, 20 + p.readUInt32BE(16)).toString();
            const t = /<ComponentVerifyTicket><!\[CDATA\[([^\]]+)\]\]>/.exec(xml)?.[1];
            if (t) tickets.push(t);
        }
        res.end(req.method === 'GET' ? new URL(req.url, 'http://x').searchParams.get('echostr') || '' : 'success');
    });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const dev = `http://127.0.0.1:${server.address().port}`;

const reg = await call('POST', '/admin/v1/components', { name: 'Bench Third Party', token, encoding_aes_key: aesKey, auth_event_url: `${dev}/e`, message_url: `${dev}/$APPID$`, func_sets: [1], domains: ['127.0.0.1'] }, op);
must(reg.json?.errcode === 0, `component: ${reg.text}`);
const comp = reg.json.component;
for (let i = 0; i < 100 && !tickets.length; i++) await new Promise((r) => setTimeout(r, 100));
must(tickets.length, 'no ticket arrived');
const ct = await call('POST', '/cgi-bin/component/api_component_token', { component_appid: comp.component_appid, component_appsecret: comp.component_appsecret, component_verify_ticket: tickets[0] });
const ctoken = ct.json.component_access_token;
const pre = await call('POST', `/cgi-bin/component/api_create_preauthcode?component_access_token=${ctoken}`, { component_appid: comp.component_appid });
const acct = (await call('POST', '/admin/v1/accounts', { name: 'bench merchant', type: 'service', verified: true }, op)).json.account;
const user = (await call('POST', '/admin/v1/users', { username: `bench${Date.now()}`, password: 'pw-bench-1' }, op)).json.user;
must((await call('POST', '/admin/v1/accounts/admin', { appid: acct.appid, user_id: user.id }, op)).json?.errcode === 0, 'admin');
const login = await call('POST', '/app/login', `username=${user.username}&password=pw-bench-1&next=/app`);
const cookie = login.headers.get('set-cookie').split(';')[0];
const q = new URLSearchParams({ component_appid: comp.component_appid, pre_auth_code: pre.json.pre_auth_code, redirect_uri: 'http://127.0.0.1:9/back', auth_type: '3' });
const page = await call('GET', `/cgi-bin/componentloginpage?${q}`, undefined, { cookie });
const form = new URLSearchParams();
for (const m of page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) form.set(m[1], m[2].replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
form.set('authorizer_appid', acct.appid);
form.set('set_1', '1');
const ok = await call('POST', '/cgi-bin/componentloginpage', form.toString(), { cookie });
must(ok.status === 302, `approve: ${ok.status} ${ok.text.slice(0, 200)}`);
const code = new URL(ok.headers.get('location')).searchParams.get('auth_code');
const qa = await call('POST', `/cgi-bin/component/api_query_auth?component_access_token=${ctoken}`, { component_appid: comp.component_appid, authorization_code: code });
const own = await call('GET', `/cgi-bin/token?grant_type=client_credential&appid=${acct.appid}&secret=${acct.secret}`);
console.log(own.json.access_token);
console.log(qa.json.authorization_info.authorizer_access_token);
server.close();
process.exit(0);
