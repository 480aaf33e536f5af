// Web authorization (spec/oauth.md) over plain HTTP: the sign-in page, the authorize page with
// both scopes, consent (allow, deny, remembered, CSRF), every error page and open-redirect
// attempt, the code / token / refresh-token rules of sns/*, sns/userinfo and sns/auth, the
// website QR login (qrconnect) with its PNG, poll endpoint, phone page and client API, and the
// 45011 limit on bad codes. fetch with redirect: 'manual'; cookies by hand.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { expectErr, useServer } from './lib/server.mjs';
import {
    authorize,
    authorizePath,
    call,
    clientSession,
    consentPage,
    decodeQrPng,
    demoWorld,
    elementAttr,
    elementText,
    exchange,
    exchangeRaw,
    expectErrorPage,
    get,
    hiddenFields,
    ids,
    newUser,
    pngInfo,
    poll,
    postForm,
    qrUuid,
    qrconnectPath,
    qs,
    rawHttp,
    refresh,
    refreshRaw,
    sessionCookie,
    setOauthDomain,
    signIn,
    snsAuth,
    staysOnOrigin,
    target,
    userinfo,
} from './lib/oauth.mjs';

const CB = 'http://127.0.0.1:9/cb'; // never contacted: redirects are read, not followed
const bearer = (s) => ({ authorization: `Bearer ${s}` });

// redirect_uri values that must never get a code from an account whose domain is 127.0.0.1
const foreignRedirects = [
    'http://evil.com/',
    'https://evil.com/cb',
    'http://127.0.0.1.evil.com/',
    'http://127.0.0.1.evil.com',
    'https://127.0.0.1.evil.com:443/cb',
    'http://evil.com/127.0.0.1',
    'http://evil.com?127.0.0.1',
    'http://evil.com#127.0.0.1',
    'http://evil.com\\127.0.0.1',
    'http://127.0.0.1@evil.com/',
    'http://127.0.0.1:80@evil.com/',
    'http://127.0.0.1%40evil.com/',
    'http://127.0.0.1%2eevil.com/',
    'http://evil.com%2f127.0.0.1/',
    'http://127.0.0.1\t.evil.com/',
    'http://127.0.0.1 .evil.com/',
    'javascript:alert(document.cookie)',
    'javascript://127.0.0.1/%0aalert(1)',
    'JavaScript:alert(1)//http://127.0.0.1/',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://127.0.0.1/cb',
    '//evil.com',
    '//evil.com/http://127.0.0.1/',
    '//127.0.0.1/cb',
    '/cb',
    'cb',
    '127.0.0.1/cb',
    'http:evil.com',
    'http:/evil.com',
    'http:///evil.com',
    'http://',
    ' http://evil.com/',
    'http://localhost/cb',
    'http://127.0.0.2/cb',
    'http://127.1/cb',
    'http://2130706433/cb',
    'http://[::1]/cb',
    'http://[::ffff:127.0.0.1]/cb',
    'http://0x7f.0.0.1/cb',
];

/** a fresh service account bound (or not) to the demo open platform, on a domain */
async function serviceAccount(srv, world, { domain = '127.0.0.1', open = true, verified = true, type = 'service' } = {}) {
    const acct = await srv.createAccount({ type, verified, ...(open ? { open_appid: world.openAppid } : {}) });
    if (domain)
        await setOauthDomain(srv, acct.appid, domain);
    return acct;
}

/** a confirmed website login for `user` through the client API; answers {uuid, url, code} */
async function qrLogin(srv, world, username, redirect_uri = CB, state = 'qr') {
    const page = await get(srv, qrconnectPath({ appid: world.website.appid, redirect_uri, state }));
    assert.equal(page.status, 200, page.text.slice(0, 300));
    const uuid = qrUuid(page.text);
    const session = await clientSession(srv, username);
    const c = await srv.post('/client/v1/qrconnect/confirm', { uuid, allow: true }, { headers: bearer(session) });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.errcode, 0, c.text);
    const p = await poll(srv, uuid);
    assert.equal(p.status, 2, JSON.stringify(p));
    const url = target(p.redirect);
    return { uuid, url, code: url.searchParams.get('code') };
}

describe('web authorization: sign-in, authorize, consent, sns APIs, qrconnect', () => {
    const h = useServer({ demo: true, testClock: true });
    let W;
    before(() => {
        W = demoWorld(h.srv);
    });

    it('has the demo world: a verified service account, an unverified subscription account and a website app on one open platform', () => {
        assert.equal(W.service.name, 'Demo Service Account');
        assert.equal(W.service.verified, true);
        assert.equal(W.service.open, true);
        assert.equal(W.subscription.verified, false);
        assert.equal(W.website.name, 'Demo Website');
        assert.equal(W.website.open, true);
        assert.match(W.openAppid, /^wx[0-9a-f]{16}$/);
        assert.deepEqual(
            W.users.slice(0, 2).map((u) => u.username),
            ['alice', 'bob'],
        );
    });

    describe('sign-in page', () => {
        it('shows a form that carries next, signs in with a password, sets an HttpOnly cookie and redirects to next', async () => {
            const { srv } = h;
            const page = await get(srv, '/app/login?next=%2Fapp%2Fsomewhere%3Fx%3D1');
            assert.equal(page.status, 200);
            assert.match(page.headers.get('content-type'), /^text\/html/);
            assert.match(page.text, /<form\b[^>]*method="post"[^>]*action="\/app\/login"/);
            assert.match(page.text, /<input\b[^>]*name="username"/);
            assert.match(page.text, /<input\b[^>]*name="password"[^>]*type="password"/);
            assert.equal(hiddenFields(page.text).next, '/app/somewhere?x=1');

            const res = await postForm(srv, '/app/login', { username: 'alice', password: 'lianjie-demo', next: '/app/somewhere?x=1' });
            assert.equal(res.status, 302, res.text);
            assert.equal(res.location, '/app/somewhere?x=1');
            const setCookie = res.headers.get('set-cookie');
            assert.match(setCookie, /lj_session=/);
            assert.match(setCookie, /HttpOnly/i);
            assert.match(setCookie, /SameSite=(Lax|Strict)/i);
            assert.match(setCookie, /Path=\//);
            const cookie = sessionCookie(res);

            const home = await get(srv, '/app', cookie);
            assert.equal(home.status, 200, home.text);
            assert.match(home.text, /Signed in/);
            assert.equal(elementText(home.text, 'me'), 'Alice');
        });

        it('answers a wrong or missing password with the form again (401) and no cookie', async () => {
            const { srv } = h;
            for (const form of [
                { username: 'alice', password: 'wrong', next: '/app' },
                { username: 'alice', password: '', next: '/app' },
                { username: '', password: 'lianjie-demo', next: '/app' },
                { username: 'nobody', password: 'lianjie-demo', next: '/app' },
                { username: 'Alice', password: 'lianjie-demo', next: '/app' },
            ]) {
                const res = await postForm(srv, '/app/login', form);
                assert.equal(res.status, 401, `${JSON.stringify(form)}: ${res.status} ${res.location}`);
                assert.equal(res.location, null);
                assert.equal(sessionCookie(res), '');
                assert.match(res.text, /<form\b[^>]*action="\/app\/login"/);
                assert.equal(hiddenFields(res.text).next, '/app');
            }
        });

        it('refuses a username with a raw NUL instead of signing in as the name before it', async () => {
            const { srv } = h;
            for (const form of ['username=alice%00evil&password=lianjie-demo&next=%2Fapp',
                'username=alice\u0000evil&password=lianjie-demo&next=%2Fapp']) {
                const res = await postForm(srv, '/app/login', form);
                assert.notEqual(res.status, 302, `${JSON.stringify(form)} signed in`);
                assert.equal(sessionCookie(res), '');
            }
            await srv.assertClean();
        });

        it('sends a visitor without a (valid) session from /app to the sign-in page', async () => {
            const { srv } = h;
            for (const cookie of [undefined, 'lj_session=not-a-session', 'lj_session=', 'other=1']) {
                const res = await get(srv, '/app', cookie);
                assert.equal(res.status, 302, `${cookie}: ${res.status}`);
                assert.match(res.location, /^\/app\/login\?next=/);
            }
        });

        it('signs in with one click as a demo user (--demo)', async () => {
            const { srv } = h;
            const bob = W.users.find((u) => u.username === 'bob');
            const res = await postForm(srv, '/app/login', { user_id: bob.id, next: '/app' });
            assert.equal(res.status, 302, res.text);
            assert.equal(res.location, '/app');
            const home = await get(srv, '/app', sessionCookie(res));
            assert.equal(elementText(home.text, 'me'), 'Bob');
        });

        const foreignNexts = [
            'https://evil.com',
            'http://evil.com/app',
            'https:evil.com',
            '//evil.com',
            '///evil.com',
            '//evil.com/%2F..',
            '/\\evil.com',
            '\\/evil.com',
            '\\\\evil.com',
            'javascript:alert(1)',
            'evil.com',
            ' //evil.com',
            '/\r\n/evil.com',
            '/\n/evil.com',
        ];

        it('never redirects off-site after signing in: next=https://evil.com, //evil.com, /\\evil.com, javascript: ...', async () => {
            const { srv } = h;
            for (const next of foreignNexts) {
                const page = await get(srv, `/app/login?${qs({ next })}`);
                assert.equal(page.status, 200, JSON.stringify(next));
                const hidden = hiddenFields(page.text).next;
                assert.ok(staysOnOrigin(hidden, srv.url), `GET /app/login?next=${JSON.stringify(next)} carries next=${JSON.stringify(hidden)}`);

                const res = await postForm(srv, '/app/login', { username: 'alice', password: 'lianjie-demo', next });
                assert.equal(res.status, 302, JSON.stringify(next));
                assert.ok(!/[\r\n\t]/.test(res.location), `Location ${JSON.stringify(res.location)}`);
                assert.ok(
                    staysOnOrigin(res.location, srv.url),
                    `next=${JSON.stringify(next)} redirected to ${JSON.stringify(res.location)} = ${new URL(res.location, srv.url)}`,
                );
                // the demo one-click sign-in takes the same next
                const demo = await postForm(srv, '/app/login', { user_id: 1, next });
                assert.ok(staysOnOrigin(demo.location, srv.url), `demo sign-in, next=${JSON.stringify(next)}: ${demo.location}`);
            }
        });

        it('never redirects off-site after signing in: a TAB in next (/<TAB>/evil.com, which browsers read as //evil.com)', async () => {
            // WHATWG URL parsing drops tabs and newlines anywhere in a URL, so a Location of
            // "/\t/evil.com" takes a browser to http://evil.com/ (see oauth-browser.test.mjs).
            const { srv } = h;
            for (const next of ['/\t/evil.com', '/\t\t/evil.com', '/\t\\evil.com']) {
                const page = await get(srv, `/app/login?${qs({ next })}`);
                const hidden = hiddenFields(page.text).next;
                assert.ok(staysOnOrigin(hidden, srv.url), `GET /app/login?next=${JSON.stringify(next)} carries next=${JSON.stringify(hidden)}`);
                const res = await postForm(srv, '/app/login', { username: 'alice', password: 'lianjie-demo', next });
                assert.equal(res.status, 302);
                assert.ok(
                    staysOnOrigin(res.location, srv.url),
                    `next=${JSON.stringify(next)} redirected to ${JSON.stringify(res.location)}, which a browser resolves to ${new URL(res.location, srv.url)}`,
                );
            }
        });
    });

    describe('authorize page', () => {
        it('sends a visitor who is not signed in to the sign-in page and back to the request afterwards', async () => {
            const { srv } = h;
            const path = authorizePath({ appid: W.service.appid, redirect_uri: `${CB}?from=login`, scope: 'snsapi_base', state: 'st 1' });
            const res = await get(srv, path);
            assert.equal(res.status, 302);
            const loc = new URL(res.location, srv.url);
            assert.equal(loc.origin, new URL(srv.url).origin);
            assert.equal(loc.pathname, '/app/login');
            const next = loc.searchParams.get('next');
            assert.equal(next, path);
            assert.ok(!/code=/.test(res.location.replace(/next=.*/, '')), res.location);

            // the sign-in page carries next; signing in goes back to the authorize request
            const page = await get(srv, `${loc.pathname}${loc.search}`);
            assert.equal(hiddenFields(page.text).next, path);
            const login = await postForm(srv, '/app/login', { username: 'bob', password: 'lianjie-demo', next });
            assert.equal(login.status, 302);
            assert.equal(login.location, path);
            const again = await get(srv, login.location, sessionCookie(login));
            assert.equal(again.status, 302);
            const u = target(again.location);
            assert.equal(`${u.origin}${u.pathname}`, CB);
            assert.equal(u.searchParams.get('from'), 'login');
            assert.match(u.searchParams.get('code'), /^[A-Za-z0-9_-]{16,}$/);
            assert.equal(u.searchParams.get('state'), 'st 1');
        });

        it('snsapi_base: redirects at once with code and state, before the #fragment, with & after an existing query', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'alice');
            const cases = [
                [CB, (code, st) => `${CB}?code=${code}&state=${st}`],
                [`${CB}?a=1`, (code, st) => `${CB}?a=1&code=${code}&state=${st}`],
                [`${CB}#/spa/route`, (code, st) => `${CB}?code=${code}&state=${st}#/spa/route`],
                [`${CB}?a=1&b=2#frag?x=1`, (code, st) => `${CB}?a=1&b=2&code=${code}&state=${st}#frag?x=1`],
                ['https://127.0.0.1/', (code, st) => `https://127.0.0.1/?code=${code}&state=${st}`],
                ['http://127.0.0.1:65535/x/y', (code, st) => `http://127.0.0.1:65535/x/y?code=${code}&state=${st}`],
            ];
            for (const [redirect_uri, want] of cases) {
                const res = await get(srv, authorizePath({ appid: W.service.appid, redirect_uri, scope: 'snsapi_base', state: 'S1' }), cookie);
                assert.equal(res.status, 302, `${redirect_uri}: ${res.status} ${res.text.slice(0, 200)}`);
                const code = target(res.location).searchParams.get('code');
                assert.match(code || '', /^[A-Za-z0-9_-]{16,}$/, res.location);
                assert.equal(res.location, want(code, 'S1'));
            }
        });

        it('echoes the state exactly (encoded), an empty state too, and accepts 128 bytes of state', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'alice');
            for (const state of ['a b&c=d#e?f/g', '中文', '', 'x'.repeat(128), 'é'.repeat(64)]) {
                const r = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_base', state });
                assert.equal(r.state, state);
                assert.ok(r.code);
                assert.ok(!r.location.includes('#'), r.location);
            }
            // no state parameter at all
            const r = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_base' });
            assert.ok(r.code);
            assert.ok([null, ''].includes(r.state), r.location);
        });

        it('snsapi_base: the code gives a base token whose openid is the account\'s openid for the user; no unionid, no userinfo', async () => {
            const { srv } = h;
            const alice = W.users.find((u) => u.username === 'alice');
            const cookie = await signIn(srv, 'alice');
            const { code, state } = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_base', state: 'b' });
            assert.equal(state, 'b');
            const g = await exchange(srv, W.service.appid, W.service.secret, code);
            const want = await ids(srv, W.service.appid, alice.id);
            assert.equal(g.openid, want.openid);
            assert.match(g.openid, /^o[A-Za-z0-9_-]{20,}$/);
            assert.equal(g.expires_in, 7200);
            assert.equal(g.scope, 'snsapi_base');
            assert.equal(typeof g.refresh_token, 'string');
            assert.ok(g.refresh_token.length >= 20);
            assert.notEqual(g.refresh_token, g.access_token);
            assert.equal(g.unionid, undefined, 'a snsapi_base grant carries no unionid');
            assert.equal(g.is_snapshotuser, undefined);
            assert.deepEqual(
                Object.keys(g).sort(),
                ['access_token', 'expires_in', 'openid', 'refresh_token', 'scope'],
            );
            expectErr(await userinfo(srv, g.access_token, g.openid), 48001);
            const a = await snsAuth(srv, g.access_token, g.openid);
            assert.deepEqual(a.body, { errcode: 0, errmsg: 'ok' });
        });

        it('snsapi_userinfo: consent page, Deny -> redirect_uri?state= without code, Allow -> code; then remembered', async () => {
            const { srv } = h;
            const u = await newUser(srv, 'consent');
            const cookie = await signIn(srv, u.username, u.password);
            const params = { appid: W.service.appid, redirect_uri: `${CB}?q=1#h`, scope: 'snsapi_userinfo', state: 'ui&1' };

            const first = await get(srv, authorizePath(params), cookie);
            const page = consentPage(first);
            assert.equal(page.account, 'Demo Service Account');
            assert.equal(page.action, '/connect/oauth2/authorize');
            assert.equal(first.headers.get('x-frame-options'), 'DENY', 'the consent page must not be framed (clickjacking)');
            assert.equal(page.fields.appid, W.service.appid);
            assert.equal(page.fields.redirect_uri, params.redirect_uri);
            assert.equal(page.fields.scope, 'snsapi_userinfo');
            assert.equal(page.fields.state, 'ui&1');
            assert.ok(!/[?&]code=/.test(first.text));

            // Deny
            const deny = await postForm(srv, page.action, { ...page.fields, decision: 'deny' }, cookie);
            assert.equal(deny.status, 302, deny.text);
            assert.equal(deny.location, `${CB}?q=1&state=ui%261#h`);

            // a refusal is not remembered: the consent page again
            const second = consentPage(await get(srv, authorizePath(params), cookie));
            const allow = await postForm(srv, '/connect/oauth2/authorize', { ...second.fields, decision: 'allow' }, cookie);
            assert.equal(allow.status, 302, allow.text);
            const url = target(allow.location);
            const code = url.searchParams.get('code');
            assert.match(code, /^[A-Za-z0-9_-]{16,}$/);
            assert.equal(allow.location, `${CB}?q=1&code=${code}&state=ui%261#h`);

            const g = await exchange(srv, W.service.appid, W.service.secret, code);
            const want = await ids(srv, W.service.appid, u.id);
            assert.equal(g.openid, want.openid);
            assert.equal(g.scope, 'snsapi_userinfo');
            assert.equal(g.unionid, want.unionid);
            assert.match(g.unionid, /^o[A-Za-z0-9_-]{20,}$/);

            const info = await userinfo(srv, g.access_token, g.openid, 'zh_CN');
            assert.equal(info.status, 200);
            assert.deepEqual(info.body, {
                openid: want.openid,
                nickname: u.nickname,
                sex: 0,
                province: '',
                city: '',
                country: '',
                headimgurl: info.body.headimgurl,
                privilege: [],
                unionid: want.unionid,
            });
            assert.equal(typeof info.body.headimgurl, 'string');

            // the consent is remembered: silent from now on, with a new code each time
            const third = await get(srv, authorizePath({ ...params, state: 'again' }), cookie);
            assert.equal(third.status, 302, `remembered consent: ${third.status} ${third.text.slice(0, 200)}`);
            const code3 = target(third.location).searchParams.get('code');
            assert.ok(code3 && code3 !== code);
            assert.equal(target(third.location).searchParams.get('state'), 'again');
            const g3 = await exchange(srv, W.service.appid, W.service.secret, code3);
            assert.equal(g3.scope, 'snsapi_userinfo');
            assert.equal(g3.openid, want.openid);
            assert.notEqual(g3.access_token, g.access_token);
            assert.equal((await userinfo(srv, g3.access_token, g3.openid)).body.nickname, u.nickname);
            // forcePopup=true asks again though it was allowed before; false leaves it silent
            const forced = await get(srv, authorizePath({ ...params, state: 'f', forcePopup: 'true' }), cookie);
            consentPage(forced);
            const notForced = await get(srv, authorizePath({ ...params, state: 'nf', forcePopup: 'false' }), cookie);
            assert.equal(notForced.status, 302);

            // ... but only for this user: another one still gets the consent page
            const other = await newUser(srv, 'other');
            const page2 = consentPage(await get(srv, authorizePath(params), await signIn(srv, other.username, other.password)));
            assert.equal(page2.account, 'Demo Service Account');
        });

        it('refuses a consent POST with a wrong, missing, foreign or stale csrf, or with changed fields', async () => {
            const { srv } = h;
            const u = await newUser(srv, 'csrf');
            const v = await newUser(srv, 'victim');
            const cookie = await signIn(srv, u.username, u.password);
            const params = { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_userinfo', state: 'c' };
            const page = consentPage(await get(srv, authorizePath(params), cookie));
            const vcookie = await signIn(srv, v.username, v.password);
            const vpage = consentPage(await get(srv, authorizePath(params), vcookie));
            assert.notEqual(page.fields.csrf, vpage.fields.csrf, 'the csrf value must depend on the session');

            const bad = [
                ['wrong csrf', { ...page.fields, csrf: '0'.repeat(64) }, cookie],
                ['csrf flipped', { ...page.fields, csrf: page.fields.csrf.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }, cookie],
                ['short csrf', { ...page.fields, csrf: page.fields.csrf.slice(0, 63) }, cookie],
                ['no csrf', { ...page.fields, csrf: undefined }, cookie],
                ['empty csrf', { ...page.fields, csrf: '' }, cookie],
                ['csrf of another user', { ...vpage.fields }, cookie],
                ['own csrf, other state', { ...page.fields, state: 'd' }, cookie],
                ['own csrf, other path', { ...page.fields, redirect_uri: `${CB}/other` }, cookie],
                ['own csrf, other scope', { ...page.fields, scope: 'snsapi_base' }, cookie],
                ['own csrf from another session of the same user', { ...page.fields }, await signIn(srv, u.username, u.password)],
            ];
            for (const [what, fields, c] of bad) {
                const res = await postForm(srv, '/connect/oauth2/authorize', { ...fields, decision: 'allow' }, c);
                assert.equal(res.status, 400, `${what}: ${res.status} ${res.location}`);
                assert.equal(res.location, null, `${what}: redirected to ${res.location}`);
                assert.match(res.text, /Error \d{5}/, what);
            }
            // an off-domain redirect_uri stays an error page even with a matching form
            expectErrorPage(
                await postForm(srv, '/connect/oauth2/authorize', { ...page.fields, redirect_uri: 'http://evil.com/', decision: 'allow' }, cookie),
                10003,
            );
            // not signed in: to the sign-in page, no code
            const anon = await postForm(srv, '/connect/oauth2/authorize', { ...page.fields, decision: 'allow' });
            assert.equal(anon.status, 302);
            assert.ok(staysOnOrigin(anon.location, srv.url), anon.location);
            assert.ok(!/[?&]code=/.test(anon.location));
            // nothing above was remembered: the page is still asked, and the genuine POST works
            consentPage(await get(srv, authorizePath(params), cookie));
            const ok = await postForm(srv, '/connect/oauth2/authorize', { ...page.fields, decision: 'allow' }, cookie);
            assert.equal(ok.status, 302, ok.text);
            assert.ok(target(ok.location).searchParams.get('code'));
        });

        it('shows an error page (HTTP 400, never a redirect) for every bad request, signed in or not', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'carol');
            const sa = W.service.appid;
            const ok = { appid: sa, redirect_uri: CB, response_type: 'code', scope: 'snsapi_base', state: 's' };
            const cases = [
                [10012, { ...ok, appid: undefined }],
                [10012, { ...ok, appid: '' }],
                [10012, { ...ok, appid: 'wx0000000000000000' }],
                [10012, { ...ok, appid: 'nonsense' }],
                [10012, { ...ok, appid: `wx${'a'.repeat(60)}` }],
                [10011, { ...ok, redirect_uri: undefined }],
                [10011, { ...ok, redirect_uri: '' }],
                [10010, { ...ok, scope: undefined }],
                [10010, { ...ok, scope: '' }],
                [10010, { ...ok, scope: 'snsapi_login' }],
                [10010, { ...ok, scope: 'snsapi_admin' }],
                [10010, { ...ok, scope: 'SNSAPI_BASE' }],
                [10010, { ...ok, scope: 'snsapi_basex' }],
                [10010, { ...ok, response_type: undefined }],
                [10010, { ...ok, response_type: 'token' }],
                [10010, { ...ok, response_type: '' }],
                [10013, { ...ok, state: 'x'.repeat(129) }],
                [10013, { ...ok, state: 'é'.repeat(65) }],
                [10013, { ...ok, state: 'x'.repeat(5000) }],
                [10005, { ...ok, appid: W.subscription.appid }],
                [10005, { ...ok, appid: W.subscription.appid, scope: 'snsapi_userinfo' }],
                [10016, { ...ok, appid: W.website.appid }],
                [10016, { ...ok, appid: W.website.appid, scope: 'snsapi_login' }],
                [10003, { ...ok, redirect_uri: 'http://evil.com/cb' }],
                [10003, { ...ok, redirect_uri: 'http://evil.com/cb', scope: 'snsapi_userinfo' }],
            ];
            for (const [code, params] of cases) {
                const path = `/connect/oauth2/authorize?${qs(params)}`;
                for (const c of [cookie, undefined])
                    expectErrorPage(await get(srv, path, c), code, `${c ? 'signed in' : 'anonymous'} ${path.slice(0, 200)}`);
                // the consent form's POST checks the same
                expectErrorPage(await postForm(srv, '/connect/oauth2/authorize', { ...params, decision: 'allow', csrf: '0'.repeat(64) }, cookie), code, `POST ${path.slice(0, 200)}`);
            }
        });

        it('refuses web authorization to an unverified service account and to a verified subscription account (10005)', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'carol');
            const unverified = await serviceAccount(srv, W, { verified: false });
            const subscription = await serviceAccount(srv, W, { type: 'subscription' });
            for (const acct of [unverified, subscription])
                for (const scope of ['snsapi_base', 'snsapi_userinfo'])
                    expectErrorPage(await get(srv, authorizePath({ appid: acct.appid, redirect_uri: CB, scope, state: 'x' }), cookie), 10005);
            // a verified service account without a web-authorization domain: no redirect_uri fits
            const nodomain = await serviceAccount(srv, W, { domain: '' });
            expectErrorPage(await get(srv, authorizePath({ appid: nodomain.appid, redirect_uri: CB, state: 'x' }), cookie), 10003);
        });


        it('refuses redirect_uri off the account\'s domain with 10003 (open-redirect attempts)', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'carol');
            for (const redirect_uri of foreignRedirects)
                for (const scope of ['snsapi_base', 'snsapi_userinfo'])
                    for (const c of [cookie, undefined])
                        expectErrorPage(
                            await get(srv, authorizePath({ appid: W.service.appid, redirect_uri, scope, state: 'x' }), c),
                            10003,
                            `${JSON.stringify(redirect_uri)} ${scope} ${c ? 'signed in' : 'anonymous'}`,
                        );
            await srv.assertClean('open-redirect attempts');
        });

        it('matches the domain exactly: no subdomains, no suffix tricks; host:port pins the port (operator API and CLI)', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'carol');
            const acct = await serviceAccount(srv, W, { domain: 'example.test' });
            const accept = ['http://example.test/cb', 'https://example.test/', 'http://EXAMPLE.test:8443/a?b=c', 'https://Example.Test'];
            const refuse = [
                'http://www.example.test/',
                'http://a.b.example.test/',
                'http://example.test.evil.com/',
                'http://evilexample.test/',
                'http://example.tes/',
                'http://example.testt/',
                'http://example.test.:80/',
                'http://example.test@evil.com/',
                'http://evil.com/example.test',
                'http://127.0.0.1/cb',
            ];
            for (const redirect_uri of accept) {
                const res = await get(srv, authorizePath({ appid: acct.appid, redirect_uri, state: 'd' }), cookie);
                assert.equal(res.status, 302, `${redirect_uri}: ${res.status} ${res.text.slice(0, 200)}`);
                assert.ok(res.location.startsWith(redirect_uri.replace(/\?.*/, '')), res.location);
                assert.ok(target(res.location).searchParams.get('code'));
            }
            for (const redirect_uri of refuse)
                expectErrorPage(await get(srv, authorizePath({ appid: acct.appid, redirect_uri, state: 'd' }), cookie), 10003, redirect_uri);

            // host:port through the CLI, beside the running server
            const cli = await srv.admin('account', 'oauth-domain', '--appid', acct.appid, '--domain', '127.0.0.1:8080');
            assert.equal(cli.code, 0, `${cli.stdout}\n${cli.stderr}`);
            const ok = await get(srv, authorizePath({ appid: acct.appid, redirect_uri: 'http://127.0.0.1:8080/cb', state: 'p' }), cookie);
            assert.equal(ok.status, 302, ok.text.slice(0, 200));
            assert.ok(ok.location.startsWith('http://127.0.0.1:8080/cb?code='), ok.location);
            for (const redirect_uri of ['http://127.0.0.1/cb', 'http://127.0.0.1:8081/cb', 'http://127.0.0.1:80800/cb', 'http://127.0.0.1:808/cb', 'http://example.test/cb'])
                expectErrorPage(await get(srv, authorizePath({ appid: acct.appid, redirect_uri, state: 'p' }), cookie), 10003, redirect_uri);

            // a domain with a path, a query or user info is refused (API and CLI)
            for (const domain of ['evil.com/x', 'a.com?b', 'u@a.com', 'a.com#x', 'a .com']) {
                const r = await srv.op('POST', '/admin/v1/accounts/oauth_domain', { appid: acct.appid, oauth_domain: domain });
                assert.notEqual(r.body.errcode, 0, `domain ${JSON.stringify(domain)} accepted: ${r.text}`);
            }
            const badCli = await srv.admin('account', 'oauth-domain', '--appid', acct.appid, '--domain', 'evil.com/x');
            assert.notEqual(badCli.code, 0, badCli.stdout);
            const unknown = await srv.op('POST', '/admin/v1/accounts/oauth_domain', { appid: 'wx0000000000000000', oauth_domain: 'a.com' });
            assert.notEqual(unknown.body.errcode, 0);
            // the last good value is still in force
            const still = await get(srv, authorizePath({ appid: acct.appid, redirect_uri: 'http://127.0.0.1:8080/cb', state: 'p' }), cookie);
            assert.equal(still.status, 302);
        });

        it('grants no more than the page asked consent for: a silent scope list cannot smuggle in snsapi_login', async () => {
            // "snsapi_base,snsapi_login" passes as a snsapi_base request (no consent page), but a
            // token whose scope holds snsapi_login may read sns/userinfo and carries a unionid
            const { srv } = h;
            const u = await newUser(srv, 'smuggle');
            const cookie = await signIn(srv, u.username, u.password);
            for (const scope of ['snsapi_base,snsapi_login', 'snsapi_login,snsapi_base', 'snsapi_base,snsapi_bogus']) {
                const res = await get(srv, authorizePath({ appid: W.service.appid, redirect_uri: CB, scope, state: 'sm' }), cookie);
                if (res.status === 400) {
                    expectErrorPage(res, 10010, scope); // refusing the list is fine
                    continue;
                }
                assert.equal(res.status, 302, `${scope}: ${res.status} ${res.text.slice(0, 200)}`);
                const g = await exchange(srv, W.service.appid, W.service.secret, target(res.location).searchParams.get('code'));
                assert.ok(!/snsapi_login|snsapi_bogus/.test(g.scope), `scope ${JSON.stringify(scope)} was granted silently as ${JSON.stringify(g.scope)}`);
                assert.equal(g.unionid, undefined, `a silent grant (${scope}) carries the unionid`);
                expectErr(await userinfo(srv, g.access_token, g.openid), 48001);
            }
        });

        it('escapes what it reflects: state, redirect_uri and next never become markup', async () => {
            const { srv } = h;
            const u = await newUser(srv, 'xss');
            const cookie = await signIn(srv, u.username, u.password);
            const evil = `"'><script>alert(1)</script><img/src=x/onerror=alert(2)>`;
            const page = await get(srv, authorizePath({ appid: W.service.appid, redirect_uri: `${CB}?x=${evil}`, scope: 'snsapi_userinfo', state: evil.slice(0, 60) }), cookie);
            consentPage(page);
            assert.ok(!page.text.includes('<script>alert'), page.text);
            assert.ok(!page.text.includes('<img/src=x'), page.text);
            assert.equal(hiddenFields(page.text).state, evil.slice(0, 60));
            assert.equal(hiddenFields(page.text).redirect_uri, `${CB}?x=${evil}`);
            const login = await get(srv, `/app/login?${qs({ next: `/app/${evil}` })}`);
            assert.ok(!login.text.includes('<script>alert'), login.text);
            assert.equal(hiddenFields(login.text).next, `/app/${evil}`);
            const err = await get(srv, authorizePath({ appid: W.service.appid, redirect_uri: `http://evil.com/${evil}`, state: evil }));
            expectErrorPage(err, 10003);
            assert.ok(!err.text.includes('<script>alert'));
        });

        it('brings a long but valid authorize request back after the sign-in page', async () => {
            // a 988-byte redirect_uri (the page takes up to 1023) whose query needs
            // %-encoding: the request is valid for a signed-in user, and the sign-in detour
            // must not lose it
            const { srv } = h;
            const redirect_uri = `${CB}?n=${'é'.repeat(480)}`;
            assert.ok(Buffer.byteLength(redirect_uri) < 1000);
            const path = authorizePath({ appid: W.service.appid, redirect_uri, scope: 'snsapi_base', state: 's'.repeat(128) });
            const cookie = await signIn(srv, 'carol');
            const direct = await get(srv, path, cookie);
            assert.equal(direct.status, 302, `a signed-in user gets a code: ${direct.status} ${direct.text.slice(0, 200)}`);
            assert.ok(target(direct.location).searchParams.get('code'));

            const anon = await get(srv, path);
            assert.equal(anon.status, 302);
            const loginUrl = new URL(anon.location, srv.url);
            const page = await get(srv, `${loginUrl.pathname}${loginUrl.search}`);
            const next = hiddenFields(page.text).next;
            assert.ok(next === path, `the sign-in page lost the ${path.length}-byte authorize request: next=${JSON.stringify(next.slice(0, 80))}`);
            const signed = await postForm(srv, '/app/login', { username: 'carol', password: 'lianjie-demo', next });
            assert.ok(signed.location === path, `signing in went to ${signed.location.slice(0, 80)}, not back to the authorize request`);
        });

        it('never splits the response: CR/LF in redirect_uri do not become headers', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'carol');
            const injected = [
                'http://127.0.0.1/cb\r\nSet-Cookie: injected=1',
                'http://127.0.0.1/cb\nSet-Cookie: injected=1',
                'http://127.0.0.1/cb\rSet-Cookie: injected=1',
            ];
            for (const redirect_uri of injected) {
                for (const scope of ['snsapi_base', 'snsapi_userinfo']) {
                    const path = authorizePath({ appid: W.service.appid, redirect_uri, scope, state: 'i' });
                    const res = await rawHttp(srv.port, 'GET', path, { Cookie: cookie });
                    assert.ok([200, 302, 400].includes(res.status), `${res.status}\n${res.head}`);
                    for (const line of res.headerLines) {
                        assert.ok(!/[\r\n]/.test(line), `a header line holds a bare CR or LF: ${JSON.stringify(line)}`);
                        assert.ok(!/^\s*set-cookie:\s*injected/i.test(line), `response splitting via redirect_uri ${JSON.stringify(redirect_uri)}:\n${res.head}`);
                    }
                    assert.ok(!/\r\n\s*Set-Cookie: injected/i.test(res.head), res.head);
                }
            }
            // the consent page's Deny answer builds its redirect the same way
            const u = await newUser(srv, 'crlf');
            const ucookie = await signIn(srv, u.username, u.password);
            const page = await get(srv, authorizePath({ appid: W.service.appid, redirect_uri: injected[0], scope: 'snsapi_userinfo', state: 'i' }), ucookie);
            if (page.status === 200) {
                const fields = hiddenFields(page.text);
                for (const decision of ['deny', 'allow']) {
                    const res = await rawHttp(
                        srv.port,
                        'POST',
                        '/connect/oauth2/authorize',
                        { Cookie: ucookie, 'Content-Type': 'application/x-www-form-urlencoded' },
                        qs({ ...fields, decision }),
                    );
                    assert.ok(!/\r\n\s*Set-Cookie: injected/i.test(res.head), `response splitting on ${decision}:\n${res.head}`);
                }
            }
        });
    });

    describe('sns/oauth2/access_token', () => {
        it('gives a code once: a second use is 40163, concurrent uses redeem it exactly once', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'dave');
            const p = { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_base', state: 'r' };
            const { code } = await authorize(srv, cookie, p);
            const g = await exchange(srv, W.service.appid, W.service.secret, code);
            for (let i = 0; i < 2; i++)
                expectErr(await exchangeRaw(srv, { appid: W.service.appid, secret: W.service.secret, code, grant_type: 'authorization_code' }), 40163);
            // the token from the first use still works
            assert.equal((await snsAuth(srv, g.access_token, g.openid)).body.errcode, 0);

            const { code: c2 } = await authorize(srv, cookie, p);
            const all = await Promise.all(
                Array.from({ length: 8 }, () => exchangeRaw(srv, { appid: W.service.appid, secret: W.service.secret, code: c2, grant_type: 'authorization_code' })),
            );
            const wins = all.filter((r) => r.body && typeof r.body.access_token === 'string');
            assert.equal(wins.length, 1, all.map((r) => r.text).join('\n'));
            for (const r of all.filter((x) => x !== wins[0]))
                expectErr(r, 40163);
        });

        it('answers every bad request with its errcode (HTTP 200)', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'dave');
            const { code } = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_base', state: 'e' });
            const base = { appid: W.service.appid, secret: W.service.secret, code, grant_type: 'authorization_code' };
            const cases = [
                [41002, { ...base, appid: undefined }],
                [41002, { ...base, appid: '' }],
                [41004, { ...base, secret: undefined }],
                [41004, { ...base, secret: '' }],
                [41008, { ...base, code: undefined }],
                [41008, { ...base, code: '' }],
                [40002, { ...base, grant_type: undefined }],
                [40002, { ...base, grant_type: 'client_credential' }],
                [40002, { ...base, grant_type: 'refresh_token' }],
                [40013, { ...base, appid: 'wx0000000000000000' }],
                [40125, { ...base, secret: '0'.repeat(32) }],
                [40125, { ...base, secret: W.website.secret }],
                [40125, { ...base, secret: W.service.secret.toUpperCase() }],
                [40029, { ...base, code: 'not-a-code' }],
                [40029, { ...base, code: `${code}x` }],
                [40029, { ...base, code: code.slice(1) }],
                [40029, { ...base, code: 'x'.repeat(300) }],
                [40029, { ...base, appid: W.website.appid, secret: W.website.secret, code: 'not-a-code' }],
            ];
            for (const [errcode, fields] of cases) {
                const r = await exchangeRaw(srv, fields);
                expectErr(r, errcode);
                assert.match(r.headers.get('content-type'), /^application\/json/);
            }
            // none of that used the code up (a wrong secret is checked before the code)
            const g = await exchange(srv, W.service.appid, W.service.secret, code);
            assert.equal(g.scope, 'snsapi_base');
        });

        it('refuses a code of another appid with 40029, and the code stays good for its own appid', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'dave');
            const { code } = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_userinfo', state: 'o' });
            const other = await serviceAccount(srv, W);
            expectErr(await exchangeRaw(srv, { appid: W.website.appid, secret: W.website.secret, code, grant_type: 'authorization_code' }), 40029);
            expectErr(await exchangeRaw(srv, { appid: other.appid, secret: other.secret, code, grant_type: 'authorization_code' }), 40029);
            // another app presenting the code must not use it up for the app it was issued to
            const r = await exchangeRaw(srv, { appid: W.service.appid, secret: W.service.secret, code, grant_type: 'authorization_code' });
            assert.equal(typeof r.body.access_token, 'string', `the code of ${W.service.appid} was used up by another app's attempt: ${r.text}`);
        });

        it('works with POST and a form body too (sns/*)', async () => {
            const { srv } = h;
            const cookie = await signIn(srv, 'dave');
            const { code } = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_userinfo', state: 'f' });
            const r = await call(srv, 'POST', '/sns/oauth2/access_token', {
                form: { appid: W.service.appid, secret: W.service.secret, code, grant_type: 'authorization_code' },
            });
            assert.equal(r.status, 200, r.text);
            assert.equal(typeof r.body.access_token, 'string', r.text);
            const info = await call(srv, 'POST', '/sns/userinfo', { form: { access_token: r.body.access_token, openid: r.body.openid, lang: 'en' } });
            assert.equal(info.body.nickname, 'Dave', info.text);
            const auth = await call(srv, 'POST', '/sns/auth', { form: { access_token: r.body.access_token, openid: r.body.openid } });
            assert.deepEqual(auth.body, { errcode: 0, errmsg: 'ok' });
            const ref = await call(srv, 'POST', '/sns/oauth2/refresh_token', {
                form: { appid: W.service.appid, grant_type: 'refresh_token', refresh_token: r.body.refresh_token },
            });
            assert.equal(ref.body.access_token, r.body.access_token, ref.text);
            const missing = await call(srv, 'POST', '/sns/oauth2/access_token', { form: { appid: W.service.appid } });
            expectErr(missing, 41004);
        });
    });

    describe('sns/userinfo and sns/auth', () => {
        it('answer the profile and ok for the right openid; 40003 / 40001 / 41001 / 41009 / 48001 otherwise', async () => {
            const { srv } = h;
            const erin = W.users.find((u) => u.username === 'erin');
            const bob = W.users.find((u) => u.username === 'bob');
            const cookie = await signIn(srv, 'erin');
            const { code } = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_userinfo', state: 'u' });
            const g = await exchange(srv, W.service.appid, W.service.secret, code);
            const mine = await ids(srv, W.service.appid, erin.id);
            assert.equal(g.openid, mine.openid);
            for (const lang of [undefined, 'zh_CN', 'zh_TW', 'en', 'xx']) {
                const r = await userinfo(srv, g.access_token, g.openid, lang);
                assert.equal(r.status, 200, r.text);
                assert.equal(r.body.errcode, undefined, r.text);
                assert.equal(r.body.openid, mine.openid);
                assert.equal(r.body.nickname, 'Erin');
                assert.equal(r.body.sex, 0);
                assert.equal(r.body.province, '');
                assert.equal(r.body.city, '');
                assert.equal(r.body.country, '');
                assert.deepEqual(r.body.privilege, []);
                assert.equal(r.body.unionid, mine.unionid);
                assert.equal(typeof r.body.headimgurl, 'string');
            }
            assert.deepEqual((await snsAuth(srv, g.access_token, g.openid)).body, { errcode: 0, errmsg: 'ok' });

            const bobOpenid = (await ids(srv, W.service.appid, bob.id)).openid;
            const erinOnWebsite = (await ids(srv, W.website.appid, erin.id)).openid;
            assert.notEqual(erinOnWebsite, mine.openid, 'openids differ across appids');
            for (const [errcode, token, openid] of [
                [40003, g.access_token, bobOpenid],
                [40003, g.access_token, erinOnWebsite],
                [40003, g.access_token, 'o'.repeat(28)],
                [40003, g.access_token, `${mine.openid}x`],
                [40001, 'UT_not-a-token', g.openid],
                [40001, g.refresh_token, g.openid],
                [40001, `${g.access_token}x`, g.openid],
                [40001, 'x'.repeat(400), g.openid],
                [41001, undefined, g.openid],
                [41001, '', g.openid],
                [41009, g.access_token, undefined],
                [41009, g.access_token, ''],
            ]) {
                expectErr(await userinfo(srv, token, openid), errcode);
                expectErr(await snsAuth(srv, token, openid), errcode);
            }
            // an account API token is not a user token, and a user token is not an account token
            const acctToken = await srv.token(W.service.appid, W.service.secret);
            assert.equal(typeof acctToken.access_token, 'string', JSON.stringify(acctToken));
            expectErr(await userinfo(srv, acctToken.access_token, g.openid), 40001);
            const cb = await srv.callbackIp(g.access_token);
            assert.ok([40001, 40014].includes(cb.errcode), JSON.stringify(cb));
        });

        it('give a unionid that is the same across the accounts of one open platform, and none without one', async () => {
            const { srv } = h;
            const alice = W.users.find((u) => u.username === 'alice');
            const cookie = await signIn(srv, 'alice');
            const second = await serviceAccount(srv, W);
            const unbound = await serviceAccount(srv, W, { open: false });
            const grant = async (acct) => {
                const { code } = await authorize(srv, cookie, { appid: acct.appid, redirect_uri: CB, scope: 'snsapi_userinfo', state: 'n' });
                return exchange(srv, acct.appid, acct.secret, code);
            };
            const g1 = await grant(W.service);
            const g2 = await grant(second);
            const g3 = await grant(unbound);
            const want = await ids(srv, W.service.appid, alice.id);
            assert.equal(g1.unionid, want.unionid);
            assert.equal(g2.unionid, want.unionid, 'the unionid is per open platform, not per account');
            assert.notEqual(g1.openid, g2.openid, 'the openid is per account');
            assert.equal(g2.openid, (await ids(srv, second.appid, alice.id)).openid);
            assert.equal((await userinfo(srv, g2.access_token, g2.openid)).body.unionid, want.unionid);
            assert.equal(g3.unionid, undefined, 'an account without open platform gives no unionid');
            const info3 = await userinfo(srv, g3.access_token, g3.openid);
            assert.equal(info3.body.nickname, 'Alice');
            assert.equal(info3.body.unionid, undefined);
            assert.equal((await ids(srv, unbound.appid, alice.id)).unionid, '');
            // the website login's unionid is the same as well
            const { code } = await qrLogin(srv, W, 'alice');
            const g4 = await exchange(srv, W.website.appid, W.website.secret, code);
            assert.equal(g4.unionid, want.unionid);
        });
    });

    describe('website login (qrconnect)', () => {
        it('shows a page with a PNG QR code of the confirm link, a link to it and a poll script', async () => {
            const { srv } = h;
            const res = await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri: CB, state: 'w' }));
            assert.equal(res.status, 200, res.text.slice(0, 300));
            assert.match(res.headers.get('content-type'), /^text\/html/);
            const uuid = qrUuid(res.text);
            assert.match(uuid, /^[A-Za-z0-9_-]{16,}$/);
            const confirmUrl = elementAttr(res.text, 'confirm-url', 'href');
            assert.equal(confirmUrl, `${srv.url}/app/qrconnect?uuid=${uuid}`);
            assert.match(res.text, /<script>[\s\S]*\/connect\/qrconnect\/poll\?uuid=/);

            const img = await srv.fetch(`/connect/qrcode?uuid=${uuid}`);
            assert.equal(img.status, 200);
            assert.equal(img.headers.get('content-type'), 'image/png');
            const png = Buffer.from(await img.arrayBuffer());
            const info = pngInfo(png);
            assert.equal(info.width, info.height, 'a QR code is square');
            assert.ok(info.width >= 21 && info.width <= 2000, `width ${info.width}`);
            assert.ok(info.chunks.includes('IDAT') && info.chunks.at(-1) === 'IEND', info.chunks.join(','));
            const text = await decodeQrPng(png);
            if (text !== undefined)
                assert.equal(text, confirmUrl, 'the QR code holds the confirm link');

            // every page gets its own uuid; unknown ones are 404
            const other = qrUuid((await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri: CB, state: 'w' }))).text);
            assert.notEqual(other, uuid);
            for (const p of ['/connect/qrcode?uuid=nope', '/connect/qrcode', '/connect/qrconnect/poll?uuid=nope', '/connect/qrconnect/poll']) {
                const r = await srv.get(p);
                assert.equal(r.status, 404, `${p}: ${r.status} ${r.text.slice(0, 100)}`);
            }
        });

        it('confirms through the client API: poll goes 0 -> 2 with the redirect, the code gives a snsapi_login token with unionid', async () => {
            const { srv } = h;
            const bob = W.users.find((u) => u.username === 'bob');
            const redirect_uri = `${CB}/site?x=1#/spa`;
            const page = await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri, state: 'qs&1' }));
            const uuid = qrUuid(page.text);
            assert.deepEqual(await poll(srv, uuid), { status: 0 });

            // the client API needs a session
            const anon = await srv.post('/client/v1/qrconnect/confirm', { uuid, allow: true });
            assert.equal(anon.status, 401, anon.text);
            assert.deepEqual(await poll(srv, uuid), { status: 0 });
            const session = await clientSession(srv, 'bob');
            for (const body of [{ allow: true }, { uuid: 5 }, { uuid, allow: 'yes' }]) {
                const bad = await srv.post('/client/v1/qrconnect/confirm', body, { headers: bearer(session) });
                assert.notEqual(bad.body.errcode, 0, `${JSON.stringify(body)}: ${bad.text}`);
            }
            const unknown = await srv.post('/client/v1/qrconnect/confirm', { uuid: 'nope', allow: true }, { headers: bearer(session) });
            assert.notEqual(unknown.body.errcode, 0, unknown.text);
            assert.deepEqual(await poll(srv, uuid), { status: 0 });

            const c = await srv.post('/client/v1/qrconnect/confirm', { uuid, allow: true }, { headers: bearer(session) });
            assert.equal(c.status, 200, c.text);
            assert.equal(c.body.errcode, 0, c.text);
            const p = await poll(srv, uuid);
            assert.equal(p.status, 2);
            const url = target(p.redirect);
            const code = url.searchParams.get('code');
            assert.match(code, /^[A-Za-z0-9_-]{16,}$/);
            assert.equal(p.redirect, `${CB}/site?x=1&code=${code}&state=qs%261#/spa`);

            // answered once: a second confirm or refusal fails and changes nothing
            for (const allow of [true, false]) {
                const again = await srv.post('/client/v1/qrconnect/confirm', { uuid, allow }, { headers: bearer(session) });
                assert.notEqual(again.body.errcode, 0, again.text);
            }
            assert.deepEqual(await poll(srv, uuid), p);

            // a website code is for the website app only
            expectErr(await exchangeRaw(srv, { appid: W.service.appid, secret: W.service.secret, code, grant_type: 'authorization_code' }), 40029);
            const g = await exchange(srv, W.website.appid, W.website.secret, code);
            const want = await ids(srv, W.website.appid, bob.id);
            assert.equal(g.scope, 'snsapi_login');
            assert.equal(g.openid, want.openid);
            assert.equal(g.unionid, want.unionid);
            assert.equal(g.unionid, (await ids(srv, W.service.appid, bob.id)).unionid);
            assert.equal(g.expires_in, 7200);
            const info = await userinfo(srv, g.access_token, g.openid);
            assert.equal(info.body.nickname, 'Bob', info.text);
            assert.equal(info.body.unionid, want.unionid);
            expectErr(await exchangeRaw(srv, { appid: W.website.appid, secret: W.website.secret, code, grant_type: 'authorization_code' }), 40163);
        });

        it('reports a refusal as status 3 with a redirect without code', async () => {
            const { srv } = h;
            const uuid = qrUuid((await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri: CB, state: 'no' }))).text);
            const session = await clientSession(srv, 'carol');
            const c = await srv.post('/client/v1/qrconnect/confirm', { uuid, allow: false }, { headers: bearer(session) });
            assert.equal(c.body.errcode, 0, c.text);
            const p = await poll(srv, uuid);
            assert.equal(p.status, 3);
            assert.equal(p.redirect, `${CB}?state=no`);
            const late = await srv.post('/client/v1/qrconnect/confirm', { uuid, allow: true }, { headers: bearer(session) });
            assert.notEqual(late.body.errcode, 0);
            assert.equal((await poll(srv, uuid)).status, 3);
        });

        it('confirms on the phone page of the web client (sign-in first, then #allow / #deny)', async () => {
            const { srv } = h;
            const carol = W.users.find((u) => u.username === 'carol');
            const page = await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri: CB, state: 'ph' }));
            const uuid = qrUuid(page.text);
            const confirmUrl = new URL(elementAttr(page.text, 'confirm-url', 'href'));
            const phonePath = `${confirmUrl.pathname}${confirmUrl.search}`;

            const anon = await get(srv, phonePath);
            assert.equal(anon.status, 302);
            assert.deepEqual(await poll(srv, uuid), { status: 0 }, 'a visit without a session is no scan');
            const login = new URL(anon.location, srv.url);
            assert.equal(login.pathname, '/app/login');
            assert.equal(login.searchParams.get('next'), phonePath);
            const signed = await postForm(srv, '/app/login', { username: 'carol', password: 'lianjie-demo', next: login.searchParams.get('next') });
            assert.equal(signed.location, phonePath);
            const cookie = sessionCookie(signed);

            const confirm = await get(srv, phonePath, cookie);
            assert.equal(confirm.status, 200, confirm.text.slice(0, 300));
            assert.equal(elementText(confirm.text, 'app'), 'Demo Website');
            assert.match(confirm.text, /<button\b[^>]*id="allow"/);
            assert.match(confirm.text, /<button\b[^>]*id="deny"/);
            assert.match(confirm.text, /<form\b[^>]*method="post"[^>]*action="\/app\/qrconnect"/);
            assert.equal(hiddenFields(confirm.text).uuid, uuid);
            // the phone opened it: scanned (1), no redirect yet; opening it again changes nothing
            assert.deepEqual(await poll(srv, uuid), { status: 1 });
            assert.equal((await get(srv, phonePath, cookie)).status, 200);
            assert.deepEqual(await poll(srv, uuid), { status: 1 });

            // not signed in, the POST confirms nothing
            const anonPost = await postForm(srv, '/app/qrconnect', { uuid, decision: 'allow' });
            assert.equal(anonPost.status, 302);
            assert.deepEqual(await poll(srv, uuid), { status: 1 });

            const done = await postForm(srv, '/app/qrconnect', { uuid, decision: 'allow' }, cookie);
            assert.equal(done.status, 200, done.text.slice(0, 300));
            assert.equal(elementText(done.text, 'done'), 'Logged in');
            const p = await poll(srv, uuid);
            assert.equal(p.status, 2);
            const g = await exchange(srv, W.website.appid, W.website.secret, target(p.redirect).searchParams.get('code'));
            assert.equal(g.openid, (await ids(srv, W.website.appid, carol.id)).openid);

            // answered: the phone page and its POST are error pages now
            const again = await get(srv, phonePath, cookie);
            assert.equal(again.status, 400);
            assert.match(again.text, /Error \d+/);
            const againPost = await postForm(srv, '/app/qrconnect', { uuid, decision: 'deny' }, cookie);
            assert.equal(againPost.status, 400);
            assert.equal((await poll(srv, uuid)).status, 2);

            // #deny
            const uuid2 = qrUuid((await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri: CB, state: 'ph2' }))).text);
            const cancel = await postForm(srv, '/app/qrconnect', { uuid: uuid2, decision: 'deny' }, cookie);
            assert.equal(elementText(cancel.text, 'done'), 'Cancelled');
            assert.deepEqual(await poll(srv, uuid2), { status: 3, redirect: `${CB}?state=ph2` });

            // unknown uuid
            for (const p2 of ['/app/qrconnect?uuid=nope', '/app/qrconnect'])
                assert.equal((await get(srv, p2, cookie)).status, 400);
        });

        it('shows an error page for a bad qrconnect request: 10016 / 10010 / 10003 / 10011 / 10012 / 10013', async () => {
            const { srv } = h;
            const ok = { appid: W.website.appid, redirect_uri: CB, response_type: 'code', scope: 'snsapi_login', state: 'q' };
            const cases = [
                [10016, { ...ok, appid: W.service.appid }],
                [10016, { ...ok, appid: W.service.appid, scope: 'snsapi_base' }],
                [10016, { ...ok, appid: W.subscription.appid }],
                [10010, { ...ok, scope: 'snsapi_base' }],
                [10010, { ...ok, scope: 'snsapi_userinfo' }],
                [10010, { ...ok, scope: 'snsapi_login,snsapi_base' }],
                [10010, { ...ok, scope: undefined }],
                [10010, { ...ok, response_type: 'token' }],
                [10012, { ...ok, appid: undefined }],
                [10012, { ...ok, appid: 'wx0000000000000000' }],
                [10011, { ...ok, redirect_uri: undefined }],
                [10013, { ...ok, state: 's'.repeat(129) }],
                ...foreignRedirects.map((redirect_uri) => [10003, { ...ok, redirect_uri }]),
            ];
            for (const [code, params] of cases) {
                const res = await get(srv, `/connect/qrconnect?${qs(params)}`);
                expectErrorPage(res, code, JSON.stringify(params));
                assert.ok(!/id="qr"/.test(res.text));
            }
            // the website app may not use the in-app authorize page either
            expectErrorPage(await get(srv, authorizePath({ appid: W.website.appid, redirect_uri: CB, scope: 'snsapi_base' })), 10016);
        });
    });
});

describe('web authorization lifetimes on the test clock', () => {
    const h = useServer({ demo: true, testClock: true });
    let W;
    before(() => {
        W = demoWorld(h.srv);
    });

    it('a code lives 300 s: still good at 298 s, 42003 after', async () => {
        const { srv } = h;
        const cookie = await signIn(srv, 'alice');
        const p = { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_base', state: 't' };
        const { code: c1 } = await authorize(srv, cookie, p);
        const { code: c2 } = await authorize(srv, cookie, p);
        await srv.advance(298); // 2 s of real time to spare on a loaded machine
        await exchange(srv, W.service.appid, W.service.secret, c1);
        await srv.advance(3);
        expectErr(await exchangeRaw(srv, { appid: W.service.appid, secret: W.service.secret, code: c2, grant_type: 'authorization_code' }), 42003);
        // a website code too
        const uuid = qrUuid((await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri: CB, state: 't' }))).text);
        const s = await clientSession(srv, 'alice');
        assert.equal((await srv.post('/client/v1/qrconnect/confirm', { uuid, allow: true }, { headers: bearer(s) })).body.errcode, 0);
        const code = target((await poll(srv, uuid)).redirect).searchParams.get('code');
        await srv.advance(301);
        expectErr(await exchangeRaw(srv, { appid: W.website.appid, secret: W.website.secret, code, grant_type: 'authorization_code' }), 42003);
    });

    it('refresh: a live token keeps its value with expires_in back to 7200; an expired one is replaced; 42002 after 30 days', async () => {
        const { srv } = h;
        const cookie = await signIn(srv, 'bob');
        const { code } = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_userinfo', state: 'r' });
        const g = await exchange(srv, W.service.appid, W.service.secret, code);
        assert.ok(g.unionid);
        let elapsed = 0;
        const advance = async (s) => {
            elapsed += s;
            await srv.advance(s);
        };

        await advance(1000);
        const r1 = await refresh(srv, W.service.appid, g.refresh_token);
        assert.equal(r1.access_token, g.access_token, 'a live token keeps its value');
        assert.equal(r1.expires_in, 7200, 'and gets a full 7200 s again');
        assert.equal(r1.refresh_token, g.refresh_token);
        assert.equal(r1.openid, g.openid);
        assert.equal(r1.scope, 'snsapi_userinfo');
        assert.equal(r1.unionid, g.unionid);

        // extended: alive at 7198 s after the refresh (8198 s after the grant), dead at 7201
        await advance(7198);
        assert.equal((await userinfo(srv, g.access_token, g.openid)).body.nickname, 'Bob');
        assert.equal((await snsAuth(srv, g.access_token, g.openid)).body.errcode, 0);
        await advance(3);
        expectErr(await userinfo(srv, g.access_token, g.openid), 42001);
        expectErr(await snsAuth(srv, g.access_token, g.openid), 42001);

        const r2 = await refresh(srv, W.service.appid, g.refresh_token);
        assert.notEqual(r2.access_token, g.access_token, 'an expired token is replaced');
        assert.equal(r2.expires_in, 7200);
        assert.equal(r2.refresh_token, g.refresh_token);
        assert.equal(r2.openid, g.openid);
        assert.equal(r2.unionid, g.unionid);
        assert.equal((await userinfo(srv, r2.access_token, r2.openid)).body.nickname, 'Bob');
        const old = await snsAuth(srv, g.access_token, g.openid);
        assert.ok([40001, 42001].includes(old.body.errcode), `the replaced token still answers: ${old.text}`);
        // refreshing again at once keeps the new token
        const r3 = await refresh(srv, W.service.appid, g.refresh_token);
        assert.equal(r3.access_token, r2.access_token);

        // the refresh token is not extended by refreshing: it dies 30 days after the grant
        await advance(30 * 86400 - elapsed - 10);
        const r4 = await refresh(srv, W.service.appid, g.refresh_token);
        assert.equal(r4.refresh_token, g.refresh_token);
        assert.equal(r4.expires_in, 7200);
        await advance(11);
        expectErr(await refreshRaw(srv, { appid: W.service.appid, grant_type: 'refresh_token', refresh_token: g.refresh_token }), 42002);
        expectErr(await refreshRaw(srv, { appid: W.service.appid, grant_type: 'refresh_token', refresh_token: g.refresh_token }), 42002);
    });

    it('refresh: 40030 unknown or another app\'s refresh token, 41003 missing, 41002 / 40002; no secret needed; base grants stay base', async () => {
        const { srv } = h;
        const cookie = await signIn(srv, 'carol');
        const { code } = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_base', state: 'r' });
        const g = await exchange(srv, W.service.appid, W.service.secret, code);
        const base = { appid: W.service.appid, grant_type: 'refresh_token', refresh_token: g.refresh_token };
        for (const [errcode, fields] of [
            [40030, { ...base, refresh_token: 'UR_unknown' }],
            [40030, { ...base, refresh_token: `${g.refresh_token}x` }],
            [40030, { ...base, refresh_token: g.access_token }],
            [40030, { ...base, refresh_token: 'x'.repeat(500) }],
            [40030, { ...base, appid: W.website.appid }],
            [41003, { ...base, refresh_token: undefined }],
            [41003, { ...base, refresh_token: '' }],
            [41002, { ...base, appid: undefined }],
            [40002, { ...base, grant_type: 'authorization_code' }],
            [40002, { ...base, grant_type: undefined }],
        ])
            expectErr(await refreshRaw(srv, fields), errcode);
        const r = await refresh(srv, W.service.appid, g.refresh_token);
        assert.equal(r.scope, 'snsapi_base');
        assert.equal(r.unionid, undefined);
        assert.equal(r.access_token, g.access_token);
        expectErr(await userinfo(srv, r.access_token, r.openid), 48001);
    });

    it('a website login request expires after 300 s, scanned or not: poll says 4 and it can no longer be confirmed', async () => {
        const { srv } = h;
        const uuid = qrUuid((await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri: CB, state: 'x' }))).text);
        const scanned = qrUuid((await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri: CB, state: 'y' }))).text);
        assert.equal((await get(srv, `/app/qrconnect?uuid=${scanned}`, await signIn(srv, 'erin'))).status, 200);
        // 298 s: a margin of 2 s of real time for a loaded machine between the steps
        await srv.advance(298);
        assert.deepEqual(await poll(srv, uuid), { status: 0 });
        assert.deepEqual(await poll(srv, scanned), { status: 1 });
        await srv.advance(3);
        assert.deepEqual(await poll(srv, uuid), { status: 4 });
        assert.deepEqual(await poll(srv, scanned), { status: 4 });
        const late = await srv.post('/client/v1/qrconnect/confirm', { uuid: scanned, allow: true }, { headers: bearer(await clientSession(srv, 'erin')) });
        assert.notEqual(late.body.errcode, 0, late.text);
        const s = await clientSession(srv, 'dave');
        const c = await srv.post('/client/v1/qrconnect/confirm', { uuid, allow: true }, { headers: bearer(s) });
        assert.notEqual(c.body.errcode, 0, c.text);
        const cookie = await signIn(srv, 'dave');
        assert.equal((await get(srv, `/app/qrconnect?uuid=${uuid}`, cookie)).status, 400);
        assert.equal((await postForm(srv, '/app/qrconnect', { uuid, decision: 'allow' }, cookie)).status, 400);
        assert.deepEqual(await poll(srv, uuid), { status: 4 });
    });
});

describe('bad codes from one address', () => {
    const h = useServer({ demo: true, testClock: true });

    it('answers 45011 after 60 bad codes in a minute, even for a good code, and recovers the next minute', async () => {
        const { srv } = h;
        const W = demoWorld(srv);
        const cookie = await signIn(srv, 'alice');
        const { code } = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_base', state: 'l' });
        // start at the beginning of a minute of the server clock, so the 60 land in one window
        const now = (await srv.clock()).now;
        await srv.advance(60 - (now % 60));
        for (let i = 0; i < 60; i++)
            expectErr(await exchangeRaw(srv, { appid: W.service.appid, secret: W.service.secret, code: `bad-${i}`, grant_type: 'authorization_code' }), 40029);
        expectErr(await exchangeRaw(srv, { appid: W.service.appid, secret: W.service.secret, code: 'bad-61', grant_type: 'authorization_code' }), 45011);
        expectErr(await exchangeRaw(srv, { appid: W.service.appid, secret: W.service.secret, code, grant_type: 'authorization_code' }), 45011);
        await srv.advance(61);
        const g = await exchange(srv, W.service.appid, W.service.secret, code);
        assert.equal(g.scope, 'snsapi_base');
    });
});
