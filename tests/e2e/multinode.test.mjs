// Many equal nodes on one PostgreSQL act as one platform (README, "Many nodes"): requests are
// spread over two nodes and every rule holds across them: tokens and their overlap, stable
// tokens, secret resets, sign-outs and cancelled authorizations within a second; daily quotas
// and single-use codes exact under races; one ticket push every 10 minutes for the platform;
// each push delivered once, and a dead node's pushes after their lease; one test clock; media
// from either node; migrations once; and faults: kill -9 under load, PostgreSQL restarted.
//
// Runs in the PostgreSQL pass of `make test` (LIANJIE_PG set), on a cluster of its own, since
// it restarts PostgreSQL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { authSetup, authorized, formOf, newComponent, nextTicket, pageUrl, preauth, queryAuth } from './lib/component.mjs';
import { client, newClientUser, settled, uploadMedia, wiredAccount } from './lib/messaging.mjs';
import { authorize, get, newUser, postForm, setOauthDomain, signIn } from './lib/oauth.mjs';
import { PG_BASE, Server, expectErr, newDatabase, psql } from './lib/server.mjs';

const TOOLS = fileURLToPath(new URL('../../tools/', import.meta.url));
const SKIP = PG_BASE ? false : 'runs in the PostgreSQL pass (LIANJIE_PG)';

function sh(cmd, args) {
    return new Promise((resolve, reject) =>
        execFile(cmd, args, { timeout: 120000 }, (err, stdout, stderr) =>
            err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout.trim())));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** polls fn until it answers truthy (or throws after ms); answers its value */
async function within(ms, fn, what) {
    const deadline = Date.now() + ms;
    for (;;) {
        const v = await fn();
        if (v)
            return v;
        if (Date.now() > deadline)
            throw new Error(`not within ${ms} ms: ${what}`);
        await sleep(25);
    }
}

/** a PostgreSQL cluster of this file's own */
const cluster = { dir: '', base: '' };

/** a loopback port nothing listens on now */
function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

async function startCluster() {
    cluster.dir = mkdtempSync(path.join(os.tmpdir(), 'lianjie-mn-'));
    chmodSync(cluster.dir, 0o755); // run as root, the cluster belongs to the postgres user
    for (let tries = 1; ; tries++) {
        try {
            const port = await freePort();
            cluster.base = await sh(path.join(TOOLS, 'pg-cluster.sh'), ['start', path.join(cluster.dir, 'pg'), String(port)]);
            return;
        } catch (e) {
            if (tries === 3) // the port was taken meanwhile: another one
                throw e;
        }
    }
}

/** `n` nodes on one new database and one shared data directory (media) */
async function nodes(n, opts = {}) {
    const db = (await newDatabase(cluster.base)).url;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lianjie-mn-data-'));
    const list = Array.from({ length: n }, () => new Server({ db, dataDir, testClock: true, pushLease: 3, ...opts }));
    await Promise.all(list.map((s) => s.start()));
    list.db = db;
    list.dataDir = dataDir;
    return list;
}

async function stopAll(list) {
    for (const s of list)
        await s.stop();
    rmSync(list.dataDir, { recursive: true, force: true });
}

/** the first node's clock moved by secs, and the second's too (one clock for all) */
async function advanceAll(a, b, secs) {
    const r = await a.advance(secs);
    await within(2000, async () => (await b.clock()).offset === r.offset, 'the other node sees the moved clock');
    return r;
}

describe('many nodes on one PostgreSQL', { skip: SKIP }, () => {
    let A, B, list;
    before(async () => {
        await startCluster();
        list = await nodes(2);
        [A, B] = list;
    });
    afterEach(async () => {
        for (const s of list)
            if (s.running())
                await s.assertClean();
    });
    after(async () => {
        if (list)
            await stopAll(list);
        if (cluster.dir) {
            await sh(path.join(TOOLS, 'pg-cluster.sh'), ['stop', path.join(cluster.dir, 'pg')]).catch(() => {});
            rmSync(cluster.dir, { recursive: true, force: true });
            cluster.base = '';
        }
    });

    it('share one operator key, accounts and users', async () => {
        assert.equal(A.operatorKey, B.operatorKey);
        const acct = await A.createAccount();
        const got = await B.op('GET', `/admin/v1/accounts/get?appid=${acct.appid}`);
        assert.equal(got.body.account.secret, acct.secret);
    });

    it('a token issued on one node works on the other at once; the old one keeps its 5 minutes there, then stops', async () => {
        const acct = await A.createAccount();
        const t1 = (await A.token(acct.appid, acct.secret)).access_token;
        assert.ok((await B.callbackIp(t1)).ip_list, 'B knows the token A issued');
        const t2 = (await A.token(acct.appid, acct.secret)).access_token;
        assert.ok((await B.callbackIp(t2)).ip_list);
        assert.ok((await B.callbackIp(t1)).ip_list, 'the superseded token within its overlap on B');
        await advanceAll(A, B, 301);
        expectErr(await B.get(`/cgi-bin/getcallbackip?access_token=${t1}`), 40001);
        assert.ok((await B.callbackIp(t2)).ip_list);
    });

    it('a forced stable_token refresh on one node ends the old token on the other within a second', async () => {
        const acct = await A.createAccount();
        const s1 = (await B.stableToken(acct.appid, acct.secret)).access_token;
        assert.ok((await B.callbackIp(s1)).ip_list, 'cached on B');
        assert.equal((await A.stableToken(acct.appid, acct.secret)).access_token, s1, 'the same current token on A');
        const s2 = (await A.stableToken(acct.appid, acct.secret, true)).access_token;
        assert.notEqual(s2, s1);
        await within(1000, async () => (await B.get(`/cgi-bin/getcallbackip?access_token=${s1}`)).body.errcode === 40001,
            'the old stable token refused on B');
        assert.equal((await B.stableToken(acct.appid, acct.secret)).access_token, s2);
        // 30 s between forced refreshes, counted for the platform
        assert.equal((await B.stableToken(acct.appid, acct.secret, true)).access_token, s2, 'B does not refresh again within 30 s');
    });

    it('reset_secret on one node: the other issues only for the new secret', async () => {
        const acct = await A.createAccount();
        const reset = (await A.op('POST', '/admin/v1/accounts/reset_secret', { appid: acct.appid })).body.account;
        assert.notEqual(reset.secret, acct.secret);
        assert.equal((await B.token(acct.appid, acct.secret)).errcode, 40001, 'the old secret on B');
        assert.ok((await B.token(acct.appid, reset.secret)).access_token);
    });

    it('a sign-out on one node ends the session on the other within a second', async () => {
        const u = await newClientUser(A);
        assert.equal((await B.get('/client/v1/me', { headers: u.auth })).status, 200, 'the session is cached on B');
        assert.equal((await A.post('/client/v1/logout', {}, { headers: u.auth })).status, 200);
        await within(1000, async () => (await B.get('/client/v1/me', { headers: u.auth })).status !== 200,
            'the session refused on B');
    });

    it('a cancelled third-party authorization stops its authorizer token on the other node within a second', async () => {
        const s = await authorized(A, { set_1: '1', set_2: '1' });
        const tok = s.info.authorizer_access_token;
        const fans = (srv) => srv.get(`/cgi-bin/user/get?access_token=${encodeURIComponent(tok)}`);
        assert.equal((await fans(B)).body.total, 0, 'the authorizer token works on B');
        const login = await A.post('/client/v1/login', { username: s.user.username, password: s.user.password });
        const r = await A.post('/client/v1/authorizations/cancel', { appid: s.acct.appid, component_appid: s.c.comp.component_appid },
            { headers: { authorization: `Bearer ${login.body.session}` } });
        assert.equal(r.status, 200, r.text);
        await within(1000, async () => (await fans(B)).body.errcode === 40001, 'the authorizer token refused on B');
        await s.c.dev.close();
    });

    it('a daily quota of 1000 lets exactly 1000 of 1100 racing calls through, spread over both nodes', async () => {
        const acct = await A.createAccount();
        const t = (await A.token(acct.appid, acct.secret)).access_token;
        const calls = Array.from({ length: 1100 }, (_, i) =>
            (i % 2 ? A : B).get(`/cgi-bin/get_api_domain_ip?access_token=${t}`).then((r) => r.body.errcode ?? 0));
        const codes = await Promise.all(calls);
        assert.equal(codes.filter((c) => c === 0).length, 1000, 'exactly the quota');
        assert.equal(codes.filter((c) => c === 45009).length, 100);
        const q = await B.post(`/cgi-bin/openapi/quota/get?access_token=${t}`, { cgi_path: '/cgi-bin/get_api_domain_ip' });
        assert.equal(q.body.quota.used, 1000, q.text);
    });

    it('clear_quota: 10 a month for the platform, whichever node takes them', async () => {
        const acct = await A.createAccount();
        const t = (await A.token(acct.appid, acct.secret)).access_token;
        const codes = await Promise.all(Array.from({ length: 14 }, (_, i) =>
            (i % 2 ? A : B).post(`/cgi-bin/clear_quota?access_token=${t}`, { appid: acct.appid }).then((r) => r.body.errcode)));
        assert.equal(codes.filter((c) => c === 0).length, 10);
        assert.equal(codes.filter((c) => c === 48006).length, 4);
    });

    it('one OAuth code exchanged 1000 times at once over both nodes succeeds exactly once', async () => {
        const acct = await A.createAccount({ type: 'service', verified: true });
        await setOauthDomain(A, acct.appid, '127.0.0.1');
        const user = await newUser(A);
        const cookie = await signIn(A, user.username, user.password);
        const { code } = await authorize(A, cookie, { appid: acct.appid, redirect_uri: 'http://127.0.0.1/cb', state: 's' });
        assert.ok(code);
        const q = `/sns/oauth2/access_token?appid=${acct.appid}&secret=${acct.secret}&code=${code}&grant_type=authorization_code`;
        const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => (i % 2 ? A : B).get(q)));
        const ok = answers.filter((r) => r.body.access_token);
        assert.equal(ok.length, 1, 'exactly one exchange');
        // the others: used, or (past 60 bad codes a minute from one address) 45011
        assert.ok(answers.every((r) => r.body.access_token || [40029, 40163, 45011].includes(r.body.errcode)),
            JSON.stringify([...new Set(answers.map((r) => r.body.errcode))]));
    });

    it('a third party\'s authorization code, exchanged 200 times at once over both nodes, succeeds once', async () => {
        const s = await authSetup(A, { domains: ['127.0.0.1'] });
        const code = await preauth(A, s.c);
        const page = await get(B, pageUrl(s.c, code, 'http://127.0.0.1:9/back'), s.cookie);
        assert.equal(page.status, 200, page.text.slice(0, 300));
        const form = { ...formOf(page.text), authorizer_appid: s.acct.appid, set_1: '1' };
        const [first, second] = await Promise.all([postForm(A, '/cgi-bin/componentloginpage', form, s.cookie),
            postForm(B, '/cgi-bin/componentloginpage', form, s.cookie)]);
        assert.equal([first, second].filter((r) => r.status === 302).length, 1, 'the pre-auth code approves once');
        const done = first.status === 302 ? first : second;
        const authCode = new URL(done.location).searchParams.get('auth_code');
        const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => queryAuth(i % 2 ? A : B, s.c, authCode)));
        assert.equal(answers.filter((r) => r.body.authorization_info).length, 1, 'exactly one exchange');
        await s.c.dev.close();
    });

    it('an hour of test clock with both nodes up: exactly 6 ticket pushes, one every 10 minutes', async () => {
        const c = await newComponent(A);
        await nextTicket(c.dev); // the first, at registration
        await sleep(2500); // both nodes' maintenance ran with nothing due
        const seen = [];
        for (let i = 0; i < 6; i++) {
            await advanceAll(A, B, 600);
            seen.push(await nextTicket(c.dev));
        }
        await sleep(2500);
        assert.equal(c.dev.received.length, 7, 'the first ticket and six more, none twice');
        assert.equal(new Set(seen.map((r) => r.msg.ComponentVerifyTicket)).size, 6);
        await c.dev.close();
    });

    it('each push is delivered once, by whichever node claims it', async () => {
        const { acct, dev } = await wiredAccount(A);
        const users = await Promise.all(Array.from({ length: 10 }, () => newClientUser(A)));
        for (const [i, u] of users.entries())
            assert.equal((await client.follow(i % 2 ? A : B, u, acct.appid)).body.errcode, 0);
        await Promise.all(users.flatMap((u, i) => [0, 1, 2].map((k) =>
            client.text(k % 2 ? A : B, u, acct.appid, `m${i}-${k}`))));
        await within(20000, async () => dev.received.length >= 40, 'all 40 pushes arrive');
        await sleep(1500);
        const keys = dev.received.map((r) => r.msg.MsgId || `${r.msg.FromUserName}/${r.msg.CreateTime}/${r.msg.Event}`);
        assert.equal(dev.received.length, 40, 'no push twice');
        assert.equal(new Set(keys).size, 40);
        await dev.close();
    });

    it('menu ids keep growing whichever node creates the menu', async () => {
        const ids = [];
        for (let i = 0; i < 12; i++) {
            const srv = i % 2 ? A : B;
            const acct = await srv.createAccount({ type: 'service', verified: true });
            const t = (await srv.token(acct.appid, acct.secret)).access_token;
            const r = await srv.post(`/cgi-bin/menu/create?access_token=${t}`, { button: [{ type: 'click', name: 'x', key: 'k' }] });
            assert.equal(r.body.errcode, 0, r.text);
            ids.push((await (i % 2 ? B : A).get(`/cgi-bin/menu/get?access_token=${t}`)).body.menu.menuid);
        }
        for (let i = 1; i < ids.length; i++)
            assert.ok(ids[i] > ids[i - 1], `menu ids in order of creation: ${ids.join(' ')}`);
    });

    it('one test clock: moved on one node, the other follows', async () => {
        const before = await B.clock();
        const r = await A.advance(90);
        assert.equal(r.offset, before.offset + 90);
        await within(1000, async () => (await B.clock()).offset === r.offset, 'B follows');
    });

    it('media uploaded through one node are read through the other', async () => {
        const acct = await A.createAccount({ type: 'service', verified: true });
        const t = (await A.token(acct.appid, acct.secret)).access_token;
        const id = await uploadMedia(A, t, 'image');
        const a = await A.fetch(`/cgi-bin/media/get?access_token=${t}&media_id=${id}`);
        const b = await B.fetch(`/cgi-bin/media/get?access_token=${t}&media_id=${id}`);
        assert.equal(b.status, 200);
        assert.deepEqual(Buffer.from(await b.arrayBuffer()), Buffer.from(await a.arrayBuffer()));
    });

    it("a long poll on one node answers at once when the account writes through the other", async () => {
        const { acct, dev } = await wiredAccount(A);
        const u = await newClientUser(A);
        await client.follow(A, u, acct.appid);
        await client.text(A, u, acct.appid, 'hello');
        await settled(A, acct.appid, (p) => p.kind === 'text');
        const last = (await client.messages(B, u, acct.appid)).body.last_id;
        const t = (await A.token(acct.appid, acct.secret)).access_token;
        const t0 = Date.now();
        const poll = client.messages(B, u, acct.appid, last, 20);
        await sleep(300);
        const sent = await A.post(`/cgi-bin/message/custom/send?access_token=${t}`,
            { touser: (await dev.received[0]).msg.FromUserName, msgtype: 'text', text: { content: 'from A' } });
        assert.equal(sent.body.errcode, 0, sent.text);
        const r = await poll;
        assert.ok(Date.now() - t0 < 5000, 'not the full 20 s');
        assert.ok(r.body.messages.some((m) => m.from === 'account' && JSON.stringify(m).includes('from A')), r.text);
        await dev.close();
    });
});

describe('many nodes: start, schema and faults', { skip: SKIP }, () => {
    before(async () => {
        if (!cluster.base)
            await startCluster();
    });
    after(async () => {
        await sh(path.join(TOOLS, 'pg-cluster.sh'), ['stop', path.join(cluster.dir, 'pg')]).catch(() => {});
        rmSync(cluster.dir, { recursive: true, force: true });
    });

    it('three nodes started together on a new database migrate it once', async () => {
        const list = await nodes(3, { logLevel: 'info' });
        try {
            const migrated = list.map((s) => (s.stderr.match(/schema migrated to version 1"/g) || []).length);
            assert.equal(migrated.reduce((x, y) => x + y, 0), 1, `migrations per node: ${migrated}`);
            const name = new URL(list.db).pathname.slice(1);
            const v = Number((await psql(name, 'SELECT version FROM schema_version', cluster.base)).trim());
            assert.ok(v >= 13);
            for (const s of list)
                assert.ok(await s.healthy());
        } finally {
            await stopAll(list);
        }
    });

    it('a node refuses a schema newer than it knows', async () => {
        const list = await nodes(1);
        await stopAll(list);
        const name = new URL(list.db).pathname.slice(1);
        await psql(name, 'UPDATE schema_version SET version = 999', cluster.base);
        const s = new Server({ db: list.db });
        await assert.rejects(s.start(), /exited before listening/);
        assert.match(s.stderr, /newer than this build knows/);
        await s.stop().catch(() => {});
    });

    it('kill -9 of one node under a write load: every acknowledged write is there, the other node goes on', async () => {
        const list = await nodes(2);
        const [A, B] = list;
        try {
            const acked = [];
            let stop = false;
            const writer = async (srv, tag) => {
                for (let i = 0; !stop; i++) {
                    const r = await srv.op('POST', '/admin/v1/users', { username: `${tag}${i}x${Math.random().toString(36).slice(2, 6)}` })
                        .catch(() => null);
                    if (r?.body?.errcode === 0)
                        acked.push(r.body.user.username);
                    if (!srv.running())
                        return;
                }
            };
            const load = [writer(A, 'a'), writer(A, 'b'), writer(B, 'c'), writer(B, 'd')];
            await sleep(1500);
            await A.kill9();
            await sleep(1000);
            const afterKill = acked.length;
            await sleep(1000);
            stop = true;
            await Promise.all(load);
            assert.ok(acked.length > afterKill, 'B went on writing');
            const users = new Set((await B.op('GET', '/admin/v1/users')).body.users.map((u) => u.username));
            const lost = acked.filter((u) => !users.has(u));
            assert.deepEqual(lost, [], 'acknowledged writes lost');
        } finally {
            await stopAll(list);
        }
    });

    it("pushes the dead node had claimed are delivered by another after their lease", async () => {
        const [A] = await nodes(1);
        const { acct, dev } = await wiredAccount(A);
        const u = await newClientUser(A);
        await client.follow(A, u, acct.appid);
        await settled(A, acct.appid, (p) => p.kind === 'subscribe');
        dev.failNext = 1; // A's attempt hangs
        await client.text(A, u, acct.appid, 'claimed by A');
        await within(10000, async () => dev.received.some((r) => r.msg.Content === 'claimed by A'), 'A attempts it');
        await A.kill9();
        const B = new Server({ db: A.db, dataDir: A.dataDir, testClock: true, pushLease: 3 });
        await B.start();
        try {
            const p = await settled(B, acct.appid, (x) => x.kind === 'text', 20000);
            assert.equal(p.state, 'delivered', JSON.stringify(p));
            assert.ok(dev.received.filter((r) => r.msg.Content === 'claimed by A').length >= 2, 'B delivered it again');
        } finally {
            await B.stop();
            await A.stop();
            await dev.close();
            rmSync(A.dataDir, { recursive: true, force: true });
        }
    });

    it('PostgreSQL restarted under load: requests answer -1 quickly, never hang, and the nodes recover by themselves', async () => {
        const list = await nodes(2);
        const [A, B] = list;
        try {
            const acct = await A.createAccount();
            const acked = [];
            let stop = false;
            let slowest = 0;
            const seen = new Set();
            const writer = async (srv) => {
                while (!stop) {
                    const t0 = Date.now();
                    const r = await srv.op('POST', '/admin/v1/users', { username: `pg${Math.random().toString(36).slice(2, 10)}` });
                    slowest = Math.max(slowest, Date.now() - t0);
                    seen.add(r.body?.errcode);
                    if (r.body?.errcode === 0)
                        acked.push(r.body.user.username);
                    else
                        await sleep(20);
                }
            };
            const load = [writer(A), writer(B)];
            await sleep(800);
            await sh(path.join(TOOLS, 'pg-cluster.sh'), ['restart', path.join(cluster.dir, 'pg')]);
            await within(15000, async () => (await A.token(acct.appid, acct.secret)).access_token &&
                (await B.token(acct.appid, acct.secret)).access_token, 'both nodes serve again');
            const n = acked.length;
            await within(5000, async () => acked.length > n + 10, 'writes go on');
            stop = true;
            await Promise.all(load);
            assert.ok(slowest < 10000, `no request waited ${slowest} ms`);
            assert.deepEqual([...seen].filter((c) => c !== 0 && c !== -1), [], 'during the outage: system error, nothing else');
            const users = new Set((await B.op('GET', '/admin/v1/users')).body.users.map((u) => u.username));
            assert.deepEqual(acked.filter((u) => !users.has(u)), [], 'acknowledged writes lost');
            for (const s of list)
                await s.assertClean();
        } finally {
            await stopAll(list);
        }
    });
});
