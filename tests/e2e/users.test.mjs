// User management over the wire (spec/accounts.md §3-4): user/get paging, user/info and
// batchget, remarks, tags and tag membership, the blacklist. Followers are made the way a
// user makes them: signed in on the client API, POST /client/v1/follow.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { expectErr, isJsonType, useServer } from './lib/server.mjs';
import { authorize, clientSession, exchange, ids, newUser, setOauthDomain, signIn } from './lib/oauth.mjs';

const STAR = { id: 2, name: '星标组' };

/** an account with a token: {appid, secret, token, q: '?access_token=...'} */
async function account(srv, fields = {}) {
    const a = await srv.createAccount({ type: 'service', verified: true, ...fields });
    const t = await srv.token(a.appid, a.secret);
    assert.ok(t.access_token, JSON.stringify(t));
    return { ...a, token: t.access_token, q: `?access_token=${encodeURIComponent(t.access_token)}` };
}

/** a new platform user who follows each of the accounts; answers {id, username, openid} */
async function follower(srv, ...accounts) {
    const u = await newUser(srv, 'f');
    const session = await clientSession(srv, u.username, u.password);
    for (const a of accounts) {
        const r = await srv.post('/client/v1/follow', { appid: a.appid }, { headers: { authorization: `Bearer ${session}` } });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.errcode, 0, r.text);
    }
    const first = accounts[0];
    return { ...u, session, openid: first ? (await ids(srv, first.appid, u.id)).openid : '' };
}

async function openidOf(srv, a, user) {
    return (await ids(srv, a.appid, user.id)).openid;
}

const api = (srv, a) => ({
    get: (path) => srv.get(`/cgi-bin/${path}${path.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(a.token)}`),
    post: (path, body, opts) => srv.post(`/cgi-bin/${path}${a.q}`, body, opts),
});

/** every openid of user/get, following next_openid until an empty page */
async function allFollowers(srv, a) {
    const out = [];
    let next = '';
    for (let i = 0; i < 100; i++) {
        const r = await api(srv, a).get(`user/get?next_openid=${encodeURIComponent(next)}`);
        assert.equal(r.status, 200, r.text);
        if (r.body.count === 0)
            return { openids: out, last: r.body };
        out.push(...r.body.data.openid);
        next = r.body.next_openid;
    }
    throw new Error('user/get never ended');
}

describe('followers and user info', () => {
    const h = useServer({ testClock: true });
    const w = {};

    before(async () => {
        const { srv } = h;
        w.a = await account(srv);
        w.b = await account(srv);
        w.fans = [];
        for (let i = 0; i < 3; i++)
            w.fans.push(await follower(srv, w.a));
        w.both = await follower(srv, w.a, w.b);
        w.fans.push(w.both);
        w.onlyB = await follower(srv, w.b);
        w.onlyB.openidA = await openidOf(srv, w.a, w.onlyB);
        w.onlyB.openidB = await openidOf(srv, w.b, w.onlyB);
    });

    it("lists the account's own followers once, in one page, then an empty page", async () => {
        const { srv } = h;
        const r = await api(srv, w.a).get('user/get');
        assert.equal(r.status, 200);
        assert.ok(isJsonType(r.headers));
        assert.equal(r.body.total, 4, r.text);
        assert.equal(r.body.count, 4);
        assert.deepEqual([...r.body.data.openid].sort(), w.fans.map((f) => f.openid).sort());
        assert.equal(r.body.next_openid, r.body.data.openid[3], 'next_openid is the last openid of the page');
        assert.equal(r.body.errcode, undefined);
        const end = await api(srv, w.a).get(`user/get?next_openid=${r.body.next_openid}`);
        assert.deepEqual(end.body, { total: 4, count: 0, next_openid: '' }, 'an empty page has no data');
        const b = await api(srv, w.b).get('user/get?next_openid=');
        assert.deepEqual(b.body.data.openid.sort(), [w.onlyB.openidB, (await openidOf(srv, w.b, w.both))].sort());
    });

    it('pages from any openid of the list', async () => {
        const { srv } = h;
        const full = (await api(srv, w.a).get('user/get')).body.data.openid;
        const r = await api(srv, w.a).get(`user/get?next_openid=${full[1]}`);
        assert.deepEqual(r.body.data.openid, full.slice(2));
        assert.equal(r.body.total, 4);
        assert.equal(r.body.count, 2);
    });

    it('refuses a malformed next_openid and the wrong method', async () => {
        const { srv } = h;
        expectErr(await api(srv, w.a).get('user/get?next_openid=OPENID'), 40003);
        expectErr(await api(srv, w.a).get(`user/get?next_openid=${'o'.repeat(29)}`), 40003);
        expectErr(await api(srv, w.a).post('user/get', {}), 43001);
        expectErr(await srv.get('/cgi-bin/user/get'), 41001);
        expectErr(await srv.get('/cgi-bin/user/get?access_token=nope'), 40001);
    });

    it('shows a follower with every field of the user object', async () => {
        const { srv } = h;
        const f = w.fans[0];
        const r = await api(srv, w.a).get(`user/info?openid=${f.openid}&lang=zh_CN`);
        assert.equal(r.status, 200);
        assert.ok(isJsonType(r.headers));
        const now = (await srv.clock()).now;
        const u = r.body;
        assert.equal(u.subscribe, 1, r.text);
        assert.equal(u.openid, f.openid);
        assert.equal(u.language, 'zh_CN');
        assert.ok(Math.abs(u.subscribe_time - now) < 120, r.text);
        assert.equal(u.remark, '');
        assert.equal(u.groupid, 0);
        assert.deepEqual(u.tagid_list, []);
        assert.equal(typeof u.subscribe_scene, 'string');
        assert.match(u.subscribe_scene, /^ADD_SCENE_/);
        assert.equal(u.qr_scene, 0);
        assert.equal(u.qr_scene_str, '');
        assert.equal(u.unionid, undefined, 'no unionid for an account without an open platform');
        assert.equal(u.errcode, undefined);
        for (const lang of ['zh_TW', 'en'])
            assert.equal((await api(srv, w.a).get(`user/info?openid=${f.openid}&lang=${lang}`)).body.subscribe, 1);
        assert.equal((await api(srv, w.a).get(`user/info?openid=${f.openid}`)).body.openid, f.openid);
    });

    it("refuses another account's openid, a malformed one and a missing one", async () => {
        const { srv } = h;
        expectErr(await api(srv, w.a).get(`user/info?openid=${w.onlyB.openidB}`), 40003);
        expectErr(await api(srv, w.a).get('user/info?openid=OPENID'), 40003);
        expectErr(await api(srv, w.a).get(`user/info?openid=${w.fans[0].openid}x`), 40003);
        expectErr(await api(srv, w.a).get('user/info?openid=%zz'), 40003);
        expectErr(await api(srv, w.a).get('user/info'), 41009);
        expectErr(await api(srv, w.a).get('user/info?openid='), 41009);
    });

    it('answers subscribe 0 for a user the account met through web authorization only', async () => {
        const { srv } = h;
        await setOauthDomain(srv, w.a.appid, 'example.com');
        const u = await newUser(srv, 'o');
        const cookie = await signIn(srv, u.username, u.password);
        const { code } = await authorize(srv, cookie, { appid: w.a.appid, redirect_uri: 'https://example.com/cb', scope: 'snsapi_base', state: 's' });
        const grant = await exchange(srv, w.a.appid, w.a.secret, code);
        const r = await api(srv, w.a).get(`user/info?openid=${grant.openid}`);
        assert.deepEqual(r.body, { subscribe: 0, openid: grant.openid, tagid_list: [] }, r.text);
        const list = await allFollowers(srv, w.a);
        assert.ok(!list.openids.includes(grant.openid), 'a user who never followed is not listed');
        expectErr(await api(srv, w.a).get(`user/info?openid=${w.onlyB.openidA}`), 40003);
    });

    it('gives the unionid when the account is bound to an open-platform account', async () => {
        const { srv } = h;
        const op = await srv.op('POST', '/admin/v1/open-accounts', { name: 'Open' });
        assert.equal(op.body.errcode, 0, op.text);
        const bound = await account(srv, { open_appid: op.body.open_account.appid });
        const f = await follower(srv, bound);
        const want = await ids(srv, bound.appid, f.id);
        assert.ok(want.unionid);
        const r = await api(srv, bound).get(`user/info?openid=${f.openid}`);
        assert.equal(r.body.unionid, want.unionid, r.text);
        const batch = await api(srv, bound).post('user/info/batchget', { user_list: [{ openid: f.openid }] });
        assert.equal(batch.body.user_info_list[0].unionid, want.unionid);
    });

    it('answers batchget in the order asked, with up to 100 users', async () => {
        const { srv } = h;
        const list = [w.fans[2], w.fans[0]].map((f) => ({ openid: f.openid, lang: 'zh_CN' }));
        const r = await api(srv, w.a).post('user/info/batchget', { user_list: list });
        assert.equal(r.status, 200);
        assert.deepEqual(r.body.user_info_list.map((u) => u.openid), list.map((u) => u.openid));
        assert.ok(r.body.user_info_list.every((u) => u.subscribe === 1 && Array.isArray(u.tagid_list)));
        const hundred = Array.from({ length: 100 }, (_, i) => ({ openid: w.fans[i % 4].openid, lang: 'zh-CN' }));
        assert.equal((await api(srv, w.a).post('user/info/batchget', { user_list: hundred })).body.user_info_list.length, 100);
        expectErr(await api(srv, w.a).post('user/info/batchget', { user_list: [...hundred, list[0]] }), 40032);
        expectErr(await api(srv, w.a).post('user/info/batchget', { user_list: [] }), 40032);
        expectErr(await api(srv, w.a).post('user/info/batchget', {}), 40032);
        expectErr(await api(srv, w.a).post('user/info/batchget', { user_list: 'x' }), 47001);
        expectErr(await api(srv, w.a).post('user/info/batchget', { user_list: [list[0], { openid: w.onlyB.openidB }] }), 40003);
        expectErr(await api(srv, w.a).post('user/info/batchget', { user_list: [{ openid: 5 }] }), 40003);
        expectErr(await api(srv, w.a).post('user/info/batchget', { user_list: ['x'] }), 40003);
        expectErr(await api(srv, w.a).get('user/info/batchget'), 43002);
    });

    it('drops a user who unfollows from the list but still knows them (subscribe 0)', async () => {
        const { srv } = h;
        const gone = await follower(srv, w.a);
        assert.equal((await api(srv, w.a).get('user/get')).body.total, 5);
        const r = await srv.post('/client/v1/unfollow', { appid: w.a.appid }, { headers: { authorization: `Bearer ${gone.session}` } });
        assert.equal(r.body.errcode, 0, r.text);
        const list = await api(srv, w.a).get('user/get');
        assert.equal(list.body.total, 4);
        assert.ok(!list.body.data.openid.includes(gone.openid));
        assert.deepEqual((await api(srv, w.a).get(`user/info?openid=${gone.openid}`)).body, { subscribe: 0, openid: gone.openid, tagid_list: [] });
        const back = await srv.post('/client/v1/follow', { appid: w.a.appid }, { headers: { authorization: `Bearer ${gone.session}` } });
        assert.equal(back.body.errcode, 0, back.text);
        assert.equal((await api(srv, w.a).get(`user/info?openid=${gone.openid}`)).body.subscribe, 1);
        await srv.post('/client/v1/unfollow', { appid: w.a.appid }, { headers: { authorization: `Bearer ${gone.session}` } });
    });

    it('keeps a remark shorter than 30 bytes', async () => {
        const { srv } = h;
        const f = w.fans[1];
        const ok = await api(srv, w.a).post('user/info/updateremark', { openid: f.openid, remark: '胖子' });
        assert.deepEqual(ok.body, { errcode: 0, errmsg: 'ok' });
        assert.equal((await api(srv, w.a).get(`user/info?openid=${f.openid}`)).body.remark, '胖子');
        const max = 'r'.repeat(29);
        assert.equal((await api(srv, w.a).post('user/info/updateremark', { openid: f.openid, remark: max })).body.errcode, 0);
        expectErr(await api(srv, w.a).post('user/info/updateremark', { openid: f.openid, remark: 'r'.repeat(30) }), 40092);
        expectErr(await api(srv, w.a).post('user/info/updateremark', { openid: f.openid, remark: '一二三四五六七八九十' }), 40092);
        expectErr(await api(srv, w.a).post('user/info/updateremark', { openid: w.onlyB.openidB, remark: 'x' }), 40003);
        expectErr(await api(srv, w.a).post('user/info/updateremark', { remark: 'x' }), 41009);
        expectErr(await api(srv, w.a).post('user/info/updateremark', { openid: f.openid }), 47001);
        assert.equal((await api(srv, w.a).get(`user/info?openid=${f.openid}`)).body.remark, max);
        assert.equal((await api(srv, w.a).post('user/info/updateremark', { openid: f.openid, remark: '' })).body.errcode, 0);
    });
});

describe('tags', () => {
    const h = useServer({});
    const w = {};

    before(async () => {
        const { srv } = h;
        w.a = await account(srv);
        w.b = await account(srv);
        w.fans = [];
        for (let i = 0; i < 3; i++)
            w.fans.push(await follower(srv, w.a));
        w.foreign = await follower(srv, w.b);
    });

    const tagsOf = async (srv, a) => (await api(srv, a).get('tags/get')).body.tags;

    it('lists 星标组 (id 2) before any tag is created', async () => {
        const { srv } = h;
        const r = await api(srv, w.b).get('tags/get');
        assert.equal(r.status, 200);
        assert.ok(isJsonType(r.headers));
        assert.deepEqual(r.body, { tags: [{ ...STAR, count: 0 }] });
    });

    it('creates tags from id 100, with unique names of at most 30 bytes', async () => {
        const { srv } = h;
        const c = await api(srv, w.a).post('tags/create', { tag: { name: '广东' } });
        assert.deepEqual(c.body, { tag: { id: 100, name: '广东' } });
        const d = await api(srv, w.a).post('tags/create', { tag: { name: '一二三四五六七八九十' } });
        assert.deepEqual(d.body, { tag: { id: 101, name: '一二三四五六七八九十' } });
        expectErr(await api(srv, w.a).post('tags/create', { tag: { name: '广东' } }), 45157);
        expectErr(await api(srv, w.a).post('tags/create', { tag: { name: '星标组' } }), 45157);
        expectErr(await api(srv, w.a).post('tags/create', { tag: { name: '' } }), 45157);
        expectErr(await api(srv, w.a).post('tags/create', { tag: {} }), 45157);
        expectErr(await api(srv, w.a).post('tags/create', { tag: { name: '一二三四五六七八九十a' } }), 45158);
        expectErr(await api(srv, w.a).post('tags/create', { tag: { name: 'x'.repeat(300) } }), 45158);
        expectErr(await api(srv, w.a).post('tags/create', { name: 'x' }), 47001);
        expectErr(await api(srv, w.a).post('tags/create', { tag: { name: 7 } }), 47001);
        const tags = await tagsOf(srv, w.a);
        assert.deepEqual(tags, [
            { ...STAR, count: 0 },
            { id: 100, name: '广东', count: 0 },
            { id: 101, name: '一二三四五六七八九十', count: 0 },
        ]);
        const other = await api(srv, w.b).post('tags/create', { tag: { name: '广东' } });
        assert.deepEqual(other.body, { tag: { id: 100, name: '广东' } }, 'names and ids are per account');
    });

    it('renames tags, but never the system ones', async () => {
        const { srv } = h;
        const ok = await api(srv, w.a).post('tags/update', { tag: { id: '101', name: '广东人' } });
        assert.deepEqual(ok.body, { errcode: 0, errmsg: 'ok' });
        assert.equal((await tagsOf(srv, w.a)).find((t) => t.id === 101).name, '广东人');
        expectErr(await api(srv, w.a).post('tags/update', { tag: { id: 101, name: '广东' } }), 45157);
        expectErr(await api(srv, w.a).post('tags/update', { tag: { id: 2, name: 'x' } }), 45058);
        expectErr(await api(srv, w.a).post('tags/update', { tag: { id: 0, name: 'x' } }), 45058);
        expectErr(await api(srv, w.a).post('tags/update', { tag: { id: 999, name: 'x' } }), 45159);
        expectErr(await api(srv, w.a).post('tags/update', { tag: { name: 'x' } }), 45159);
        expectErr(await api(srv, w.a).post('tags/update', { tag: { id: 101, name: 'x'.repeat(31) } }), 45158);
        assert.equal((await api(srv, w.a).post('tags/update', { tag: { id: 101, name: '广东人' } })).body.errcode, 0);
    });

    it('tags users (ids as strings too) and shows them everywhere', async () => {
        const { srv } = h;
        const [f0, f1, f2] = w.fans;
        const t = await api(srv, w.a).post('tags/members/batchtagging', { openid_list: [f0.openid, f1.openid], tagid: '100' });
        assert.deepEqual(t.body, { errcode: 0, errmsg: 'ok' });
        assert.equal((await api(srv, w.a).post('tags/members/batchtagging', { openid_list: [f0.openid], tagid: 101 })).body.errcode, 0);
        assert.deepEqual((await api(srv, w.a).post('tags/getidlist', { openid: f0.openid })).body, { tagid_list: [101, 100] });
        assert.deepEqual((await api(srv, w.a).post('tags/getidlist', { openid: f2.openid })).body, { tagid_list: [] });
        assert.deepEqual((await api(srv, w.a).get(`user/info?openid=${f0.openid}`)).body.tagid_list, [101, 100]);
        const counts = Object.fromEntries((await tagsOf(srv, w.a)).map((x) => [x.id, x.count]));
        assert.deepEqual(counts, { 2: 0, 100: 2, 101: 1 });
        const members = await api(srv, w.a).post('user/tag/get', { tagid: 100, next_openid: '' });
        assert.equal(members.body.count, 2);
        assert.deepEqual([...members.body.data.openid].sort(), [f0.openid, f1.openid].sort());
        assert.equal(members.body.next_openid, members.body.data.openid[1]);
        const rest = await api(srv, w.a).post('user/tag/get', { tagid: 100, next_openid: members.body.next_openid });
        assert.deepEqual(rest.body, { count: 0, next_openid: '' });
        const viaGet = await api(srv, w.a).get('user/tag/get?tagid=100');
        assert.deepEqual(viaGet.body, members.body, 'older SDKs send a GET with query parameters');
        assert.deepEqual((await api(srv, w.a).post('user/tag/get', { tagid: 2 })).body, { count: 0, next_openid: '' });
        expectErr(await api(srv, w.a).post('user/tag/get', { tagid: 555 }), 45159);
        expectErr(await api(srv, w.a).post('user/tag/get', { next_openid: '' }), 45159);
        expectErr(await api(srv, w.b).post('user/tag/get', { tagid: 101 }), 45159);
    });

    it('refuses bad tagging requests as a whole', async () => {
        const { srv } = h;
        const f = w.fans[2].openid;
        const tag = (body) => api(srv, w.a).post('tags/members/batchtagging', body);
        expectErr(await tag({ openid_list: Array(51).fill(f), tagid: 100 }), 40032);
        expectErr(await tag({ openid_list: [], tagid: 100 }), 40032);
        expectErr(await tag({ tagid: 100 }), 40032);
        expectErr(await tag({ openid_list: [f], tagid: 999 }), 45159);
        expectErr(await tag({ openid_list: [f], tagid: 2 }), 45159);
        expectErr(await tag({ openid_list: [f] }), 45159);
        expectErr(await tag({ openid_list: [f], tagId: 100 }), 45159);
        expectErr(await tag({ openid_list: [f, 'OPENID'], tagid: 100 }), 40003);
        expectErr(await tag({ openid_list: [f, 12], tagid: 100 }), 40003);
        expectErr(await tag({ openid_list: [f, w.foreign.openid], tagid: 100 }), 49003);
        assert.deepEqual((await api(srv, w.a).post('tags/getidlist', { openid: f })).body.tagid_list, [], 'nothing was applied');
        assert.equal((await tag({ openid_list: Array(50).fill(f), tagid: 100 })).body.errcode, 0);
        expectErr(await api(srv, w.a).post('tags/getidlist', { openid: w.foreign.openid }), 40003);
        expectErr(await api(srv, w.a).post('tags/getidlist', {}), 41009);
    });

    it('stops at 20 tags per user and 100 tags per account', async () => {
        const { srv } = h;
        const c = await account(srv);
        const [f] = [await follower(srv, c)];
        const created = [];
        for (let i = 0; i < 100; i++) {
            const r = await api(srv, c).post('tags/create', { tag: { name: `t${i}` } });
            assert.equal(r.body.tag.id, 100 + i, r.text);
            created.push(r.body.tag.id);
        }
        expectErr(await api(srv, c).post('tags/create', { tag: { name: 'one more' } }), 45056);
        for (const id of created.slice(0, 20))
            assert.equal((await api(srv, c).post('tags/members/batchtagging', { openid_list: [f.openid], tagid: id })).body.errcode, 0);
        expectErr(await api(srv, c).post('tags/members/batchtagging', { openid_list: [f.openid], tagid: created[20] }), 45059);
        assert.equal((await api(srv, c).post('tags/members/batchtagging', { openid_list: [f.openid], tagid: created[0] })).body.errcode, 0);
        assert.equal((await api(srv, c).post('tags/members/batchuntagging', { openid_list: [f.openid], tagid: created[0] })).body.errcode, 0);
        assert.equal((await api(srv, c).post('tags/members/batchtagging', { openid_list: [f.openid], tagid: created[20] })).body.errcode, 0);
        assert.equal((await api(srv, c).post('tags/delete', { tag: { id: 150 } })).body.errcode, 0);
        assert.equal((await api(srv, c).post('tags/create', { tag: { name: 'room again' } })).body.tag.id, 200);
    });

    it('untags and deletes tags, which takes them off their members', async () => {
        const { srv } = h;
        const [f0, f1] = w.fans;
        const un = await api(srv, w.a).post('tags/members/batchuntagging', { openid_list: [f0.openid], tagid: 100 });
        assert.deepEqual(un.body, { errcode: 0, errmsg: 'ok' });
        assert.deepEqual((await api(srv, w.a).post('tags/getidlist', { openid: f0.openid })).body.tagid_list, [101]);
        expectErr(await api(srv, w.a).post('tags/members/batchuntagging', { openid_list: [f0.openid], tagid: 999 }), 45159);
        expectErr(await api(srv, w.a).post('tags/members/batchuntagging', { openid_list: [w.foreign.openid], tagid: 100 }), 49003);
        const del = await api(srv, w.a).post('tags/delete', { tag: { id: 100 } });
        assert.deepEqual(del.body, { errcode: 0, errmsg: 'ok' });
        assert.deepEqual((await api(srv, w.a).post('tags/getidlist', { openid: f1.openid })).body.tagid_list, []);
        assert.deepEqual((await tagsOf(srv, w.a)).map((t) => t.id), [2, 101]);
        expectErr(await api(srv, w.a).post('tags/delete', { tag: { id: 100 } }), 45159);
        expectErr(await api(srv, w.a).post('tags/delete', { tag: { id: 2 } }), 45058);
        expectErr(await api(srv, w.a).post('tags/delete', { tag: { id: 1 } }), 45058);
        expectErr(await api(srv, w.a).post('tags/delete', { tag: {} }), 45159);
        expectErr(await api(srv, w.a).post('tags/delete', {}), 47001);
        expectErr(await api(srv, w.a).get('tags/delete'), 43002);
    });
});

describe('blacklist', () => {
    const h = useServer({});
    const w = {};

    before(async () => {
        const { srv } = h;
        w.a = await account(srv);
        w.b = await account(srv);
        w.fans = [];
        for (let i = 0; i < 3; i++)
            w.fans.push(await follower(srv, w.a));
        w.foreign = await follower(srv, w.b);
    });

    it('blacklists up to 20 users at a time and lists them', async () => {
        const { srv } = h;
        const [f0, f1, f2] = w.fans;
        const black = (list) => api(srv, w.a).post('tags/members/batchblacklist', { openid_list: list });
        assert.deepEqual((await api(srv, w.a).post('tags/members/getblacklist', { begin_openid: '' })).body, { total: 0, count: 0, next_openid: '' });
        assert.deepEqual((await black([f0.openid, f1.openid])).body, { errcode: 0, errmsg: 'ok' });
        const all = await api(srv, w.a).post('tags/members/getblacklist', { begin_openid: '' });
        assert.equal(all.body.total, 2, all.text);
        assert.equal(all.body.count, 2);
        assert.deepEqual([...all.body.data.openid].sort(), [f0.openid, f1.openid].sort());
        assert.equal(all.body.next_openid, all.body.data.openid[1]);
        const rest = await api(srv, w.a).post('tags/members/getblacklist', { begin_openid: all.body.data.openid[0] });
        assert.deepEqual(rest.body.data.openid, [all.body.data.openid[1]]);
        assert.equal((await api(srv, w.a).post('tags/members/getblacklist', {})).body.total, 2);
        assert.equal((await api(srv, w.a).post('tags/members/getblacklist', '')).body.total, 2, 'no body means from the start');
        assert.equal((await api(srv, w.a).get(`user/info?openid=${f0.openid}`)).body.subscribe, 1, 'still a follower');
        expectErr(await black(Array(21).fill(f2.openid)), 40032);
        expectErr(await black([]), 40032);
        expectErr(await black([f2.openid, w.foreign.openid]), 49003);
        expectErr(await black(['OPENID']), 40003);
        expectErr(await api(srv, w.a).post('tags/members/getblacklist', { begin_openid: w.foreign.openid }), 49003);
        expectErr(await api(srv, w.a).post('tags/members/getblacklist', { begin_openid: 'bad' }), 40003);
        assert.equal((await black(Array(20).fill(f2.openid))).body.errcode, 0);
        const un = await api(srv, w.a).post('tags/members/batchunblacklist', { openid_list: [f0.openid, f2.openid] });
        assert.deepEqual(un.body, { errcode: 0, errmsg: 'ok' });
        const left = await api(srv, w.a).post('tags/members/getblacklist', { begin_openid: '' });
        assert.deepEqual(left.body, { total: 1, count: 1, data: { openid: [f1.openid] }, next_openid: f1.openid });
        expectErr(await api(srv, w.a).post('tags/members/batchunblacklist', { openid_list: Array(21).fill(f1.openid) }), 40032);
        expectErr(await api(srv, w.a).post('tags/members/batchunblacklist', { openid_list: [w.foreign.openid] }), 49003);
    });
});

describe('hostile input on the user APIs', () => {
    const h = useServer({});

    it('answers garbage with an errcode, never a 500, and stays up', async () => {
        const { srv } = h;
        const a = await account(srv);
        const posts = [
            'user/info/batchget', 'user/info/updateremark', 'user/tag/get', 'tags/create', 'tags/update', 'tags/delete',
            'tags/members/batchtagging', 'tags/members/batchuntagging', 'tags/getidlist', 'tags/members/getblacklist',
            'tags/members/batchblacklist', 'tags/members/batchunblacklist',
        ];
        const bodies = ['{', '[]', '"x"', 'null', '{"tag":[]}', '{"tag":{"id":{}}}', '{"openid_list":{}}', '{"openid_list":[null]}',
            '{"user_list":[{}]}', '{"tagid":1e300}', '{"tagid":"12x"}', '{"openid":["a"]}', '{"begin_openid":5}', '{"remark":null,"openid":null}',
            `{"openid_list":["${'o'.repeat(5000)}"]}`, '{"tag":{"name":"\\u0000"}}'];
        for (const p of posts) {
            const empty = await api(srv, a).post(p, '');
            if (p === 'tags/members/getblacklist')
                assert.equal(empty.body.total, 0, empty.text);
            else
                expectErr(empty, p === 'user/tag/get' ? 45159 : 44002);
            for (const body of bodies) {
                const r = await api(srv, a).post(p, body, { headers: { 'content-type': 'application/json' } });
                assert.equal(r.status, 200, `${p} ${body}: ${r.status}`);
                assert.ok(r.body && typeof r.body === 'object', `${p} ${body}: ${r.text}`);
                if (r.body.errcode !== undefined)
                    assert.equal(typeof r.body.errmsg, 'string');
            }
        }
        for (const q of ['user/get?next_openid=%', 'user/info?openid=%00', 'user/info?openid=' + 'o'.repeat(5000), 'user/tag/get?tagid=abc', 'tags/get?x=1'])
            assert.equal((await api(srv, a).get(q)).status, 200, q);
        await srv.assertClean('garbage on the user APIs');
    });
});
