// Every error of the token and quota APIs, wrong methods, unknown paths, and hostile input:
// malformed %-encodings, huge query strings, empty, garbage and wrongly typed bodies. After
// each batch the process must still run, be free of sanitizer reports and answer /healthz.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { expectErr, isJsonType, rawRequest, useServer } from './lib/server.mjs';

const UNKNOWN_APPID = 'wx0123456789abcdef';

function tokenQuery(params) {
    return '/cgi-bin/token?' + Object.entries(params).map(([k, v]) => `${k}=${v}`).join('&');
}

describe('wire errors', () => {
    // the operator key is needed to make accounts, so an external server needs one
    const h = useServer({ external: !!process.env.LIANJIE_OPERATOR_KEY });
    let acct; // {appid, secret}
    let token; // a valid access token of acct

    async function ensureAccount(srv) {
        if (!acct) {
            acct = await srv.createAccount({ name: 'errors' });
            token = (await srv.token(acct.appid, acct.secret)).access_token;
            assert.ok(token);
        }
        return acct;
    }

    it('answers cgi-bin/token errors: 40002, 41002, 40013, 41004 and 40001', async () => {
        const { srv } = h;
        const a = await ensureAccount(srv);
        const cases = [
            [{ appid: a.appid, secret: a.secret }, 40002, 'no grant_type'],
            [{ grant_type: '', appid: a.appid, secret: a.secret }, 40002, 'empty grant_type'],
            [{ grant_type: 'authorization_code', appid: a.appid, secret: a.secret }, 40002, 'other grant_type'],
            [{ grant_type: 'CLIENT_CREDENTIAL', appid: a.appid, secret: a.secret }, 40002, 'grant_type in capitals'],
            [{ grant_type: 'client_credential', secret: a.secret }, 41002, 'no appid'],
            [{ grant_type: 'client_credential', appid: '', secret: a.secret }, 41002, 'empty appid'],
            [{ grant_type: 'client_credential', appid: 'wx123', secret: a.secret }, 40013, 'short appid'],
            [{ grant_type: 'client_credential', appid: a.appid + '0', secret: a.secret }, 40013, 'long appid'],
            [{ grant_type: 'client_credential', appid: a.appid.toUpperCase(), secret: a.secret }, 40013, 'upper-case appid'],
            [{ grant_type: 'client_credential', appid: 'wxzzzzzzzzzzzzzzzz', secret: a.secret }, 40013, 'non-hex appid'],
            [{ grant_type: 'client_credential', appid: 'x'.repeat(5000), secret: a.secret }, 40013, 'very long appid'],
            [{ grant_type: 'client_credential', appid: UNKNOWN_APPID, secret: a.secret }, 40013, 'unknown appid'],
            [{ grant_type: 'client_credential', appid: a.appid }, 41004, 'no secret'],
            [{ grant_type: 'client_credential', appid: a.appid, secret: '' }, 41004, 'empty secret'],
            [{ grant_type: 'client_credential', appid: a.appid, secret: '0'.repeat(32) }, 40001, 'wrong secret'],
            [{ grant_type: 'client_credential', appid: a.appid, secret: a.secret.toUpperCase() }, 40001, 'secret in capitals'],
            [{ grant_type: 'client_credential', appid: a.appid, secret: a.secret + '0' }, 40001, 'secret with a suffix'],
            [{ grant_type: 'client_credential', appid: a.appid, secret: 's'.repeat(5000) }, 40001, 'very long secret'],
        ];
        for (const [params, code, what] of cases) {
            const res = await srv.get(tokenQuery(params));
            assert.ok(isJsonType(res.headers), what);
            try {
                expectErr(res, code);
            } catch (e) {
                throw new Error(`${what}: ${e.message}`);
            }
        }
        await srv.assertClean('cgi-bin/token errors');
    });

    it('answers 40164 to token calls from an IP outside the allow-list, plain and stable', async () => {
        const { srv } = h;
        const a = await srv.createAccount({ name: 'errors-ip' });
        const wl = await srv.op('POST', '/admin/v1/accounts/ip_whitelist', { appid: a.appid, ip_whitelist: '10.0.0.1,192.0.2.7' });
        assert.equal(wl.status, 200, wl.text);
        expectErr(await srv.get(tokenQuery({ grant_type: 'client_credential', appid: a.appid, secret: a.secret })), 40164);
        expectErr(await srv.post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: a.appid, secret: a.secret }), 40164);
        // the secret is checked first: a wrong secret is still 40001 / 40125
        expectErr(await srv.get(tokenQuery({ grant_type: 'client_credential', appid: a.appid, secret: '0'.repeat(32) })), 40001);
    });

    it('answers cgi-bin/token with 43001 for every method but GET', async () => {
        const { srv } = h;
        const a = await ensureAccount(srv);
        const p = tokenQuery({ grant_type: 'client_credential', appid: a.appid, secret: a.secret });
        for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
            const res = await srv.request(method, p, { body: method === 'OPTIONS' ? undefined : '{}' });
            try {
                expectErr(res, 43001);
            } catch (e) {
                throw new Error(`${method}: ${e.message}`);
            }
        }
        await srv.assertClean();
    });

    it('answers POST-only wire APIs with 43002 for GET', async () => {
        const { srv } = h;
        await ensureAccount(srv);
        for (const p of [
            '/cgi-bin/stable_token',
            `/cgi-bin/clear_quota?access_token=${token}`,
            '/cgi-bin/clear_quota/v2',
            `/cgi-bin/openapi/quota/get?access_token=${token}`,
            `/cgi-bin/openapi/quota/clear?access_token=${token}`,
        ])
            expectErr(await srv.get(p), 43002);
        for (const p of [`/cgi-bin/getcallbackip?access_token=${token}`, `/cgi-bin/get_api_domain_ip?access_token=${token}`])
            expectErr(await srv.post(p, '{}'), 43001);
    });

    it('answers stable_token errors: 44002, 47001, 40002, 41002, 40013, 41004 and 40125', async () => {
        const { srv } = h;
        const a = await ensureAccount(srv);
        const good = { grant_type: 'client_credential', appid: a.appid, secret: a.secret };
        const raw = [
            ['', 44002, 'empty body'],
            ['   \r\n\t ', 44002, 'whitespace body'],
            ['{', 47001, 'truncated JSON'],
            ['not json at all', 47001, 'text'],
            ['[]', 47001, 'an array'],
            ['"client_credential"', 47001, 'a string'],
            ['null', 47001, 'null'],
            ['42', 47001, 'a number'],
            [JSON.stringify(good) + ' {}', 47001, 'trailing data'],
            [JSON.stringify(good) + '\u0000junk', 47001, 'a NUL byte and trailing junk'],
            [JSON.stringify(good) + '\u0000', 47001, 'a trailing NUL byte'],
            [JSON.stringify(good).slice(0, -1), 47001, 'unterminated object'],
            ["{'grant_type':'client_credential'}", 47001, 'single quotes'],
            ['{"appid":"' + a.appid + '",}', 47001, 'trailing comma'],
        ];
        for (const [body, code, what] of raw) {
            const res = await srv.request('POST', '/cgi-bin/stable_token', { body });
            try {
                expectErr(res, code);
            } catch (e) {
                throw new Error(`${what}: ${e.message}`);
            }
        }
        const typed = [
            [{ ...good, appid: 123 }, 47001, 'numeric appid'],
            [{ ...good, secret: true }, 47001, 'boolean secret'],
            [{ ...good, grant_type: ['client_credential'] }, 47001, 'array grant_type'],
            [{ ...good, appid: { id: a.appid } }, 47001, 'object appid'],
            [{ ...good, force_refresh: 'yes' }, 47001, 'force_refresh "yes"'],
            [{ ...good, force_refresh: 2 }, 47001, 'force_refresh 2'],
            [{ ...good, force_refresh: {} }, 47001, 'force_refresh {}'],
            [{ ...good, force_refresh: [] }, 47001, 'force_refresh []'],
            [{ appid: a.appid, secret: a.secret }, 40002, 'no grant_type'],
            [{ ...good, grant_type: 'password' }, 40002, 'wrong grant_type'],
            [{ ...good, grant_type: 'g'.repeat(1000) }, 40002, 'long grant_type'],
            [{ grant_type: 'client_credential', secret: a.secret }, 41002, 'no appid'],
            [{ ...good, appid: '' }, 41002, 'empty appid'],
            [{ ...good, appid: 'wx12' }, 40013, 'malformed appid'],
            [{ ...good, appid: 'w'.repeat(10000) }, 40013, 'long appid'],
            [{ ...good, appid: UNKNOWN_APPID }, 40013, 'unknown appid'],
            [{ ...good, appid: a.appid.slice(0, 2) + '\u0000' + a.appid.slice(3) }, 47001, 'appid with a NUL (a JSON body holding NUL is refused)'],
            [{ grant_type: 'client_credential', appid: a.appid }, 41004, 'no secret'],
            [{ ...good, secret: '' }, 41004, 'empty secret'],
            [{ ...good, secret: 'f'.repeat(32) }, 40125, 'wrong secret'],
            [{ ...good, secret: 'f'.repeat(10000) }, 40125, 'long secret'],
        ];
        for (const [body, code, what] of typed) {
            const res = await srv.post('/cgi-bin/stable_token', body);
            try {
                expectErr(res, code);
            } catch (e) {
                throw new Error(`${what}: ${e.message}`);
            }
        }
        assert.ok((await srv.post('/cgi-bin/stable_token', { ...good, extra: [1, { x: null }] })).body.access_token, 'unknown fields are ignored');
        await srv.assertClean('stable_token errors');
    });

    it('answers token-taking APIs with 41001 without a token and 40001 for a bad one', async () => {
        const { srv } = h;
        await ensureAccount(srv);
        for (const base of ['/cgi-bin/getcallbackip', '/cgi-bin/get_api_domain_ip']) {
            expectErr(await srv.get(base), 41001);
            expectErr(await srv.get(`${base}?access_token=`), 41001);
            expectErr(await srv.get(`${base}?other=1`), 41001);
            expectErr(await srv.get(`${base}?access_token=nope`), 40001);
            expectErr(await srv.get(`${base}?access_token=${token}x`), 40001);
            expectErr(await srv.get(`${base}?access_token=${token.slice(0, -1)}`), 40001);
            expectErr(await srv.get(`${base}?access_token=${'A'.repeat(600)}`), 40001);
            expectErr(await srv.get(`${base}?access_token=%zz${token}`), 40001);
            assert.ok((await srv.get(`${base}?access_token=${token}`)).body.ip_list);
            assert.ok((await srv.get(`${base}?x=1&access_token=${token}&y=2`)).body.ip_list, 'token not first in the query');
        }
        for (const base of ['/cgi-bin/clear_quota', '/cgi-bin/openapi/quota/get', '/cgi-bin/openapi/quota/clear']) {
            expectErr(await srv.post(base, { appid: acct.appid, cgi_path: '/cgi-bin/token' }), 41001);
            expectErr(await srv.post(`${base}?access_token=bad`, { appid: acct.appid, cgi_path: '/cgi-bin/token' }), 40001);
        }
        await srv.assertClean();
    });

    it('answers clear_quota, clear_quota/v2 and quota body errors', async () => {
        const { srv } = h;
        const a = await ensureAccount(srv);
        const cq = `/cgi-bin/clear_quota?access_token=${token}`;
        expectErr(await srv.request('POST', cq, { body: '' }), 44002);
        expectErr(await srv.request('POST', cq, { body: '{{' }), 47001);
        expectErr(await srv.post(cq, { appid: 12 }), 47001);
        expectErr(await srv.post(cq, {}), 41002);
        expectErr(await srv.post(cq, { appid: '' }), 41002);
        expectErr(await srv.post(cq, { appid: UNKNOWN_APPID }), 40013);

        const v2 = '/cgi-bin/clear_quota/v2';
        expectErr(await srv.request('POST', v2, { body: '' }), 41002);
        expectErr(await srv.request('POST', v2, { body: 'garbage' }), 47001);
        expectErr(await srv.post(v2, { appid: 5, appsecret: a.secret }), 47001);
        expectErr(await srv.post(v2, { appid: a.appid, appsecret: false }), 47001);
        expectErr(await srv.post(v2, { appsecret: a.secret }), 41002);
        expectErr(await srv.post(v2, { appid: a.appid }), 41004);
        expectErr(await srv.post(v2, { appid: UNKNOWN_APPID, appsecret: a.secret }), 40013);
        expectErr(await srv.post(v2, { appid: a.appid, appsecret: '1'.repeat(32) }), 40125);

        for (const api of ['get', 'clear']) {
            const p = `/cgi-bin/openapi/quota/${api}?access_token=${token}`;
            expectErr(await srv.request('POST', p, { body: '' }), 44002);
            expectErr(await srv.request('POST', p, { body: '[1,2' }), 47001);
            expectErr(await srv.post(p, { cgi_path: 7 }), 47001);
            const missing = await srv.post(p, {});
            assert.equal(missing.status, 200);
            assert.ok(missing.body.errcode > 0, `missing cgi_path must be an error: ${missing.text}`);
            const long = await srv.post(p, { cgi_path: '/cgi-bin/' + 'x'.repeat(5000) });
            assert.equal(long.status, 200);
            assert.ok(long.body.errcode > 0, long.text);
        }
        await srv.assertClean('quota body errors');
    });

    it("answers clear_quota with 40013 (not 41002 'appid missing') for an over-long appid", async () => {
        const { srv } = h;
        await ensureAccount(srv);
        const cq = `/cgi-bin/clear_quota?access_token=${token}`;
        expectErr(await srv.post(cq, { appid: acct.appid + '0' }), 40013);
        expectErr(await srv.post(cq, { appid: 'wx' + 'a'.repeat(200) }), 40013);
    });

    it('answers unknown paths with HTTP 404 and a JSON envelope', async () => {
        const { srv } = h;
        for (const p of ['/', '/nope', '/cgi-bin', '/cgi-bin/', '/cgi-bin/tokens', '/cgi-bin/token/extra', '/CGI-BIN/TOKEN', '/healthz.json', '/admin/v1', '/%00', '/..%2f..%2fetc%2fpasswd', '/cgi-bin/../healthz%2e']) {
            const res = await srv.get(p);
            assert.equal(res.status, 404, `${p}: ${res.status} ${res.text}`);
            assert.ok(isJsonType(res.headers), p);
            assert.equal(res.body.errcode, 404, p);
            assert.equal(typeof res.body.errmsg, 'string');
        }
        const post = await srv.post('/no/such/api', { a: 1 });
        assert.equal(post.status, 404);
        assert.equal(post.body.errcode, 404);
    });

    it('collapses repeated slashes and ignores a trailing slash', async () => {
        const { srv } = h;
        const a = await ensureAccount(srv);
        const q = `grant_type=client_credential&appid=${a.appid}&secret=${a.secret}`;
        for (const p of [`//cgi-bin//token?${q}`, `/cgi-bin///token?${q}`, `/cgi-bin/token/?${q}`]) {
            const res = await srv.get(p);
            assert.ok(res.body.access_token, `${p}: ${res.text}`);
        }
        const res = await srv.get(`//cgi-bin//getcallbackip?access_token=${token}`);
        assert.ok(res.body.ip_list, res.text);
        assert.equal((await srv.get('///healthz')).body.status, 'ok');
    });

    it('answers wrong methods on operator and ops paths with a 4xx JSON envelope', async () => {
        const { srv } = h;
        for (const [method, p] of [
            ['PUT', '/healthz'],
            ['POST', '/healthz'],
            ['DELETE', '/metrics'],
            ['DELETE', '/admin/v1/accounts'],
            ['PUT', '/admin/v1/users'],
            ['GET', '/admin/v1/accounts/reset_secret'],
            ['GET', '/client/v1/login'],
        ]) {
            const res = await srv.request(method, p, { headers: { authorization: `Bearer ${srv.operatorKey}` } });
            assert.equal(res.status, 405, `${method} ${p}: ${res.status} ${res.text}`);
            assert.ok(isJsonType(res.headers));
            assert.equal(typeof res.body.errcode, 'number');
        }
        await srv.assertClean();
    });

    it('survives malformed %-encodings in every query parameter', async () => {
        const { srv } = h;
        const a = await ensureAccount(srv);
        const bad = ['%', '%%', '%z', '%zz', '%4', '%4g', '%g4', '%%41', '%00', '%ff%fe', '%C0%80', '%E2%82', '+%2B+', '%25', '%u0041', '\u00e9'];
        for (const v of bad) {
            const ev = encodeURI(v) === v ? v : v.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
            const paths = [
                `/cgi-bin/token?grant_type=${ev}&appid=${a.appid}&secret=${a.secret}`,
                `/cgi-bin/token?grant_type=client_credential&appid=${ev}&secret=${a.secret}`,
                `/cgi-bin/token?grant_type=client_credential&appid=${a.appid}&secret=${ev}`,
                `/cgi-bin/token?${ev}=${ev}&${ev}&&=&grant_type=client_credential`,
                `/cgi-bin/getcallbackip?access_token=${ev}`,
                `/cgi-bin/get_api_domain_ip?access_token=${ev}${token}`,
                `/admin/v1/accounts/get?appid=${ev}`,
                `/admin/v1/ids?appid=${ev}&user_id=${ev}`,
                `/healthz?${ev}`,
            ];
            for (const p of paths) {
                const res = await srv.request('GET', p, { headers: { authorization: `Bearer ${srv.operatorKey}` } });
                assert.ok(res.status < 500, `${p}: ${res.status}`);
                assert.ok(res.body && typeof res.body === 'object', `${p}: not JSON: ${res.text}`);
                if (p.startsWith('/cgi-bin/'))
                    assert.equal(res.status, 200, p);
            }
            const post = await srv.post(`/cgi-bin/clear_quota/v2?appid=${ev}&appsecret=${ev}`, '');
            assert.equal(post.status, 200);
            assert.ok(post.body.errcode !== 0, post.text);
        }
        // a malformed value is an error, not a silently truncated value
        expectErr(await srv.get(`/cgi-bin/token?grant_type=client_credential&appid=${a.appid}&secret=${a.secret}%zz`), 40001);
        expectErr(await srv.get(`/cgi-bin/token?grant_type=client_credential&appid=${a.appid}%&secret=${a.secret}`), 40013);
        expectErr(await srv.get(`/cgi-bin/token?grant_type=client_credential%&appid=${a.appid}&secret=${a.secret}`), 40002);
        // and a well-encoded one is decoded
        const enc = (s) => [...s].map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
        const ok = await srv.get(`/cgi-bin/token?grant_type=${enc('client_credential')}&appid=${enc(a.appid)}&secret=${enc(a.secret)}`);
        assert.ok(ok.body.access_token, ok.text);
        await srv.assertClean('malformed %-encodings');
    });

    it('survives huge query strings and many parameters', async () => {
        const { srv } = h;
        const a = await ensureAccount(srv);
        for (const n of [1000, 8000, 30000, 60000]) {
            const pad = 'p'.repeat(n);
            const res = await srv.get(`/cgi-bin/token?pad=${pad}&grant_type=client_credential&appid=${a.appid}&secret=${a.secret}`);
            assert.ok(res.body.access_token, `pad ${n}: ${res.status} ${res.text.slice(0, 200)}`);
            const long = await srv.get(`/cgi-bin/getcallbackip?access_token=${'t'.repeat(n)}`);
            expectErr(long, 40001);
            const amp = await srv.get(`/cgi-bin/getcallbackip?${'&'.repeat(n)}access_token=${token}`);
            assert.ok(amp.body.ip_list, `${n} ampersands: ${amp.text}`);
        }
        const many = Array.from({ length: 3000 }, (_, i) => `k${i}=v${i}`).join('&');
        const res = await srv.get(`/cgi-bin/token?${many}&grant_type=client_credential&appid=${a.appid}&secret=${a.secret}`);
        assert.ok(res.body.access_token, res.text);
        for (const n of [70000, 300000, 2000000]) {
            let r;
            try {
                r = await rawRequest(srv.port, `GET /cgi-bin/token?grant_type=client_credential&x=${'a'.repeat(n)} HTTP/1.1\r\nHost: x\r\n\r\n`);
            } catch (e) {
                r = null; // the server may drop the connection
            }
            if (r)
                assert.ok(r.status === 200 || (r.status >= 400 && r.status < 500), `query of ${n}: ${r.status}`);
            await srv.assertClean(`a query of ${n} bytes`);
        }
    });

    it('survives garbage, binary and deeply nested bodies on every POST route', async () => {
        const { srv } = h;
        await ensureAccount(srv);
        const bodies = [
            crypto.randomBytes(4096),
            Buffer.from([0, 0, 0, 0, 0xff, 0xfe, 0x7b]),
            Buffer.from('{"appid":"\xff\xfe\xc0\x80"}', 'latin1'),
            '{"appid":"\\ud800","secret":"\\udfff"}',
            '{"appid":"\\u0000\\u0000"}',
            '{"a":' + '['.repeat(100000),
            '['.repeat(5000) + ']'.repeat(5000),
            '{"a":' + '{"a":'.repeat(3000) + '1' + '}'.repeat(3001),
            ']]]]]]]]' + '['.repeat(2000),
            '"' + '\\'.repeat(9999) + '"',
            '{"appid":"' + 'x'.repeat(900000) + '"}',
            '{"force_refresh":1e999,"appid":-0,"secret":1.5e308}',
            '{"grant_type":"client_credential","grant_type":"x","appid":null,"secret":null}',
            '\ufeff{"a":1}',
        ];
        const routes = [
            '/cgi-bin/stable_token',
            `/cgi-bin/clear_quota?access_token=${token}`,
            '/cgi-bin/clear_quota/v2',
            `/cgi-bin/openapi/quota/get?access_token=${token}`,
            `/cgi-bin/openapi/quota/clear?access_token=${token}`,
            '/admin/v1/open-accounts',
            '/admin/v1/accounts',
            '/admin/v1/accounts/reset_secret',
            '/admin/v1/accounts/bind',
            '/admin/v1/accounts/ip_whitelist',
            '/admin/v1/users',
            '/admin/v1/users/password',
            '/client/v1/login',
            '/client/v1/logout',
        ];
        for (const p of routes) {
            for (const body of bodies) {
                const res = await srv.request('POST', p, {
                    body,
                    headers: { authorization: `Bearer ${srv.operatorKey}`, 'content-type': 'application/json' },
                });
                assert.ok(res.status < 500, `${p}: ${res.status} ${res.text.slice(0, 200)}`);
                assert.ok(res.body && typeof res.body === 'object', `${p}: not JSON: ${res.text.slice(0, 200)}`);
                if (p.startsWith('/cgi-bin/')) {
                    assert.equal(res.status, 200, `${p}: wire errors are HTTP 200`);
                    assert.ok(res.body.errcode !== 0, `${p} accepted garbage: ${res.text.slice(0, 200)}`);
                }
            }
            await srv.assertClean(`garbage bodies on ${p}`);
        }
    });

    it('answers wrongly typed JSON fields on the operator and client APIs with HTTP 400', async () => {
        const { srv } = h;
        const auth = { authorization: `Bearer ${srv.operatorKey}` };
        const cases = [
            ['/admin/v1/open-accounts', { name: 5 }],
            ['/admin/v1/open-accounts', {}],
            ['/admin/v1/accounts', { name: ['x'] }],
            ['/admin/v1/accounts', { name: 'ok', verified: 'maybe' }],
            ['/admin/v1/accounts', { name: 'ok', type: 7 }],
            ['/admin/v1/accounts', { name: 'ok', open_appid: {} }],
            ['/admin/v1/accounts/reset_secret', { appid: 1 }],
            ['/admin/v1/accounts/bind', { appid: true, open_appid: 'x' }],
            ['/admin/v1/accounts/ip_whitelist', { appid: acct.appid, ip_whitelist: ['127.0.0.1'] }],
            ['/admin/v1/users', { username: 12 }],
            ['/admin/v1/users', { username: 'typed-' + Date.now(), sex: 'female' }],
            ['/admin/v1/users', { username: 'typed2-' + Date.now(), sex: 9 }],
            ['/admin/v1/users', { username: 'typed3-' + Date.now(), password: 123 }],
            ['/admin/v1/users/password', { user_id: 'one', password: 'x' }],
            ['/admin/v1/users/password', { user_id: 1, password: 5 }],
            ['/admin/v1/users/password', { user_id: 1.5, password: 'x' }],
            ['/client/v1/login', { username: 1, password: 'x' }],
            ['/client/v1/login', { username: 'alice', password: null }],
        ];
        for (const [p, body] of cases) {
            const res = await srv.request('POST', p, { body, headers: auth });
            assert.equal(res.status, 400, `${p} ${JSON.stringify(body)}: ${res.status} ${res.text}`);
            assert.ok(typeof res.body.errcode === 'number' && res.body.errcode !== 0, res.text);
        }
        await srv.assertClean();
    });

    it('survives huge and odd headers', async () => {
        const { srv } = h;
        for (const headers of [
            { authorization: 'Bearer ' + 'k'.repeat(20000) },
            { 'x-operator-key': 'k'.repeat(20000) },
            { authorization: 'Bearer' },
            { authorization: 'Bearer ' },
            { authorization: 'Basic ' + Buffer.from('a:b').toString('base64') },
            { 'x-operator-key': '' },
            { 'content-type': 'multipart/form-data; boundary=' + 'b'.repeat(5000) },
        ]) {
            const res = await srv.request('GET', '/admin/v1/accounts', { headers });
            assert.equal(res.status, 401, `${JSON.stringify(headers).slice(0, 80)}: ${res.status}`);
            const me = await srv.request('GET', '/client/v1/me', { headers });
            assert.equal(me.status, 401);
        }
        await srv.assertClean('odd headers');
    });

    it('answers malformed HTTP requests with a 4xx and keeps serving, in JSON wherever a request was parsed', async () => {
        const { srv } = h;
        // h2o answers these before a request exists (no method, path or headers to go by): a
        // plain 400 and a closed connection. Everything it could parse gets the JSON envelope.
        const unparsed = [
            'GARBAGE\r\n\r\n',
            'GET /healthz HTTP/1.1\r\nHost: x\r\n' + 'X-H: 1\r\n'.repeat(200) + '\r\n',
        ];
        const parsed = [
            'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
            'POST /cgi-bin/stable_token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n',
            // too long for h2o to take (HTTP 4xx), or taken (HTTP 200): JSON either way
            `GET /cgi-bin/token?x=${'a'.repeat(100000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
        ];
        const problems = [];
        for (const p of [...unparsed, ...parsed]) {
            const r = await rawRequest(srv.port, p).catch((e) => ({ error: e.message }));
            await srv.assertClean(`malformed request ${JSON.stringify(p.slice(0, 40))}`);
            const what = JSON.stringify(p.slice(0, 40));
            if (!r || r.error) {
                problems.push(`${what}: no answer (${r && r.error})`);
                continue;
            }
            if (r.status >= 500 || (r.status < 400 && r.status !== 200))
                problems.push(`${what}: HTTP ${r.status}`);
            else if (parsed.includes(p) && (!String(r.headers['content-type']).startsWith('application/json') || !r.body || typeof r.body.errcode !== 'number'))
                problems.push(`${what}: HTTP ${r.status} ${r.headers['content-type']} ${JSON.stringify(r.text.slice(0, 60))}`);
        }
        assert.deepEqual(problems, [], 'every malformed request gets a 4xx (JSON where parsed)');
    });

    it('refuses credentials that carry a NUL byte and extra characters after the real value', async () => {
        const { srv } = h;
        const a = await ensureAccount(srv);
        const problems = [];
        const check = (what, res, code) => {
            if (res.status !== 200 || !res.body || res.body.errcode !== code)
                problems.push(`${what}: want ${code}, got ${res.status} ${res.text.slice(0, 120)}`);
        };
        check('GET cgi-bin/token secret=SECRET%00x',
            await srv.get(`/cgi-bin/token?grant_type=client_credential&appid=${a.appid}&secret=${a.secret}%00x`), 40001);
        // a JSON body holding a NUL character is refused as a whole (47001 data format error)
        check('stable_token "secret":"SECRET\\u0000x"',
            await srv.post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: a.appid, secret: a.secret + '\u0000x' }), 47001);
        check('clear_quota/v2 "appsecret":"SECRET\\u0000x"',
            await srv.post('/cgi-bin/clear_quota/v2', { appid: a.appid, appsecret: a.secret + '\u0000x' }), 47001);
        check('getcallbackip access_token=TOKEN%00',
            await srv.get(`/cgi-bin/getcallbackip?access_token=${token}%00`), 40001);
        check('getcallbackip access_token=TOKEN%00junk',
            await srv.get(`/cgi-bin/getcallbackip?access_token=${token}%00junk`), 40001);
        assert.deepEqual(problems, []);
    });

    it('lets an account create and token call succeed after all the abuse', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const t = await srv.token(a.appid, a.secret);
        assert.ok((await srv.callbackIp(t.access_token)).ip_list);
    });
});
