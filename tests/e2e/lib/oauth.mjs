// Helpers for the web-authorization (OAuth 2.0) end-to-end tests: the demo world's accounts,
// cookie sign-in by hand, the authorize / consent round trip, the sns/* wire calls, raw HTTP
// for what fetch hides (response splitting), and PNG / QR checks.
//
//   const world = demoWorld(srv);                 // {service, subscription, website, openAppid, users}
//   const cookie = await signIn(srv, 'alice');    // 'lj_session=...'
//   const { code } = await authorize(srv, cookie, { appid, redirect_uri, scope: 'snsapi_base' });
//   const grant = await exchange(srv, appid, secret, code);
import assert from 'node:assert/strict';
import net from 'node:net';

export const DEMO_PASSWORD = 'lianjie-demo';

/** the demo accounts from the banner (lib/server.mjs's parseBanner skips the website app) */
export function demoWorld(srv) {
    const out = { service: null, subscription: null, website: null, openAppid: '', users: [] };
    const re =
        /^\s*(service|subscription|website)\s+(.+?)\s+appid (wx[0-9a-f]{16})\s+secret ([0-9a-f]{32})\s+\((verified|unverified)(, open platform)?\)/;
    for (const line of srv.stdout.split('\n')) {
        const m = re.exec(line);
        if (m && !out[m[1]])
            out[m[1]] = { type: m[1], name: m[2], appid: m[3], secret: m[4], verified: m[5] === 'verified', open: !!m[6] };
        const o = /^\s*open platform\s+(.+?)\s+appid (wx[0-9a-f]{16})\s*$/.exec(line);
        if (o && !out.openAppid)
            out.openAppid = o[2];
    }
    out.users = srv.banner.users;
    for (const k of ['service', 'subscription', 'website'])
        if (!out[k])
            throw new Error(`the demo banner has no ${k} account:\n${srv.stdout}`);
    return out;
}

export const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

/** URLSearchParams text of the defined fields */
export function qs(fields) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
        if (v !== undefined && v !== null)
            p.append(k, String(v));
    return p.toString();
}

/** one request with an optional cookie; adds .location (the raw Location header or null) */
export async function call(srv, method, path, { cookie, form, headers = {} } = {}) {
    const h = { ...headers };
    if (cookie)
        h.cookie = cookie;
    let body;
    if (form !== undefined) {
        body = typeof form === 'string' ? form : qs(form);
        Object.assign(h, formHeaders);
        // a browser posts a page's form with the page's origin (undefined: leave it out)
        if (!Object.keys(h).some((k) => k.toLowerCase() === 'origin'))
            h.origin = new URL(srv.url).origin;
        for (const k of Object.keys(h))
            if (h[k] === undefined)
                delete h[k];
    }
    const res = await srv.request(method, path, { headers: h, body });
    res.location = res.headers.get('location');
    return res;
}

export const get = (srv, path, cookie) => call(srv, 'GET', path, { cookie });
export const postForm = (srv, path, form, cookie) => call(srv, 'POST', path, { cookie, form });

/** the lj_session cookie pair out of a response's Set-Cookie, or '' */
export function sessionCookie(res) {
    const all = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [res.headers.get('set-cookie') || ''];
    for (const c of all) {
        const m = /^(lj_session=[^;]+)/.exec(c || '');
        if (m)
            return m[1];
    }
    return '';
}

/** signs in on /app/login with username and password; returns the cookie pair */
export async function signIn(srv, username, password = DEMO_PASSWORD, next = '/app') {
    const res = await postForm(srv, '/app/login', { username, password, next });
    assert.equal(res.status, 302, `sign-in of ${username}: ${res.status} ${res.text.slice(0, 300)}`);
    const cookie = sessionCookie(res);
    assert.ok(cookie, `sign-in of ${username} set no lj_session cookie`);
    return cookie;
}

/** creates a user with a password over the operator API; returns {id, username, password, nickname} */
export async function newUser(srv, prefix = 'u') {
    const username = `${prefix}${Math.random().toString(36).slice(2, 9)}`;
    const password = `pw-${username}`;
    const nickname = `Nick ${username}`;
    const r = await srv.op('POST', '/admin/v1/users', { username, password, nickname });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.errcode, 0, r.text);
    return { id: r.body.user.id, username, password, nickname };
}

/** the openid and unionid the operator API reports for (appid, user) */
export async function ids(srv, appid, userId) {
    const r = await srv.op('GET', `/admin/v1/ids?${qs({ appid, user_id: userId })}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.errcode, 0, r.text);
    return { openid: r.body.openid, unionid: r.body.unionid };
}

/** sets an account's web-authorization domain over the operator API */
export async function setOauthDomain(srv, appid, domain) {
    const r = await srv.op('POST', '/admin/v1/accounts/oauth_domain', { appid, oauth_domain: domain });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.errcode, 0, r.text);
    return r.body;
}

export function authorizePath({ appid, redirect_uri, scope = 'snsapi_base', state, response_type = 'code', ...extra }) {
    return `/connect/oauth2/authorize?${qs({ appid, redirect_uri, response_type, scope, state, ...extra })}`;
}

export function qrconnectPath({ appid, redirect_uri, scope = 'snsapi_login', state, response_type = 'code', ...extra }) {
    return `/connect/qrconnect?${qs({ appid, redirect_uri, response_type, scope, state, ...extra })}`;
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" };
export function htmlDecode(s) {
    return s.replace(/&(amp|lt|gt|quot|#39|apos|#(\d+));/g, (m, name, num) => (num ? String.fromCharCode(Number(num)) : ENTITIES[name]));
}

/** the hidden inputs of a page: {name: value} (the first of each name) */
export function hiddenFields(html) {
    const out = {};
    const re = /<input\b[^>]*\btype="hidden"[^>]*>/g;
    let m;
    while ((m = re.exec(html))) {
        const name = /\bname="([^"]*)"/.exec(m[0]);
        const value = /\bvalue="([^"]*)"/.exec(m[0]);
        if (name && !(name[1] in out))
            out[htmlDecode(name[1])] = value ? htmlDecode(value[1]) : '';
    }
    return out;
}

/** the text of the element with this id (no nesting), or null */
export function elementText(html, id) {
    const m = new RegExp(`<([a-z0-9]+)\\b[^>]*\\bid="${id}"[^>]*>([^<]*)</\\1>`, 'i').exec(html);
    return m ? htmlDecode(m[2]) : null;
}

/** an attribute of the element with this id, or null */
export function elementAttr(html, id, attr) {
    const m = new RegExp(`<[a-z0-9]+\\b[^>]*\\bid="${id}"[^>]*>`, 'i').exec(html);
    if (!m)
        return null;
    const a = new RegExp(`\\b${attr}="([^"]*)"`).exec(m[0]);
    return a ? htmlDecode(a[1]) : null;
}

/** asserts an error page of the authorization pages: HTTP 400, HTML, the code, no redirect */
export function expectErrorPage(res, code, what = '') {
    const where = `${what ? `${what}: ` : ''}${res.status} location=${res.location} ${res.text.slice(0, 400)}`;
    assert.equal(res.status, 400, `want the ${code} error page, got ${where}`);
    assert.equal(res.location, null, `an error page must not redirect: ${where}`);
    assert.match(res.headers.get('content-type') || '', /^text\/html/, where);
    assert.ok(res.text.includes(`Error ${code}`), `want code ${code} on the page, got ${where}`);
    assert.ok(!/[?&]code=/.test(res.text), `an error page must not carry a code: ${where}`);
}

/** the consent page's parts: account name, form fields and the buttons */
export function consentPage(res) {
    assert.equal(res.status, 200, `want the consent page, got ${res.status} ${res.location} ${res.text.slice(0, 300)}`);
    assert.match(res.headers.get('content-type') || '', /^text\/html/);
    const html = res.text;
    const account = elementText(html, 'account');
    assert.ok(account !== null, `no h1#account on the consent page: ${html.slice(0, 500)}`);
    assert.match(html, /<h1\b[^>]*id="account"/);
    assert.match(html, /<button\b[^>]*id="allow"/);
    assert.match(html, /<button\b[^>]*id="deny"/);
    const form = /<form\b[^>]*method="post"[^>]*action="([^"]*)"/i.exec(html);
    assert.ok(form, 'the consent page has no POST form');
    const fields = hiddenFields(html);
    assert.match(fields.csrf || '', /^[0-9a-f]{64}$/, 'the consent form has no csrf field');
    return { account, action: htmlDecode(form[1]), fields };
}

/** the query parameters of a redirect target (before any #fragment), as a URL */
export function target(location) {
    assert.ok(location, 'no Location header');
    return new URL(location);
}

/**
 * GET authorize as the signed-in user; answers the consent page (decision 'allow' or 'deny')
 * when it comes. Returns {location, url, code, state, consented}.
 */
export async function authorize(srv, cookie, params, decision = 'allow') {
    let res = await get(srv, authorizePath(params), cookie);
    let consented = false;
    if (res.status === 200) {
        const page = consentPage(res);
        consented = true;
        res = await postForm(srv, page.action, { ...page.fields, decision }, cookie);
    }
    assert.equal(res.status, 302, `authorize: ${res.status} ${res.text.slice(0, 300)}`);
    const url = target(res.location);
    return { location: res.location, url, code: url.searchParams.get('code'), state: url.searchParams.get('state'), consented };
}

/** GET sns/oauth2/access_token; returns the response (body parsed) */
export function exchangeRaw(srv, fields) {
    return srv.get(`/sns/oauth2/access_token?${qs(fields)}`);
}

/** exchanges a code; asserts success and answers the grant */
export async function exchange(srv, appid, secret, code) {
    const r = await exchangeRaw(srv, { appid, secret, code, grant_type: 'authorization_code' });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body && typeof r.body.access_token === 'string', `exchange failed: ${r.text}`);
    assert.equal(r.body.errcode, undefined, r.text);
    return r.body;
}

export function refreshRaw(srv, fields) {
    return srv.get(`/sns/oauth2/refresh_token?${qs(fields)}`);
}

export async function refresh(srv, appid, refresh_token) {
    const r = await refreshRaw(srv, { appid, grant_type: 'refresh_token', refresh_token });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body && typeof r.body.access_token === 'string', `refresh failed: ${r.text}`);
    return r.body;
}

export function userinfo(srv, access_token, openid, lang) {
    return srv.get(`/sns/userinfo?${qs({ access_token, openid, lang })}`);
}

export function snsAuth(srv, access_token, openid) {
    return srv.get(`/sns/auth?${qs({ access_token, openid })}`);
}

/** POST /client/v1/login; answers the bearer session */
export async function clientSession(srv, username, password = DEMO_PASSWORD) {
    const r = await srv.post('/client/v1/login', { username, password });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.errcode, 0, r.text);
    return r.body.session;
}

/** the uuid of a qrconnect page */
export function qrUuid(html) {
    const src = elementAttr(html, 'qr', 'src');
    assert.ok(src, `no img#qr on the page: ${html.slice(0, 500)}`);
    const m = /^\/connect\/qrcode\?uuid=([A-Za-z0-9_-]+)$/.exec(src);
    assert.ok(m, `img#qr src: ${src}`);
    return m[1];
}

export async function poll(srv, uuid) {
    const r = await srv.get(`/connect/qrconnect/poll?${qs({ uuid })}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(typeof r.body.status, 'number', r.text);
    return r.body;
}

/**
 * One raw HTTP/1.1 request with Connection: close; answers {status, head (raw text, CRLFs
 * kept), headerLines, body}. For what fetch would normalise or refuse.
 */
export function rawHttp(port, method, path, headers = {}, body = '') {
    return new Promise((resolve, reject) => {
        const sock = net.connect(port, '127.0.0.1');
        const chunks = [];
        sock.setTimeout(10000, () => {
            sock.destroy();
            reject(new Error(`raw ${method} ${path}: timeout`));
        });
        sock.on('error', reject);
        sock.on('data', (d) => chunks.push(d));
        sock.on('close', () => {
            const all = Buffer.concat(chunks).toString('latin1');
            const end = all.indexOf('\r\n\r\n');
            const head = end < 0 ? all : all.slice(0, end);
            const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
            resolve({ status: m ? Number(m[1]) : 0, head, headerLines: head.split('\r\n').slice(1), body: end < 0 ? '' : all.slice(end + 4) });
        });
        sock.on('connect', () => {
            let req = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`;
            for (const [k, v] of Object.entries(headers))
                req += `${k}: ${v}\r\n`;
            if (body)
                req += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
            sock.write(`${req}\r\n${body}`);
        });
    });
}

/** PNG signature and IHDR: {width, height, bitDepth, colorType}; throws when not a PNG */
export function pngInfo(buf) {
    const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(buf.length > 33, `PNG too short: ${buf.length} bytes`);
    assert.deepEqual(buf.subarray(0, 8), sig, 'no PNG signature');
    assert.equal(buf.subarray(12, 16).toString('latin1'), 'IHDR', 'the first chunk is not IHDR');
    assert.equal(buf.readUInt32BE(8), 13, 'IHDR length');
    const chunks = [];
    for (let off = 8; off + 8 <= buf.length; ) {
        const len = buf.readUInt32BE(off);
        chunks.push(buf.subarray(off + 4, off + 8).toString('latin1'));
        off += 12 + len;
    }
    return {
        width: buf.readUInt32BE(16),
        height: buf.readUInt32BE(20),
        bitDepth: buf[24],
        colorType: buf[25],
        chunks,
    };
}

/** decodes the QR code in a PNG with pngjs + jsQR: the text, or undefined when those packages are missing */
export async function decodeQrPng(buf) {
    let PNG, jsQR;
    try {
        ({ PNG } = await import('pngjs'));
        jsQR = (await import('jsqr')).default;
    } catch {
        return undefined;
    }
    const img = PNG.sync.read(buf);
    const res = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
    return res ? res.data : null;
}

/** true when the Location header, resolved against base, stays on base's origin */
export function staysOnOrigin(location, base) {
    return new URL(location, base).origin === new URL(base).origin;
}
