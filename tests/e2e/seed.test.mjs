// `lianjie admin seed-followers`: bulk followers for load tests, seen over the wire as a
// follow would make them (user/get, user/info), without pushes to the developer's server,
// idempotent, and with clear errors for bad options.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { useServer } from './lib/server.mjs';
import { client, newClientUser, wiredAccount } from './lib/messaging.mjs';
import { ids } from './lib/oauth.mjs';

describe('admin seed-followers', () => {
    const h = useServer();
    const w = {};

    before(async () => {
        const srv = h.srv;
        w.wired = await wiredAccount(srv);
        w.appid = w.wired.acct.appid;
        const t = await srv.token(w.appid, w.wired.acct.secret);
        assert.ok(t.access_token, JSON.stringify(t));
        w.q = `access_token=${encodeURIComponent(t.access_token)}`;
        // a real follower first: the seeded ones come on top
        w.user = await newClientUser(srv);
        const f = await client.follow(srv, w.user, w.appid);
        assert.equal(f.body?.errcode, 0, f.text);
        await w.wired.dev.next();
        w.run = await srv.admin('seed-followers', '--appid', w.appid, '--count', '120', '--batch', '50');
    });
    after(() => w.wired?.dev.close());

    it('creates the users and their follows in batches, and says what it did', () => {
        assert.equal(w.run.code, 0, w.run.stderr);
        assert.deepEqual(
            { ...w.run.json[0], seconds: 0 },
            { appid: w.appid, count: 120, created: 120, followed: 120, skipped: 0, seconds: 0 },
        );
        assert.match(w.run.stderr, /seed-followers: 120 of 120/);
    });

    it('lists the seeded users in user/get and shows them in user/info', async () => {
        const srv = h.srv;
        const r = await srv.get(`/cgi-bin/user/get?${w.q}`);
        assert.equal(r.body.total, 121, r.text);
        assert.equal(r.body.count, 121);
        // the users seed0000001 .. seed0000120, and their openids for this account
        const users = (await srv.op('GET', '/admin/v1/users')).body.users.filter((u) => /^seed\d{7}$/.test(u.username));
        assert.deepEqual(
            users.map((u) => u.username).sort(),
            Array.from({ length: 120 }, (_, i) => `seed${String(i + 1).padStart(7, '0')}`),
        );
        const seededIds = await Promise.all(users.map(async (u) => (await ids(srv, w.appid, u.id)).openid));
        const listed = new Set(r.body.data.openid);
        for (const openid of seededIds) assert.ok(listed.has(openid), `${openid} not in user/get`);
        for (const openid of seededIds.slice(0, 10)) {
            const i = (await srv.get(`/cgi-bin/user/info?${w.q}&openid=${openid}`)).body;
            assert.equal(i.subscribe, 1, JSON.stringify(i));
            assert.equal(i.subscribe_scene, 'ADD_SCENE_OTHERS');
            assert.equal(i.language, 'zh_CN');
            assert.ok(i.subscribe_time > 0);
        }
    });

    it('pushes nothing to the developer server', async () => {
        // only the real user's subscribe event arrived (taken in before())
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(w.wired.dev.received.length, 1);
    });

    it('skips those already following when run again, and adds the rest', async () => {
        const srv = h.srv;
        const again = await srv.admin('seed-followers', '--appid', w.appid, '--count', '130');
        assert.equal(again.code, 0, again.stderr);
        assert.equal(again.json[0].created, 10);
        assert.equal(again.json[0].followed, 10);
        assert.equal(again.json[0].skipped, 120);
        const r = await srv.get(`/cgi-bin/user/get?${w.q}`);
        assert.equal(r.body.total, 131, r.text);
    });

    it('refuses bad options with a message and a non-zero exit', async () => {
        const srv = h.srv;
        const cases = [
            [['--count', '5'], /missing --appid/],
            [['--appid', w.appid], /missing --count/],
            [['--appid', w.appid, '--count', '0'], /--count must be a positive number/],
            [['--appid', w.appid, '--count', 'many'], /--count must be a positive number/],
            [['--appid', w.appid, '--count', '5', '--batch', '-1'], /--batch must be a positive number/],
            [['--appid', 'wx0000000000000000', '--count', '5'], /40013/],
        ];
        for (const [args, re] of cases) {
            const r = await srv.admin('seed-followers', ...args);
            assert.notEqual(r.code, 0, args.join(' '));
            assert.match(r.stderr, re, args.join(' '));
        }
        const r = await srv.get(`/cgi-bin/user/get?${w.q}`);
        assert.equal(r.body.total, 131, 'nothing was added by the refused runs');
    });
});
