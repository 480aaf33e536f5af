// The operator: the /admin/v1 HTTP API (operator key) and the `lianjie admin` CLI, which works
// on the data directory of a running server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectErr, isJsonType, startServer, useServer } from './lib/server.mjs';

const APPID_RE = /^wx[0-9a-f]{16}$/;
const SECRET_RE = /^[0-9a-f]{32}$/;
const ORIGINAL_ID_RE = /^gh_[0-9a-f]{12}$/;
const OPENID_RE = /^o[A-Za-z0-9_-]{27}$/;

function uniq(prefix) {
    return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

describe('operator API', () => {
    const h = useServer({ external: !!process.env.LIANJIE_OPERATOR_KEY });

    it('refuses the operator API without the key or with a wrong one (HTTP 401, JSON envelope)', async () => {
        const { srv } = h;
        const wrong = srv.operatorKey.replace(/^./, (c) => (c === '0' ? '1' : '0'));
        const attempts = [
            {},
            { authorization: `Bearer ${wrong}` },
            { authorization: `Bearer ${srv.operatorKey.slice(0, -1)}` },
            { authorization: `Bearer ${srv.operatorKey}0` },
            { authorization: srv.operatorKey },
            { authorization: `Token ${srv.operatorKey}` },
            { 'x-operator-key': wrong },
            { 'x-operator-key': `${srv.operatorKey}x` },
            { 'x-operator-key': srv.operatorKey.toUpperCase() },
        ];
        for (const [method, p, body] of [
            ['GET', '/admin/v1/accounts'],
            ['POST', '/admin/v1/accounts', { name: 'nope' }],
            ['GET', '/admin/v1/users'],
            ['POST', '/admin/v1/open-accounts', { name: 'nope' }],
            ['GET', '/admin/v1/ids?appid=wx0000000000000000&user_id=1'],
        ]) {
            for (const headers of attempts) {
                const res = await srv.request(method, p, { body, headers });
                assert.equal(res.status, 401, `${method} ${p} ${JSON.stringify(headers)}: ${res.status} ${res.text}`);
                assert.ok(isJsonType(res.headers));
                assert.equal(typeof res.body.errcode, 'number');
                assert.notEqual(res.body.errcode, 0);
                assert.equal(typeof res.body.errmsg, 'string');
            }
        }
        const list = await srv.op('GET', '/admin/v1/accounts');
        assert.ok(!list.body.accounts.some((a) => a.name === 'nope'), 'refused creates created nothing');
    });

    it('accepts the key as Authorization: Bearer (any case) or as X-Operator-Key', async () => {
        const { srv } = h;
        for (const headers of [
            { authorization: `Bearer ${srv.operatorKey}` },
            { authorization: `bearer ${srv.operatorKey}` },
            { 'x-operator-key': srv.operatorKey },
        ]) {
            const res = await srv.request('GET', '/admin/v1/accounts', { headers });
            assert.equal(res.status, 200, JSON.stringify(headers));
            assert.equal(res.body.errcode, 0);
            assert.ok(Array.isArray(res.body.accounts));
        }
    });

    it('creates and lists open-platform accounts', async () => {
        const { srv } = h;
        const name = uniq('open');
        const res = await srv.op('POST', '/admin/v1/open-accounts', { name });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.errcode, 0);
        assert.match(res.body.open_account.appid, APPID_RE);
        assert.equal(res.body.open_account.name, name);
        const list = await srv.op('GET', '/admin/v1/open-accounts');
        assert.ok(list.body.open_accounts.some((o) => o.appid === res.body.open_account.appid && o.name === name));
        const missing = await srv.op('POST', '/admin/v1/open-accounts', { name: '' });
        assert.equal(missing.status, 400);
    });

    it('creates an official account with WeChat-shaped identifiers, shows and lists it', async () => {
        const { srv } = h;
        const name = uniq('svc');
        const res = await srv.op('POST', '/admin/v1/accounts', { name });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.errcode, 0);
        const a = res.body.account;
        assert.match(a.appid, APPID_RE);
        assert.match(a.secret, SECRET_RE);
        assert.match(a.original_id, ORIGINAL_ID_RE);
        assert.equal(a.name, name);
        assert.equal(a.type, 'service', 'service is the default type');
        assert.equal(a.verified, false);
        assert.equal(a.open_appid, '');

        const sub = (await srv.op('POST', '/admin/v1/accounts', { name: uniq('sub'), type: 'subscription', verified: true })).body.account;
        assert.equal(sub.type, 'subscription');
        assert.equal(sub.verified, true);
        assert.notEqual(sub.appid, a.appid);
        assert.notEqual(sub.secret, a.secret);
        assert.notEqual(sub.original_id, a.original_id);

        const got = await srv.op('GET', `/admin/v1/accounts/get?appid=${a.appid}`);
        assert.equal(got.status, 200);
        assert.equal(got.body.account.appid, a.appid);
        assert.equal(got.body.account.secret, a.secret);
        assert.equal(got.body.account.original_id, a.original_id);
        const list = await srv.op('GET', '/admin/v1/accounts');
        const appids = list.body.accounts.map((x) => x.appid);
        assert.ok(appids.includes(a.appid) && appids.includes(sub.appid));
        assert.ok((await srv.token(a.appid, a.secret)).access_token, 'the new account can take a token');
    });

    it('refuses accounts with an unknown type, a non-boolean verified, no name or an unknown open platform', async () => {
        const { srv } = h;
        for (const body of [
            { name: 'x', type: 'enterprise' },
            { name: 'x', verified: 'perhaps' },
            { name: '' },
            { type: 'service' },
            { name: 'x', open_appid: 'wx0000000000000000' },
            { name: 'x', open_appid: 'not-an-appid' },
        ]) {
            const res = await srv.op('POST', '/admin/v1/accounts', body);
            assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.status} ${res.text}`);
            assert.ok(res.body.errcode !== 0);
        }
    });

    it('answers HTTP 404 for an unknown appid on get, reset_secret, bind and ip_whitelist', async () => {
        const { srv } = h;
        const unknown = 'wx00000000000000ff';
        const cases = [
            ['GET', `/admin/v1/accounts/get?appid=${unknown}`],
            ['POST', '/admin/v1/accounts/reset_secret', { appid: unknown }],
            ['POST', '/admin/v1/accounts/bind', { appid: unknown, open_appid: '' }],
            ['POST', '/admin/v1/accounts/ip_whitelist', { appid: unknown, ip_whitelist: '' }],
            ['GET', `/admin/v1/ids?appid=${unknown}&user_id=1`],
        ];
        for (const [m, p, b] of cases) {
            const res = await srv.op(m, p, b);
            assert.equal(res.status, 404, `${m} ${p}: ${res.status} ${res.text}`);
            assert.ok(isJsonType(res.headers));
            assert.equal(typeof res.body.errcode, 'number');
        }
        const noAppid = await srv.op('GET', '/admin/v1/accounts/get');
        assert.equal(noAppid.status, 400, noAppid.text);
    });

    it('resets a secret: the tokens issued for the old one end at once, cached or not', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const t = (await srv.token(a.appid, a.secret)).access_token;
        const st = (await srv.stableToken(a.appid, a.secret)).access_token;
        assert.ok((await srv.callbackIp(t)).ip_list, 'works, and is cached now');
        assert.ok((await srv.callbackIp(st)).ip_list);
        const res = await srv.op('POST', '/admin/v1/accounts/reset_secret', { appid: a.appid });
        assert.equal(res.status, 200, res.text);
        expectErr(await srv.get(`/cgi-bin/getcallbackip?access_token=${t}`), 40001);
        expectErr(await srv.get(`/cgi-bin/getcallbackip?access_token=${st}`), 40001);
        const fresh = (await srv.stableToken(a.appid, res.body.account.secret)).access_token;
        assert.ok(fresh && fresh !== st, 'a new stable token for the new secret');
        assert.ok((await srv.callbackIp(fresh)).ip_list);
    });

    it('a password change ends the user\'s sessions, bearer and cookie, cached or not', async () => {
        const { srv } = h;
        const username = uniq('pwch');
        const u = (await srv.op('POST', '/admin/v1/users', { username, password: 'first-pw' })).body.user;
        const bearer = { authorization: `Bearer ${(await srv.post('/client/v1/login', { username, password: 'first-pw' })).body.session}` };
        assert.equal((await srv.get('/client/v1/me', { headers: bearer })).status, 200, 'cached now');
        const pw = await srv.op('POST', '/admin/v1/users/password', { user_id: u.id, password: 'second-pw' });
        assert.equal(pw.status, 200, pw.text);
        assert.equal((await srv.get('/client/v1/me', { headers: bearer })).status, 401);
        const again = await srv.post('/client/v1/login', { username, password: 'second-pw' });
        assert.equal((await srv.get('/client/v1/me', { headers: { authorization: `Bearer ${again.body.session}` } })).status, 200);
    });

    it('resets a secret: the old secret stops working and the new one works', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const res = await srv.op('POST', '/admin/v1/accounts/reset_secret', { appid: a.appid });
        assert.equal(res.status, 200, res.text);
        const b = res.body.account;
        assert.equal(b.appid, a.appid);
        assert.match(b.secret, SECRET_RE);
        assert.notEqual(b.secret, a.secret);
        assert.equal(b.original_id, a.original_id, 'the original id stays');
        assert.equal((await srv.token(a.appid, a.secret)).errcode, 40001);
        expectErr(await srv.post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: a.appid, secret: a.secret }), 40125);
        assert.ok((await srv.token(a.appid, b.secret)).access_token);
        const shown = await srv.op('GET', `/admin/v1/accounts/get?appid=${a.appid}`);
        assert.equal(shown.body.account.secret, b.secret);
    });

    it('restricts token issuing to the IP allow-list, and an empty list allows every IP', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        let res = await srv.op('POST', '/admin/v1/accounts/ip_whitelist', { appid: a.appid, ip_whitelist: '10.0.0.1' });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.account.ip_whitelist, '10.0.0.1');
        assert.equal((await srv.token(a.appid, a.secret)).errcode, 40164);
        assert.equal((await srv.stableToken(a.appid, a.secret)).errcode, 40164);
        if (!srv.external) {
            res = await srv.op('POST', '/admin/v1/accounts/ip_whitelist', { appid: a.appid, ip_whitelist: '10.0.0.1, 127.0.0.1' });
            assert.equal(res.status, 200, res.text);
            assert.ok((await srv.token(a.appid, a.secret)).access_token, 'the listed IP may fetch');
            assert.ok((await srv.stableToken(a.appid, a.secret)).access_token);
            res = await srv.op('POST', '/admin/v1/accounts/ip_whitelist', { appid: a.appid, ip_whitelist: '127.0.0.10' });
            assert.equal((await srv.token(a.appid, a.secret)).errcode, 40164, 'a prefix of the IP is not a match');
        }
        res = await srv.op('POST', '/admin/v1/accounts/ip_whitelist', { appid: a.appid, ip_whitelist: '' });
        assert.equal(res.status, 200);
        assert.ok((await srv.token(a.appid, a.secret)).access_token);
    });

    it('gives a user a stable 28-character openid per account and one unionid per open platform', async () => {
        const { srv } = h;
        const open = (await srv.op('POST', '/admin/v1/open-accounts', { name: uniq('op') })).body.open_account;
        const a = await srv.createAccount({ open_appid: open.appid });
        const b = await srv.createAccount();
        const c = await srv.createAccount();
        const bind = await srv.op('POST', '/admin/v1/accounts/bind', { appid: b.appid, open_appid: open.appid });
        assert.equal(bind.status, 200, bind.text);
        assert.equal(bind.body.account.open_appid, open.appid);
        const u1 = (await srv.op('POST', '/admin/v1/users', { username: uniq('u1'), password: 'pw-1' })).body.user;
        const u2 = (await srv.op('POST', '/admin/v1/users', { username: uniq('u2'), password: 'pw-2' })).body.user;

        const ids = async (acct, user) => {
            const r = await srv.op('GET', `/admin/v1/ids?appid=${acct.appid}&user_id=${user.id}`);
            assert.equal(r.status, 200, r.text);
            return r.body;
        };
        const a1 = await ids(a, u1);
        const b1 = await ids(b, u1);
        const c1 = await ids(c, u1);
        const a2 = await ids(a, u2);
        for (const x of [a1, b1, c1, a2])
            assert.match(x.openid, OPENID_RE);
        assert.deepEqual(await ids(a, u1), a1, 'the ids are stable');
        assert.equal(new Set([a1.openid, b1.openid, c1.openid, a2.openid]).size, 4, 'openids differ per account and per user');
        assert.match(a1.unionid, OPENID_RE);
        assert.equal(a1.unionid, b1.unionid, 'one unionid across accounts of one open platform');
        assert.notEqual(a2.unionid, a1.unionid, 'unionids differ per user');
        assert.equal(c1.unionid, '', 'unbound account: no unionid');

        const unbind = await srv.op('POST', '/admin/v1/accounts/bind', { appid: b.appid, open_appid: '' });
        assert.equal(unbind.status, 200, unbind.text);
        assert.equal(unbind.body.account.open_appid, '');
        const b1after = await ids(b, u1);
        assert.equal(b1after.unionid, '');
        assert.equal(b1after.openid, b1.openid, 'the openid does not depend on the binding');
        const bad = await srv.op('POST', '/admin/v1/accounts/bind', { appid: b.appid, open_appid: 'wx0000000000000000' });
        assert.equal(bad.status, 400, `binding to an unknown open platform: ${bad.text}`);
    });

    it('answers /admin/v1/ids errors: 400 without a user id, 404 for an unknown user', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        assert.equal((await srv.op('GET', `/admin/v1/ids?appid=${a.appid}`)).status, 400);
        assert.equal((await srv.op('GET', `/admin/v1/ids?appid=${a.appid}&user_id=abc`)).status, 400);
        assert.equal((await srv.op('GET', '/admin/v1/ids?user_id=1')).status, 400);
        assert.equal((await srv.op('GET', `/admin/v1/ids?appid=${a.appid}&user_id=987654321`)).status, 404);
    });

    it('creates users, refuses a duplicate username with HTTP 409, and changes a password', async () => {
        const { srv } = h;
        const username = uniq('user');
        const res = await srv.op('POST', '/admin/v1/users', {
            username,
            password: 'first-pw',
            nickname: '小明',
            sex: 1,
            country: 'China',
            province: 'Guangdong',
            city: 'Shenzhen',
        });
        assert.equal(res.status, 200, res.text);
        const u = res.body.user;
        assert.ok(Number.isInteger(u.id) && u.id > 0);
        assert.equal(u.username, username);
        assert.equal(u.nickname, '小明');
        assert.equal(u.sex, 1);
        assert.equal(u.city, 'Shenzhen');
        assert.equal(u.has_password, true);
        assert.equal(u.password, undefined, 'no password in answers');
        assert.equal(u.password_hash, undefined, 'no password hash in answers');

        const dup = await srv.op('POST', '/admin/v1/users', { username, password: 'x' });
        assert.equal(dup.status, 409, dup.text);
        assert.ok(isJsonType(dup.headers));
        assert.equal(typeof dup.body.errcode, 'number');

        const list = await srv.op('GET', '/admin/v1/users');
        assert.equal(list.body.users.filter((x) => x.username === username).length, 1);

        const login = (password) => srv.post('/client/v1/login', { username, password });
        assert.equal((await login('first-pw')).status, 200);
        const pw = await srv.op('POST', '/admin/v1/users/password', { user_id: u.id, password: 'second-pw' });
        assert.equal(pw.status, 200, pw.text);
        assert.equal(pw.body.user.id, u.id);
        assert.equal((await login('first-pw')).status, 401, 'the old password stops working');
        assert.equal((await login('second-pw')).status, 200);

        const unknown = await srv.op('POST', '/admin/v1/users/password', { user_id: 987654321, password: 'x' });
        assert.equal(unknown.status, 404, unknown.text);
        const nopw = (await srv.op('POST', '/admin/v1/users', { username: uniq('nopw') })).body.user;
        assert.equal(nopw.has_password, false);
        assert.equal(nopw.nickname, nopw.username, 'the nickname defaults to the username');
    });
});

describe('operator API without --test-clock', () => {
    const h = useServer({});

    it('has no clock routes (HTTP 404)', async () => {
        const { srv } = h;
        assert.equal((await srv.op('GET', '/admin/v1/clock')).status, 404);
        assert.equal((await srv.op('POST', '/admin/v1/clock', { advance: 3600 })).status, 404);
    });
});

describe('operator API with --test-clock', () => {
    const h = useServer({ testClock: true });

    it('moves the clock forward, never back', async () => {
        const { srv } = h;
        const c0 = await srv.clock();
        assert.ok(Number.isInteger(c0.now));
        assert.ok(Math.abs(c0.now - Math.floor(Date.now() / 1000)) < 5, 'starts at the real time');
        const c1 = await srv.advance(3600);
        assert.ok(c1.now >= c0.now + 3600 && c1.now < c0.now + 3605, JSON.stringify(c1));
        assert.equal(c1.offset, 3600);
        for (const advance of [0, -10, 'abc', 1.5, null, 1e12])
            assert.equal((await srv.op('POST', '/admin/v1/clock', { advance })).status, 400, String(advance));
        assert.equal((await srv.op('POST', '/admin/v1/clock', {})).status, 400);
        assert.equal((await srv.clock()).offset, 3600);
        const unauth = await srv.request('POST', '/admin/v1/clock', { body: { advance: 10 } });
        assert.equal(unauth.status, 401, 'the clock needs the operator key');
    });
});

describe('admin CLI', () => {
    const h = useServer({});

    it('prints the same operator key as the banner', async () => {
        const { srv } = h;
        const r = await srv.admin('operator-key');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout.trim(), /^[0-9a-f]{64}$/);
        assert.equal(r.stdout.trim(), srv.banner.operatorKey);
    });

    it('creates open-platform accounts and accounts that the running server serves at once', async () => {
        const { srv } = h;
        const o = await srv.admin('open-account', 'create', '--name', 'CLI Open');
        assert.equal(o.code, 0, o.stderr);
        const open = o.json[0];
        assert.match(open.appid, APPID_RE);
        assert.equal(open.name, 'CLI Open');
        const ol = await srv.admin('open-account', 'list');
        assert.ok(ol.json.some((x) => x.appid === open.appid));

        const c = await srv.admin('account', 'create', '--name', 'CLI Sub', '--type', 'subscription', '--verified', '--open', open.appid);
        assert.equal(c.code, 0, c.stderr);
        const a = c.json[0];
        assert.match(a.appid, APPID_RE);
        assert.match(a.secret, SECRET_RE);
        assert.match(a.original_id, ORIGINAL_ID_RE);
        assert.equal(a.type, 'subscription');
        assert.equal(a.verified, true);
        assert.equal(a.open_appid, open.appid);

        const t = await srv.token(a.appid, a.secret);
        assert.ok(t.access_token, `the running server issues for a CLI account: ${JSON.stringify(t)}`);
        const got = await srv.op('GET', `/admin/v1/accounts/get?appid=${a.appid}`);
        assert.equal(got.body.account.name, 'CLI Sub');
        const list = await srv.admin('account', 'list');
        assert.ok(list.json.some((x) => x.appid === a.appid));
        const show = await srv.admin('account', 'show', '--appid', a.appid);
        assert.equal(show.code, 0);
        assert.equal(show.json[0].secret, a.secret);
    });

    it('resets secrets, binds and sets allow-lists while the server runs', async () => {
        const { srv } = h;
        const a = (await srv.admin('account', 'create', '--name', 'CLI Svc')).json[0];
        assert.ok((await srv.token(a.appid, a.secret)).access_token);

        const r = await srv.admin('account', 'reset-secret', '--appid', a.appid);
        assert.equal(r.code, 0, r.stderr);
        const secret = r.json[0].secret;
        assert.match(secret, SECRET_RE);
        assert.notEqual(secret, a.secret);
        assert.equal((await srv.token(a.appid, a.secret)).errcode, 40001, 'the server sees the reset at once');
        assert.ok((await srv.token(a.appid, secret)).access_token);

        const w = await srv.admin('account', 'whitelist', '--appid', a.appid, '--ips', '10.1.2.3,10.1.2.4');
        assert.equal(w.code, 0, w.stderr);
        assert.equal(w.json[0].ip_whitelist, '10.1.2.3,10.1.2.4');
        assert.equal((await srv.token(a.appid, secret)).errcode, 40164);
        const w2 = await srv.admin('account', 'whitelist', '--appid', a.appid, '--ips', '');
        assert.equal(w2.code, 0, w2.stderr);
        assert.ok((await srv.token(a.appid, secret)).access_token);

        const open = (await srv.admin('open-account', 'create', '--name', 'CLI Open 2')).json[0];
        const b = await srv.admin('account', 'bind', '--appid', a.appid, '--open', open.appid);
        assert.equal(b.code, 0, b.stderr);
        assert.equal(b.json[0].open_appid, open.appid);
        const shown = await srv.op('GET', `/admin/v1/accounts/get?appid=${a.appid}`);
        assert.equal(shown.body.account.open_appid, open.appid);
    });

    it('creates users and changes passwords from the CLI', async () => {
        const { srv } = h;
        const c = await srv.admin('user', 'create', '--username', 'cli-user', '--password', 'cli-pw-1', '--nickname', 'Cli User');
        assert.equal(c.code, 0, c.stderr);
        const u = c.json[0];
        assert.ok(u.id > 0);
        assert.equal(u.username, 'cli-user');
        assert.equal(u.nickname, 'Cli User');
        assert.equal(u.has_password, true);
        const list = await srv.admin('user', 'list');
        assert.ok(list.json.some((x) => x.id === u.id));
        const login1 = await srv.post('/client/v1/login', { username: 'cli-user', password: 'cli-pw-1' });
        assert.equal(login1.status, 200, login1.text);
        const p = await srv.admin('user', 'password', '--id', String(u.id), '--password', 'cli-pw-2');
        assert.equal(p.code, 0, p.stderr);
        assert.equal((await srv.post('/client/v1/login', { username: 'cli-user', password: 'cli-pw-1' })).status, 401);
        assert.equal((await srv.post('/client/v1/login', { username: 'cli-user', password: 'cli-pw-2' })).status, 200);
        const dup = await srv.admin('user', 'create', '--username', 'cli-user');
        assert.notEqual(dup.code, 0, 'a duplicate username fails');
    });

    it('exits non-zero on bad input and changes nothing', async () => {
        const { srv } = h;
        const before = (await srv.admin('account', 'list')).json.length;
        for (const args of [
            ['account', 'show', '--appid', 'wx00000000000000ee'],
            ['account', 'show'],
            ['account', 'create'],
            ['account', 'create', '--name', 'bad', '--type', 'enterprise'],
            ['account', 'create', '--name', 'bad', '--open', 'wx0000000000000000'],
            ['account', 'frobnicate', '--appid', 'wx0000000000000000'],
            ['account', 'bind', '--appid', 'wx00000000000000ee', '--open', ''],
            ['user', 'password', '--id', 'abc', '--password', 'x'],
            ['user', 'password', '--id', '99999', '--password', 'x'],
            ['user', 'create'],
            ['nonsense', 'verb'],
            ['open-account', 'create'],
        ]) {
            const r = await srv.admin(...args);
            assert.notEqual(r.code, 0, `lianjie admin ${args.join(' ')} must fail: ${r.stdout}`);
        }
        const none = await srv.admin();
        assert.notEqual(none.code, 0, 'no command');
        assert.equal((await srv.admin('account', 'list')).json.length, before);
    });
});

describe('admin CLI on a data directory with no server', () => {
    it('creates a data directory, and a server started on it then serves what the CLI made', async () => {
        const { mkdtempSync, rmSync } = await import('node:fs');
        const os = await import('node:os');
        const path = await import('node:path');
        const { runAdmin, BIN, PG_BASE, newDatabase } = await import('./lib/server.mjs');
        const dir = mkdtempSync(path.join(os.tmpdir(), 'lianjie-e2e-cli-'));
        const db = PG_BASE ? (await newDatabase()).url : '';
        const on = db ? ['--db', db] : [];
        let srv;
        try {
            const key = await runAdmin(BIN, dir, [...on, 'operator-key']);
            assert.equal(key.code, 0, key.stderr);
            const a = (await runAdmin(BIN, dir, [...on, 'account', 'create', '--name', 'Offline'])).json[0];
            assert.match(a.appid, APPID_RE);
            srv = await startServer({ dataDir: dir, db });
            assert.equal(srv.operatorKey, key.stdout.trim(), 'the server keeps the key the CLI made');
            assert.ok((await srv.token(a.appid, a.secret)).access_token);
            await srv.assertClean();
        } finally {
            if (srv)
                await srv.stop();
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
