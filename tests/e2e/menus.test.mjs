// Custom menus (spec/accounts.md §2): menu/create, menu/get, menu/delete, conditional menus,
// trymatch and get_current_selfmenu_info, every validation errcode, tenancy and daily quotas.
// Followers come from the client follow API; tags and taggings are written straight into the
// server's database (the sqlite3 CLI, or psql on PostgreSQL; those tests skip without it).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { client, newClientUser } from './lib/messaging.mjs';
import { ENGINE, expectErr, isJsonType, psql, useServer } from './lib/server.mjs';

const HAVE_SQLITE3 = (() => {
    try {
        execFileSync(ENGINE === 'postgres' ? 'psql' : 'sqlite3', ['--version'], { stdio: 'ignore' });
        return true;
    } catch {
        return false;
    }
})();

/** the standard three-button menu of the WeChat docs, with CJK names; its media_id button
 * names acct's image material */
const menu = (acct) => ({
    button: [
        { type: 'click', name: '今日歌曲', key: 'V1001_TODAY_MUSIC' },
        {
            name: '菜单',
            sub_button: [
                { type: 'view', name: '搜索', url: 'http://www.soso.com/' },
                { type: 'miniprogram', name: 'wxa', url: 'http://mp.weixin.qq.com', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/lunar/index' },
                { type: 'click', name: '赞一下我们', key: 'V1001_GOOD' },
            ],
        },
        { type: 'media_id', name: '图片', media_id: acct.media },
    ],
});

/** a one-button menu: click with this key */
const one = (key, extra = {}) => ({ button: [{ type: 'click', name: 'b', key }], ...extra });

/** a sample JPEG */
function jpeg(size = 600) {
    const b = Buffer.alloc(size, 7);
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]).copy(b);
    return b;
}

/** uploads a JPEG as media of acct (material/add_material or media/upload): its media_id */
async function upload(srv, acct, type = 'image', api = 'material/add_material') {
    const form = new FormData();
    form.append('media', new Blob([jpeg()]), 'a.jpg');
    const res = await srv.fetch(`/cgi-bin/${api}?access_token=${acct.token}&type=${type}`, { method: 'POST', body: form });
    const body = await res.json();
    assert.ok(body.media_id || body.thumb_media_id, JSON.stringify(body));
    return body.media_id || body.thumb_media_id;
}

/** an account with a token and an image material: {appid, secret, token, media} */
async function account(srv) {
    const a = await srv.createAccount();
    const t = await srv.token(a.appid, a.secret);
    assert.ok(t.access_token, JSON.stringify(t));
    const acct = { ...a, token: t.access_token };
    return { ...acct, media: await upload(srv, acct) };
}

/** a wire call: GET without body, POST with one (objects as JSON, strings raw) */
function call(srv, acct, api, body) {
    const p = `/cgi-bin/${api}?access_token=${encodeURIComponent(acct.token)}`;
    return body === undefined ? srv.get(p) : srv.post(p, body);
}

async function expectOk(res, what = '') {
    assert.equal(res.status, 200, res.text);
    assert.ok(isJsonType(res.headers), res.headers.get('content-type'));
    assert.deepEqual([res.body.errcode, res.body.errmsg], [0, 'ok'], `${what} ${res.text}`);
}

/** the answer is the WeChat error envelope with this errcode */
function fails(res, errcode, what = '') {
    try {
        expectErr(res, errcode);
    } catch (e) {
        e.message = `${what ? `${what}: ` : ''}${e.message}`;
        throw e;
    }
}

/** runs SQL on the server's database (WAL: safe beside the running server) */
function sql(srv, text) {
    if (srv.db)
        return psql(new URL(srv.db).pathname.slice(1), text);
    return new Promise((resolve, reject) => {
        execFile('sqlite3', ['-cmd', '.timeout 10000', path.join(srv.dataDir, 'lianjie.db'), text], (err, stdout, stderr) =>
            err ? reject(new Error(`sqlite3: ${stderr || err.message}`)) : resolve(stdout),
        );
    });
}

/** a new platform user who follows acct (and unfollows again unless `stay`): {user, openid} */
async function follower(srv, acct, stay = true) {
    const user = await newClientUser(srv);
    const f = await client.follow(srv, user, acct.appid);
    assert.equal(f.body.errcode, 0, f.text);
    if (!stay)
        assert.equal((await client.unfollow(srv, user, acct.appid)).body.errcode, 0);
    return { user, openid: f.body.openid };
}

async function addTag(srv, acct, id) {
    await sql(srv, `INSERT INTO tags(appid, id, name, created_at) VALUES('${acct.appid}', ${id}, 'tag${id}', 1700000000);`);
}

async function tagFollower(srv, acct, openid, tagId, at) {
    await sql(srv, `INSERT INTO follower_tags(appid, openid, tag_id, tagged_at) VALUES('${acct.appid}', '${openid}', ${tagId}, ${at});`);
}

describe('menu/create and menu/get', () => {
    const h = useServer({});

    it('stores a menu and answers it normalised, with a 9-digit numeric menuid', async () => {
        const { srv } = h;
        const a = await account(srv);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        const got = await call(srv, a, 'menu/get');
        assert.equal(got.status, 200);
        assert.ok(isJsonType(got.headers));
        assert.equal(got.body.errcode, undefined, 'menu/get answers the data only');
        assert.ok(Number.isInteger(got.body.menu.menuid) && String(got.body.menu.menuid).length === 9, got.text);
        assert.equal(got.body.conditionalmenu, undefined, 'no conditionalmenu without conditional menus');
        assert.deepEqual(got.body.menu.button, [
            { type: 'click', name: '今日歌曲', key: 'V1001_TODAY_MUSIC', sub_button: [] },
            {
                name: '菜单',
                sub_button: [
                    { type: 'view', name: '搜索', url: 'http://www.soso.com/', sub_button: [] },
                    {
                        type: 'miniprogram',
                        name: 'wxa',
                        url: 'http://mp.weixin.qq.com',
                        appid: 'wx286b93c14bbf93aa',
                        pagepath: 'pages/lunar/index',
                        sub_button: [],
                    },
                    { type: 'click', name: '赞一下我们', key: 'V1001_GOOD', sub_button: [] },
                ],
            },
            { type: 'media_id', name: '图片', media_id: a.media, sub_button: [] },
        ]);
        assert.ok(got.text.includes('今日歌曲'), 'CJK is sent raw, not \\u-escaped');
    });

    it('answers 46003 when the account has no menu', async () => {
        const { srv } = h;
        const a = await account(srv);
        fails(await call(srv, a, 'menu/get'), 46003);
    });

    it('replaces the default menu on every create, with a larger menuid', async () => {
        const { srv } = h;
        const a = await account(srv);
        await expectOk(await call(srv, a, 'menu/create', one('FIRST')));
        const first = (await call(srv, a, 'menu/get')).body.menu;
        await expectOk(await call(srv, a, 'menu/create', one('SECOND')));
        const second = (await call(srv, a, 'menu/get')).body.menu;
        assert.equal(second.button[0].key, 'SECOND');
        assert.ok(second.menuid > first.menuid, `${second.menuid} > ${first.menuid}`);
    });

    it('accepts what SDKs send: empty sub_button on leaves, unknown fields, escaped CJK, any content type', async () => {
        const { srv } = h;
        const a = await account(srv);
        const body = {
            button: [
                { type: 'click', name: 'k', key: 'K', sub_button: [], url: 'http://ignored.example/', extra: { x: 1 } },
                { name: 'p', type: null, sub_button: [{ type: 'view', name: 'v', url: 'https://a.example/x', sub_button: [] }] },
            ],
            matchrule: { tag_id: '2' },
            whatever: [1, 2, 3],
        };
        await expectOk(await call(srv, a, 'menu/create', body));
        let got = (await call(srv, a, 'menu/get')).body.menu.button;
        assert.deepEqual(got[0], { type: 'click', name: 'k', key: 'K', sub_button: [] }, 'fields a type does not use are dropped');
        assert.deepEqual(got[1].sub_button[0], { type: 'view', name: 'v', url: 'https://a.example/x', sub_button: [] });
        const escaped = '{"button":[{"type":"click","name":"\\u4eca\\u65e5","key":"K2"}]}';
        const res = await srv.request('POST', `/cgi-bin/menu/create?access_token=${a.token}`, {
            body: escaped,
            headers: { 'content-type': 'text/plain' },
        });
        await expectOk(res);
        got = (await call(srv, a, 'menu/get')).body.menu.button;
        assert.equal(got[0].name, '今日');
    });

    it('keeps each account to its own menu', async () => {
        const { srv } = h;
        const a = await account(srv);
        const b = await account(srv);
        await expectOk(await call(srv, a, 'menu/create', one('A')));
        fails(await call(srv, b, 'menu/get'), 46003);
        await expectOk(await call(srv, b, 'menu/create', one('B')));
        assert.equal((await call(srv, a, 'menu/get')).body.menu.button[0].key, 'A');
        await expectOk(await call(srv, b, 'menu/delete'));
        assert.equal((await call(srv, a, 'menu/get')).body.menu.button[0].key, 'A', "b's delete leaves a's menu");
    });

    it('answers 43002/43001 for the wrong method and 41001 without a token', async () => {
        const { srv } = h;
        const a = await account(srv);
        fails(await call(srv, a, 'menu/create'), 43002);
        fails(await call(srv, a, 'menu/get', {}), 43001);
        fails(await call(srv, a, 'menu/delete', {}), 43001);
        fails(await call(srv, a, 'menu/addconditional'), 43002);
        fails(await call(srv, a, 'menu/trymatch'), 43002);
        fails(await call(srv, a, 'get_current_selfmenu_info', {}), 43001);
        fails(await srv.get('/cgi-bin/menu/get'), 41001);
        fails(await srv.post('/cgi-bin/menu/create', menu({ media: 'MEDIA_ID1' })), 41001);
    });
});

describe('menu validation', () => {
    const h = useServer({});
    let a;

    const create = async (body) => call(h.srv, a, 'menu/create', body);
    const sub = (b) => ({ button: [{ name: 'p', sub_button: [b] }] });

    it('answers 44002 for an empty body and 47001 for a body that is not a JSON object', async () => {
        a = await account(h.srv);
        fails(await create(''), 44002);
        fails(await create('{"button":['), 47001);
        fails(await create('[1]'), 47001);
        fails(await create({ button: 'x' }), 47001);
        fails(await create({ button: ['x'] }), 47001);
        fails(await create({ button: [{ type: 'click', name: 1, key: 'k' }] }), 47001);
        fails(await create({ button: [{ type: 'click', name: 'n', key: 5 }] }), 47001);
        fails(await create({ button: [{ name: 'n', sub_button: { list: [] } }] }), 47001);
    });

    it('answers 40016 for no button or more than three', async () => {
        fails(await create({}), 40016);
        fails(await create({ button: [] }), 40016);
        const b = { type: 'click', name: 'n', key: 'k' };
        fails(await create({ button: [b, b, b, b] }), 40016);
        await expectOk(await create({ button: [b, b, b] }));
    });

    it('answers 40017/40024 for a missing or unknown type', async () => {
        fails(await create({ button: [{ name: 'n', key: 'k' }] }), 40017);
        fails(await create({ button: [{ type: 'bogus', name: 'n', key: 'k' }] }), 40017);
        fails(await create({ button: [{ name: 'p', sub_button: [] }] }), 40017, 'a parent needs sub-buttons');
        fails(await create(sub({ type: 'bogus', name: 'n', key: 'k' })), 40024);
        fails(await create(sub({ name: 'n', key: 'k' })), 40024);
    });

    it('limits names to 16 bytes at the top and 60 bytes below (40018/40025)', async () => {
        const click = (name) => ({ button: [{ type: 'click', name, key: 'k' }] });
        await expectOk(await create(click('x'.repeat(16))));
        fails(await create(click('x'.repeat(17))), 40018);
        await expectOk(await create(click('四个汉字五')), '5 CJK characters are 15 bytes');
        fails(await create(click('六个汉字六个')), 40018);
        fails(await create(click('')), 40018);
        fails(await create({ button: [{ type: 'click', key: 'k' }] }), 40018);
        const subName = (name) => sub({ type: 'click', name, key: 'k' });
        await expectOk(await create(subName('y'.repeat(60))));
        fails(await create(subName('y'.repeat(61))), 40025);
        fails(await create(subName('')), 40025);
    });

    it('limits keys to 128 bytes and requires one on key types (40019/40026)', async () => {
        await expectOk(await create(one('k'.repeat(128))));
        fails(await create(one('k'.repeat(129))), 40019);
        for (const type of ['click', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select']) {
            fails(await create({ button: [{ type, name: 'n' }] }), 40019);
            await expectOk(await create({ button: [{ type, name: 'n', key: 'K' }] }));
        }
        fails(await create(sub({ type: 'click', name: 'n', key: 'k'.repeat(129) })), 40026);
        fails(await create(sub({ type: 'click', name: 'n' })), 40026);
    });

    it('limits URLs to 1024 bytes, requires them on view, and wants http(s) with a host (40020/40027/40055/40054)', async () => {
        const view = (url) => ({ button: [{ type: 'view', name: 'n', url }] });
        const long = 'http://a.example/' + 'p'.repeat(1024 - 17);
        await expectOk(await create(view(long)));
        fails(await create(view(long + 'p')), 40020);
        fails(await create({ button: [{ type: 'view', name: 'n' }] }), 40020);
        fails(await create(sub({ type: 'view', name: 'n', url: long + 'p' })), 40027);
        fails(await create(sub({ type: 'view', name: 'n', url: '' })), 40027);
        for (const bad of ['ftp://a.example/', 'javascript:alert(1)', 'http://', 'http:///path', 'www.example.com'])
            fails(await create(view(bad)), 40055, bad);
        fails(await create(sub({ type: 'view', name: 'n', url: 'mailto:x@y' })), 40054);
        await expectOk(await create(view('HTTPS://User:pw@Example.COM:8443/a?b#c')));
    });

    it('answers 40022 for a third level', async () => {
        fails(await create(sub({ name: 'deep', sub_button: [{ type: 'click', name: 'n', key: 'k' }] })), 40022);
    });

    it('answers 40023 for more than five sub-buttons', async () => {
        const s = { type: 'click', name: 'n', key: 'k' };
        await expectOk(await create({ button: [{ name: 'p', sub_button: [s, s, s, s, s] }] }));
        fails(await create({ button: [{ name: 'p', sub_button: [s, s, s, s, s, s] }] }), 40023);
    });

    it('answers 40118 for a missing or oversized media_id, 40007 for one that names no material', async () => {
        for (const type of ['media_id', 'view_limited']) {
            fails(await create({ button: [{ type, name: 'n' }] }), 40118);
            fails(await create({ button: [{ type, name: 'n', media_id: 'm'.repeat(129) }] }), 40118);
            fails(await create(sub({ type, name: 'n', media_id: '' })), 40118);
            fails(await create({ button: [{ type, name: 'n', media_id: 'm'.repeat(128) }] }), 40007);
        }
    });

    it('requires appid (40166), pagepath (40165) and url on miniprogram buttons, and article_id on article types', async () => {
        const mp = { type: 'miniprogram', name: 'n', url: 'http://mp.weixin.qq.com', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/index' };
        await expectOk(await create({ button: [mp] }));
        fails(await create({ button: [{ ...mp, appid: undefined }] }), 40166);
        fails(await create({ button: [{ ...mp, pagepath: '' }] }), 40165);
        fails(await create({ button: [{ ...mp, url: undefined }] }), 40020);
        for (const type of ['article_id', 'article_view_limited']) {
            fails(await create({ button: [{ type, name: 'n' }] }), 47003);
            await expectOk(await create({ button: [{ type, name: 'n', article_id: 'ARTICLE_1' }] }));
        }
        const got = (await call(h.srv, a, 'menu/get')).body.menu.button[0];
        assert.deepEqual(got, { type: 'article_view_limited', name: 'n', article_id: 'ARTICLE_1', sub_button: [] });
    });

    it('never stores a refused menu', async () => {
        await expectOk(await create(one('KEEP')));
        fails(await create({ button: [{ type: 'click', name: 'n', key: 'k' }, { type: 'bogus', name: 'x' }] }), 40017);
        assert.equal((await call(h.srv, a, 'menu/get')).body.menu.button[0].key, 'KEEP');
    });
});

// media_id buttons send a permanent material of the account, view_limited buttons open a
// permanent news material: menus must name such material (40007; 40121 for a view_limited
// button on another type), and material a menu names cannot be deleted (48005).
describe('menus and permanent material', () => {
    const h = useServer({});
    const button = (type, id) => ({ button: [{ type, name: 'm', media_id: id }] });
    const del = (srv, a, id) => call(srv, a, 'material/del_material', { media_id: id });

    async function news(srv, a) {
        const thumb = await upload(srv, a, 'thumb');
        const r = await call(srv, a, 'material/add_news', { articles: [{ title: 'T', thumb_media_id: thumb, content: '<p>x</p>' }] });
        assert.ok(r.body.media_id, r.text);
        return r.body.media_id;
    }

    it('takes only permanent material of the account, news for view_limited', async () => {
        const { srv } = h;
        const a = await account(srv);
        const b = await account(srv);
        const temp = await upload(srv, a, 'image', 'media/upload');
        const article = await news(srv, a);
        fails(await call(srv, a, 'menu/create', button('media_id', temp)), 40007, 'temporary media');
        fails(await call(srv, a, 'menu/create', button('media_id', b.media)), 40007, "another account's material");
        fails(await call(srv, a, 'menu/create', button('view_limited', a.media)), 40121, 'view_limited on an image');
        fails(await call(srv, a, 'menu/get'), 46003, 'a refused menu is not stored');
        await expectOk(await call(srv, a, 'menu/create', button('view_limited', article)));
        await expectOk(await call(srv, a, 'menu/create', button('media_id', article)));
        await expectOk(await call(srv, a, 'menu/create', { button: [{ name: 'p', sub_button: [{ type: 'media_id', name: 's', media_id: a.media }] }] }));
        const cond = (id) => ({ ...button('media_id', id), matchrule: { client_platform_type: '1' } });
        fails(await call(srv, a, 'menu/addconditional', cond('nope')), 40007);
        fails(await call(srv, a, 'menu/addconditional', cond(b.media)), 40007);
        const ok = await call(srv, a, 'menu/addconditional', cond(article));
        assert.match(String(ok.body.menuid), /^\d+$/, ok.text);
    });

    it('refuses to delete material a menu names (48005) until no menu names it', async () => {
        const { srv } = h;
        const a = await account(srv);
        const article = await news(srv, a);
        const spare = await upload(srv, a);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        const added = await call(srv, a, 'menu/addconditional', { ...button('view_limited', article), matchrule: { client_platform_type: '2' } });
        assert.ok(added.body.menuid, added.text);
        const inUse = await del(srv, a, a.media);
        fails(inUse, 48005, 'named by the default menu');
        assert.match(inUse.body.errmsg, /menu/);
        fails(await del(srv, a, article), 48005, 'named by a conditional menu');
        assert.equal((await del(srv, a, spare)).body.errcode, 0, 'material no menu names');
        assert.equal((await call(srv, a, 'menu/get')).body.menu.button[2].media_id, a.media, 'the menu is intact');

        await expectOk(await call(srv, a, 'menu/create', one('K')));
        assert.equal((await del(srv, a, a.media)).body.errcode, 0, 'the new default menu does not name it');
        fails(await del(srv, a, article), 48005);
        await expectOk(await call(srv, a, 'menu/delconditional', { menuid: added.body.menuid }));
        assert.equal((await del(srv, a, article)).body.errcode, 0);
        fails(await del(srv, a, article), 40007, 'gone');

        const again = await upload(srv, a);
        await expectOk(await call(srv, a, 'menu/create', button('media_id', again)));
        fails(await del(srv, a, again), 48005);
        await expectOk(await call(srv, a, 'menu/delete'));
        assert.equal((await del(srv, a, again)).body.errcode, 0, 'menu/delete frees it');
    });
});

describe('conditional menus', () => {
    const h = useServer({});

    it('needs a default menu first (65303)', async () => {
        const { srv } = h;
        const a = await account(srv);
        fails(await call(srv, a, 'menu/addconditional', one('C', { matchrule: { client_platform_type: '1' } })), 65303);
    });

    it('answers {"menuid":"..."} and lists conditional menus newest first with their rules', async () => {
        const { srv } = h;
        const a = await account(srv);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        const r1 = await call(srv, a, 'menu/addconditional', one('IOS', { matchrule: { client_platform_type: '1' } }));
        assert.equal(r1.status, 200);
        assert.match(r1.body.menuid, /^\d{9}$/, r1.text);
        const r2 = await call(srv, a, 'menu/addconditional', one('TAG2', { matchrule: { tag_id: 2, client_platform_type: 2 } }));
        assert.match(r2.body.menuid, /^\d{9}$/, r2.text);
        assert.ok(Number(r2.body.menuid) > Number(r1.body.menuid));
        const got = (await call(srv, a, 'menu/get')).body;
        assert.equal(got.menu.button.length, 3);
        assert.deepEqual(
            got.conditionalmenu.map((m) => [m.menuid, m.button[0].key, m.matchrule]),
            [
                [Number(r2.body.menuid), 'TAG2', { tag_id: '2', group_id: '2', client_platform_type: '2' }],
                [Number(r1.body.menuid), 'IOS', { client_platform_type: '1' }],
            ],
        );
    });

    it('takes group_id for tag_id (older SDKs) and numbers given as strings', async () => {
        const { srv } = h;
        const a = await account(srv);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        const r = await call(srv, a, 'menu/addconditional', one('G', { matchrule: { group_id: '1', sex: '', country: null } }));
        assert.match(r.body.menuid, /^\d+$/, r.text);
        const got = (await call(srv, a, 'menu/get')).body.conditionalmenu[0];
        assert.deepEqual(got.matchrule, { tag_id: '1', group_id: '1' });
    });

    it('refuses an empty rule (65304), privacy rules (65320) and bad values', async () => {
        const { srv } = h;
        const a = await account(srv);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        const add = (matchrule) => call(srv, a, 'menu/addconditional', one('X', matchrule === undefined ? {} : { matchrule }));
        fails(await add(undefined), 65304);
        fails(await add({}), 65304);
        fails(await add({ tag_id: '', client_platform_type: '' }), 65304);
        for (const rule of [{ sex: '1' }, { tag_id: '2', country: '中国' }, { province: '广东' }, { city: '广州' }, { language: 'zh_CN' }, { sex: 2, client_platform_type: '1' }])
            fails(await add(rule), 65320, JSON.stringify(rule));
        fails(await add({ tag_id: 'abc' }), 45159);
        fails(await add({ tag_id: '-3' }), 45159);
        fails(await add({ client_platform_type: '4' }), 47003);
        fails(await add({ client_platform_type: 'ios' }), 47003);
        fails(await add('rule'), 47001);
        fails(await add({ tag_id: { id: 2 } }), 47001);
        fails(await call(srv, a, 'menu/addconditional', { button: [], matchrule: { tag_id: '2' } }), 40016);
        assert.equal((await call(srv, a, 'menu/get')).body.conditionalmenu, undefined, 'nothing was added');
    });

    it("answers 45159 for a tag the account does not have, and takes the account's own tags", async (t) => {
        if (!HAVE_SQLITE3)
            return t.skip('sqlite3 CLI not installed');
        const { srv } = h;
        const a = await account(srv);
        const b = await account(srv);
        await addTag(srv, b, 123);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        fails(await call(srv, a, 'menu/addconditional', one('T', { matchrule: { tag_id: '999' } })), 45159);
        fails(await call(srv, a, 'menu/addconditional', one('T', { matchrule: { tag_id: '123' } })), 45159, "b's tag");
        await addTag(srv, a, 123);
        const r = await call(srv, a, 'menu/addconditional', one('T', { matchrule: { tag_id: '123' } }));
        assert.match(r.body.menuid, /^\d+$/, r.text);
    });

    it('allows URLs on at most three hosts across the conditional menus (65316)', async () => {
        const { srv } = h;
        const a = await account(srv);
        await expectOk(await call(srv, a, 'menu/create', { button: [{ type: 'view', name: 'd', url: 'http://default-only.example/' }] }));
        const view = (hosts) => ({
            button: [{ name: 'p', sub_button: hosts.map((host, i) => ({ type: 'view', name: `v${i}`, url: `https://${host}/page${i}` })) }],
            matchrule: { client_platform_type: '3' },
        });
        const r1 = await call(srv, a, 'menu/addconditional', view(['one.example', 'two.example', 'ONE.example:8080']));
        assert.match(r1.body.menuid, /^\d+$/, r1.text);
        fails(await call(srv, a, 'menu/addconditional', view(['three.example', 'four.example'])), 65316);
        const r2 = await call(srv, a, 'menu/addconditional', view(['three.example', 'two.example']));
        assert.match(r2.body.menuid, /^\d+$/, 'a third host is allowed: ' + r2.text);
        fails(await call(srv, a, 'menu/addconditional', view(['four.example'])), 65316);
        await expectOk(await call(srv, a, 'menu/delconditional', { menuid: r2.body.menuid }));
        const r3 = await call(srv, a, 'menu/addconditional', view(['four.example']));
        assert.match(r3.body.menuid, /^\d+$/, 'deleting a menu frees its hosts: ' + r3.text);
    });

    it('deletes one conditional menu by menuid, as string or number, and answers 65301 otherwise', async () => {
        const { srv } = h;
        const a = await account(srv);
        const b = await account(srv);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        const ids = [];
        for (const p of ['1', '2', '3'])
            ids.push((await call(srv, a, 'menu/addconditional', one(`P${p}`, { matchrule: { client_platform_type: p } }))).body.menuid);
        const defaultId = (await call(srv, a, 'menu/get')).body.menu.menuid;
        fails(await call(srv, a, 'menu/delconditional', { menuid: defaultId }), 65301);
        fails(await call(srv, a, 'menu/delconditional', { menuid: '123456789' }), 65301);
        fails(await call(srv, a, 'menu/delconditional', { menuid: 'abc' }), 65301);
        fails(await call(srv, a, 'menu/delconditional', {}), 65301);
        fails(await call(srv, a, 'menu/delconditional', { menuid: [1] }), 47001);
        fails(await call(srv, a, 'menu/delconditional', ''), 44002);
        fails(await call(srv, b, 'menu/delconditional', { menuid: ids[0] }), 65301, "another account's menu");
        await expectOk(await call(srv, a, 'menu/delconditional', { menuid: ids[0] }));
        await expectOk(await call(srv, a, 'menu/delconditional', { menuid: Number(ids[1]) }));
        fails(await call(srv, a, 'menu/delconditional', { menuid: ids[0] }), 65301, 'already deleted');
        const left = (await call(srv, a, 'menu/get')).body.conditionalmenu.map((m) => String(m.menuid));
        assert.deepEqual(left, [ids[2]]);
    });

    it('menu/delete removes the default and every conditional menu', async () => {
        const { srv } = h;
        const a = await account(srv);
        await expectOk(await call(srv, a, 'menu/delete'), 'deleting no menu is fine');
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        await call(srv, a, 'menu/addconditional', one('C', { matchrule: { client_platform_type: '2' } }));
        await expectOk(await call(srv, a, 'menu/delete'));
        fails(await call(srv, a, 'menu/get'), 46003);
        fails(await call(srv, a, 'menu/addconditional', one('C', { matchrule: { client_platform_type: '2' } })), 65303);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        assert.equal((await call(srv, a, 'menu/get')).body.conditionalmenu, undefined, 'the old conditional menus are gone');
    });
});

describe('menu/trymatch', () => {
    const h = useServer({});

    it('answers 65302 for a user that is not a follower, 47001 for a wrong type', async () => {
        const { srv } = h;
        const a = await account(srv);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        fails(await call(srv, a, 'menu/trymatch', { user_id: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' }), 65302);
        fails(await call(srv, a, 'menu/trymatch', { user_id: '' }), 65302);
        fails(await call(srv, a, 'menu/trymatch', {}), 65302);
        fails(await call(srv, a, 'menu/trymatch', { user_id: 'x'.repeat(500) }), 65302);
        fails(await call(srv, a, 'menu/trymatch', { user_id: 5 }), 47001);
        fails(await call(srv, a, 'menu/trymatch', ''), 44002);
    });

    it('shows a follower without tags the default menu; names followers by openid or username', async () => {
        const { srv } = h;
        const a = await account(srv);
        const f = await follower(srv, a);
        const gone = await follower(srv, a, false);
        fails(await call(srv, a, 'menu/trymatch', { user_id: f.openid }), 46003, 'a follower, but no menu');
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        await call(srv, a, 'menu/addconditional', one('ANDROID', { matchrule: { client_platform_type: '2' } }));
        await call(srv, a, 'menu/addconditional', one('TAG2', { matchrule: { tag_id: '2' } }));
        const got = await call(srv, a, 'menu/trymatch', { user_id: f.openid });
        assert.equal(got.status, 200);
        assert.equal(got.body.errcode, undefined, got.text);
        assert.deepEqual(Object.keys(got.body), ['button']);
        assert.equal(got.body.button[0].key, 'ANDROID', 'trymatch admits every platform');
        const byName = await call(srv, a, 'menu/trymatch', { user_id: f.user.username });
        assert.deepEqual(byName.body, got.body, 'a username names the follower too');
        fails(await call(srv, a, 'menu/trymatch', { user_id: gone.openid }), 65302, 'unfollowed');
        fails(await call(srv, a, 'menu/trymatch', { user_id: gone.user.username }), 65302, 'unfollowed, by name');
        const b = await account(srv);
        await expectOk(await call(srv, b, 'menu/create', menu(b)));
        fails(await call(srv, b, 'menu/trymatch', { user_id: f.openid }), 65302, "another account's follower");
        await expectOk(await call(srv, a, 'menu/delete'));
        fails(await call(srv, a, 'menu/trymatch', { user_id: f.openid }), 46003);
    });

    it("matches a follower's newest tag to the newest conditional menu, else the default", async (t) => {
        if (!HAVE_SQLITE3)
            return t.skip('sqlite3 CLI not installed');
        const { srv } = h;
        const a = await account(srv);
        const f = await follower(srv, a);
        const plain = await follower(srv, a);
        await addTag(srv, a, 100);
        await addTag(srv, a, 101);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        const m100 = (await call(srv, a, 'menu/addconditional', one('T100', { matchrule: { tag_id: '100' } }))).body.menuid;
        await call(srv, a, 'menu/addconditional', one('T101', { matchrule: { tag_id: '101' } }));
        const try_ = async (user) => (await call(srv, a, 'menu/trymatch', { user_id: user })).body;

        assert.deepEqual((await try_(f.openid)).button, (await call(srv, a, 'menu/get')).body.menu.button, 'no tag: the default menu');
        await tagFollower(srv, a, f.openid, 100, 1700000000);
        assert.equal((await try_(f.openid)).button[0].key, 'T100');
        await tagFollower(srv, a, f.openid, 101, 1700000100);
        assert.equal((await try_(f.openid)).button[0].key, 'T101', 'the tag put on last decides');
        assert.equal((await try_(plain.openid)).button[0].key, 'V1001_TODAY_MUSIC');

        const plat = (await call(srv, a, 'menu/addconditional', one('T100_IOS', { matchrule: { tag_id: '100', client_platform_type: '1' } }))).body.menuid;
        await sql(srv, `DELETE FROM follower_tags WHERE openid = '${f.openid}' AND tag_id = 101;`);
        assert.equal((await try_(f.openid)).button[0].key, 'T100_IOS', 'newest first');
        await expectOk(await call(srv, a, 'menu/delconditional', { menuid: plat }));
        await expectOk(await call(srv, a, 'menu/delconditional', { menuid: m100 }));
        assert.equal((await try_(f.openid)).button[0].key, 'V1001_TODAY_MUSIC', 'its menu deleted: the default');
    });
});

describe('get_current_selfmenu_info', () => {
    const h = useServer({});

    it('answers is_menu_open 0 without a menu, then the default menu with sub_button lists', async () => {
        const { srv } = h;
        const a = await account(srv);
        let r = await call(srv, a, 'get_current_selfmenu_info');
        assert.equal(r.status, 200);
        assert.deepEqual(r.body, { is_menu_open: 0, selfmenu_info: { button: [] } });
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        await call(srv, a, 'menu/addconditional', one('C', { matchrule: { client_platform_type: '2' } }));
        r = await call(srv, a, 'get_current_selfmenu_info');
        assert.deepEqual(r.body, {
            is_menu_open: 1,
            selfmenu_info: {
                button: [
                    { type: 'click', name: '今日歌曲', key: 'V1001_TODAY_MUSIC' },
                    {
                        name: '菜单',
                        sub_button: {
                            list: [
                                { type: 'view', name: '搜索', url: 'http://www.soso.com/' },
                                { type: 'miniprogram', name: 'wxa', url: 'http://mp.weixin.qq.com', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/lunar/index' },
                                { type: 'click', name: '赞一下我们', key: 'V1001_GOOD' },
                            ],
                        },
                    },
                    { type: 'media_id', name: '图片', value: a.media },
                ],
            },
        });
    });
});

describe('menu quotas', () => {
    const h = useServer({});

    const quota = async (srv, a, cgiPath) =>
        (await srv.post(`/cgi-bin/openapi/quota/get?access_token=${a.token}`, { cgi_path: cgiPath })).body.quota;

    it('meters each menu API with its daily limit', async () => {
        const { srv } = h;
        const a = await account(srv);
        const limits = {
            '/cgi-bin/menu/create': 1000,
            '/cgi-bin/menu/get': 10000,
            '/cgi-bin/menu/delete': 1000,
            '/cgi-bin/menu/addconditional': 2000,
            '/cgi-bin/menu/delconditional': 2000,
            '/cgi-bin/menu/trymatch': 20000,
        };
        for (const [p, limit] of Object.entries(limits))
            assert.deepEqual(await quota(srv, a, p), { daily_limit: limit, used: 0, remain: limit }, p);
        await call(srv, a, 'menu/create', menu(a));
        await call(srv, a, 'menu/get');
        await call(srv, a, 'menu/get');
        await call(srv, a, 'menu/trymatch', { user_id: 'nobody' });
        assert.equal((await quota(srv, a, '/cgi-bin/menu/create')).used, 1);
        assert.equal((await quota(srv, a, '/cgi-bin/menu/get')).used, 2);
        assert.equal((await quota(srv, a, '/cgi-bin/menu/trymatch')).used, 1);
    });

    it('answers 45009 after 1000 menu/create calls in a day, refused ones included', async () => {
        const { srv } = h;
        const a = await account(srv);
        let next = 0;
        const worker = async () => {
            while (next < 1000) {
                next++;
                const r = await call(srv, a, 'menu/create', { button: [] });
                assert.equal(r.body.errcode, 40016, r.text);
            }
        };
        await Promise.all(Array.from({ length: 16 }, worker));
        fails(await call(srv, a, 'menu/create', menu(a)), 45009);
        fails(await call(srv, a, 'menu/get'), 46003, 'other menu APIs keep their own quota');
        await expectOk(await srv.post(`/cgi-bin/clear_quota?access_token=${a.token}`, { appid: a.appid }));
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
    });
});

describe('menu ids', () => {
    const h = useServer({});

    it('never hands out the id of a deleted menu again, across a restart too', async () => {
        const { srv } = h;
        const a = await account(srv);
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        const c1 = await call(srv, a, 'menu/addconditional', one('A', { matchrule: { client_platform_type: '1' } }));
        // eight newer menus, then deleted: the newest survivor is c1, eight random steps
        // below the largest id handed out, so a server that forgot the deleted ids (and
        // stepped on from c1 after the restart) would answer below it
        const ids = [];
        for (let i = 0; i < 8; i++) {
            const c = await call(srv, a, 'menu/addconditional', one(`B${i}`, { matchrule: { client_platform_type: '2' } }));
            assert.ok(Number(c.body.menuid) > Number(ids.at(-1) ?? c1.body.menuid), c.text);
            ids.push(c.body.menuid);
        }
        for (const menuid of ids) await expectOk(await call(srv, a, 'menu/delconditional', { menuid }));
        await srv.restart();
        const c3 = await call(srv, a, 'menu/addconditional', one('C', { matchrule: { client_platform_type: '3' } }));
        assert.ok(Number(c3.body.menuid) > Number(ids.at(-1)), `${c3.body.menuid} > deleted ${ids.at(-1)}`);
        await expectOk(await call(srv, a, 'menu/delete'));
        await srv.restart();
        await expectOk(await call(srv, a, 'menu/create', menu(a)));
        const d = (await call(srv, a, 'menu/get')).body.menu;
        assert.ok(d.menuid > Number(c3.body.menuid), `${d.menuid} > deleted ${c3.body.menuid}`);
    });
});
