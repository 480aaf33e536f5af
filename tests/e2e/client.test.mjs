// The client API (the user side): password sign-in, sessions, sign-out, and the one-click
// demo sign-in that exists only with --demo.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isJsonType, useServer } from './lib/server.mjs';

const bearer = (s) => ({ authorization: `Bearer ${s}` });

describe('client sessions (demo world)', () => {
    const h = useServer({ demo: true, testClock: true });

    it('lists the five demo users with the demo password in the banner', () => {
        const { srv } = h;
        assert.deepEqual(
            srv.banner.users.map((u) => u.username),
            ['alice', 'bob', 'carol', 'dave', 'erin'],
        );
        assert.ok(srv.banner.users.every((u) => u.password === 'lianjie-demo'));
        assert.equal(srv.banner.accounts.length, 2);
        assert.equal(srv.banner.openAccounts.length, 1);
    });

    it('signs in with username and password and answers /me with that user', async () => {
        const { srv } = h;
        const res = await srv.post('/client/v1/login', { username: 'alice', password: 'lianjie-demo' });
        assert.equal(res.status, 200, res.text);
        assert.ok(isJsonType(res.headers));
        assert.equal(res.body.errcode, 0);
        assert.equal(typeof res.body.session, 'string');
        assert.ok(res.body.session.length >= 20);
        assert.equal(res.body.user.username, 'alice');
        assert.equal(res.body.user.id, 1);
        assert.equal(res.body.user.password_hash, undefined);
        if (res.body.expires_at !== undefined)
            assert.ok(res.body.expires_at > Date.now() / 1000);
        const me = await srv.get('/client/v1/me', { headers: bearer(res.body.session) });
        assert.equal(me.status, 200, me.text);
        assert.equal(me.body.errcode, 0);
        assert.equal(me.body.user.username, 'alice');
        assert.equal(me.body.user.nickname, 'Alice');
        assert.equal(me.body.user.city, 'Shenzhen');
    });

    it('refuses a wrong password, an unknown user or a user without a password with HTTP 401', async () => {
        const { srv } = h;
        for (const body of [
            { username: 'alice', password: 'wrong' },
            { username: 'alice', password: 'lianjie-demo ' },
            { username: 'Alice', password: 'lianjie-demo' },
            { username: 'nobody', password: 'lianjie-demo' },
        ]) {
            const res = await srv.post('/client/v1/login', body);
            assert.equal(res.status, 401, `${JSON.stringify(body)}: ${res.status} ${res.text}`);
            assert.ok(isJsonType(res.headers));
            assert.equal(typeof res.body.errcode, 'number');
            assert.equal(res.body.session, undefined);
        }
        const u = await srv.op('POST', '/admin/v1/users', { username: 'nopass' });
        assert.equal(u.status, 200, u.text);
        for (const password of ['x', 'lianjie-demo'])
            assert.equal((await srv.post('/client/v1/login', { username: 'nopass', password })).status, 401);
    });

    it('answers malformed sign-in bodies with HTTP 400', async () => {
        const { srv } = h;
        for (const body of ['', '{', '[]', { username: 'alice' }, { password: 'lianjie-demo' }, { username: '', password: '' }, { username: 'alice', password: 5 }]) {
            const res = await srv.request('POST', '/client/v1/login', { body });
            assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.status} ${res.text}`);
            assert.ok(isJsonType(res.headers));
            assert.notEqual(res.body.errcode, 0);
        }
    });

    it('refuses /me without a session or with a bad one (HTTP 401)', async () => {
        const { srv } = h;
        for (const headers of [{}, bearer(''), bearer('not-a-session'), bearer('x'.repeat(200)), { authorization: 'Basic YWxpY2U6bGlhbmppZS1kZW1v' }]) {
            const res = await srv.get('/client/v1/me', { headers });
            assert.equal(res.status, 401, JSON.stringify(headers));
            assert.ok(isJsonType(res.headers));
            assert.equal(typeof res.body.errcode, 'number');
        }
        const op = await srv.get('/client/v1/me', { headers: bearer(srv.operatorKey) });
        assert.equal(op.status, 401, 'the operator key is not a session');
    });

    it('gives each sign-in its own session, and signing out ends only that one', async () => {
        const { srv } = h;
        const s1 = (await srv.post('/client/v1/login', { username: 'bob', password: 'lianjie-demo' })).body.session;
        const s2 = (await srv.post('/client/v1/login', { username: 'bob', password: 'lianjie-demo' })).body.session;
        assert.notEqual(s1, s2);
        const out = await srv.post('/client/v1/logout', '', { headers: bearer(s1) });
        assert.equal(out.status, 200, out.text);
        assert.equal(out.body.errcode, 0);
        assert.equal((await srv.get('/client/v1/me', { headers: bearer(s1) })).status, 401, 'signed out');
        assert.equal((await srv.post('/client/v1/logout', '', { headers: bearer(s1) })).status, 401, 'a second sign-out needs a session');
        const me2 = await srv.get('/client/v1/me', { headers: bearer(s2) });
        assert.equal(me2.status, 200);
        assert.equal(me2.body.user.username, 'bob');
        assert.equal((await srv.post('/client/v1/logout', '')).status, 401, 'sign-out without a session');
    });

    it('lists the demo users and signs one in with one click', async () => {
        const { srv } = h;
        const list = await srv.get('/client/v1/demo/users');
        assert.equal(list.status, 200, list.text);
        const names = list.body.users.map((u) => u.username);
        for (const n of ['alice', 'bob', 'carol', 'dave', 'erin'])
            assert.ok(names.includes(n), n);
        const carol = list.body.users.find((u) => u.username === 'carol');
        const res = await srv.post('/client/v1/demo/login', { user_id: carol.id });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.user.username, 'carol');
        const me = await srv.get('/client/v1/me', { headers: bearer(res.body.session) });
        assert.equal(me.body.user.id, carol.id);
        assert.equal((await srv.post('/client/v1/demo/login', { user_id: 999999 })).status, 401);
        for (const body of [{}, { user_id: 0 }, { user_id: -1 }, { user_id: 'abc' }, '', 'junk'])
            assert.equal((await srv.request('POST', '/client/v1/demo/login', { body })).status, 400, JSON.stringify(body));
    });

    it('ends a session 30 days after sign-in', async () => {
        const { srv } = h;
        const res = await srv.post('/client/v1/login', { username: 'dave', password: 'lianjie-demo' });
        const s = res.body.session;
        await srv.advance(29 * 86400);
        assert.equal((await srv.get('/client/v1/me', { headers: bearer(s) })).status, 200, 'valid after 29 days');
        await srv.advance(86400 + 10);
        assert.equal((await srv.get('/client/v1/me', { headers: bearer(s) })).status, 401, 'expired after 30 days');
        const again = await srv.post('/client/v1/login', { username: 'dave', password: 'lianjie-demo' });
        assert.equal((await srv.get('/client/v1/me', { headers: bearer(again.body.session) })).status, 200);
    });

    it('still signs in the demo users after a restart, without seeding them twice', async () => {
        const { srv } = h;
        await srv.restart();
        const list = await srv.get('/client/v1/demo/users');
        assert.equal(list.body.users.filter((u) => u.username === 'alice').length, 1);
        const accounts = await srv.op('GET', '/admin/v1/accounts');
        assert.equal(accounts.body.accounts.filter((a) => a.name === 'Demo Service Account').length, 1);
        const res = await srv.post('/client/v1/login', { username: 'alice', password: 'lianjie-demo' });
        assert.equal(res.status, 200);
        const svc = srv.banner.accounts.find((a) => a.type === 'service');
        assert.ok(svc, 'the banner lists the demo service account again');
        assert.ok((await srv.token(svc.appid, svc.secret)).access_token, 'the banner secret works');
    });
});

describe('client sessions without --demo', () => {
    const h = useServer({});

    it('has no demo routes (HTTP 404) but password sign-in works', async () => {
        const { srv } = h;
        assert.equal((await srv.get('/client/v1/demo/users')).status, 404);
        assert.equal((await srv.post('/client/v1/demo/login', { user_id: 1 })).status, 404);
        const u = await srv.op('POST', '/admin/v1/users', { username: 'plain', password: 'plain-pw' });
        assert.equal(u.status, 200, u.text);
        const res = await srv.post('/client/v1/login', { username: 'plain', password: 'plain-pw' });
        assert.equal(res.status, 200, res.text);
        const me = await srv.get('/client/v1/me', { headers: bearer(res.body.session) });
        assert.equal(me.body.user.username, 'plain');
        assert.equal(srv.banner.users.length, 0, 'no demo users without --demo');
    });
});
