// Tenancy (DESIGN.md "a token only ever reaches its own account's data"): for every family of
// wire routes, merchant B's token is tried on merchant A's objects (openids, media, mass
// msg_ids, template ids, tag ids, conditional menus, QR tickets), a third party's authorizer
// token for A on B's data, a second third party on the first one's authorizer, and a user who
// does not administer A on A's authorizations. Each is refused with the exact errcode (or
// sees nothing of A), and A's data is unchanged afterwards. Also: JS-SDK tickets with an
// authorizer token (set 4), the component's clear_quota, and the authorization page's
// auth_type / biz_appid / category_id_list.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { expectErr, useServer } from './lib/server.mjs';
import { closeDevServers } from './lib/devserver.mjs';
import { get, newUser, postForm, signIn } from './lib/oauth.mjs';
import { client, newClientUser, uploadMedia } from './lib/messaging.mjs';
import * as C from './lib/component.mjs';

const h = useServer();
after(closeDevServers);
const srv = () => h.srv;

/** a wire call with a token: body objects are sent as JSON */
function wire(token, method, path, body) {
    const sep = path.includes('?') ? '&' : '?';
    return srv().request(method, `/cgi-bin/${path}${sep}access_token=${encodeURIComponent(token)}`, { body });
}

/**
 * The objects of one merchant: account, its token, a follower, tags (the last one used, so
 * that two merchants' tag ids differ), media, a template, a mass msg_id, a conditional menu,
 * a QR ticket and a short key.
 */
async function merchant(tags = 1) {
    const a = await C.administered(srv());
    a.token = (await srv().token(a.acct.appid, a.acct.secret)).access_token;
    a.fan = await newClientUser(srv());
    const f = await client.follow(srv(), a.fan, a.acct.appid);
    assert.equal(f.body.errcode, 0, f.text);
    a.openid = f.body.openid;
    for (let i = 0; i < tags; i++) {
        const tag = await wire(a.token, 'POST', 'tags/create', { tag: { name: `t${i}${Math.random().toString(36).slice(2, 8)}` } });
        a.tagId = tag.body.tag.id;
    }
    const tg = await wire(a.token, 'POST', 'tags/members/batchtagging', { openid_list: [a.openid], tagid: a.tagId });
    assert.equal(tg.body.errcode, 0, tg.text);
    const rem = await wire(a.token, 'POST', 'user/info/updateremark', { openid: a.openid, remark: 'mine' });
    assert.equal(rem.body.errcode, 0, rem.text);
    a.mediaId = await uploadMedia(srv(), a.token, 'image');
    const tpl = await wire(a.token, 'POST', 'template/api_add_template', { template_id_short: 'TM00015' });
    assert.equal(tpl.body.errcode, 0, tpl.text);
    a.templateId = tpl.body.template_id;
    const mass = await wire(a.token, 'POST', 'message/mass/sendall', { filter: { is_to_all: true }, msgtype: 'text', text: { content: 'hi' } });
    assert.equal(mass.body.errcode, 0, mass.text);
    a.msgId = mass.body.msg_id;
    const menu = await wire(a.token, 'POST', 'menu/create', { button: [{ type: 'click', name: 'A', key: 'A' }] });
    assert.equal(menu.body.errcode, 0, menu.text);
    const cond = await wire(a.token, 'POST', 'menu/addconditional', { button: [{ type: 'click', name: 'C', key: 'C' }], matchrule: { tag_id: String(a.tagId) } });
    assert.ok(cond.body.menuid, cond.text);
    a.menuId = cond.body.menuid;
    const qr = await wire(a.token, 'POST', 'qrcode/create', { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'a' } } });
    assert.ok(qr.body.ticket, qr.text);
    a.qrTicket = qr.body.ticket;
    const sh = await wire(a.token, 'POST', 'shorten/gen', { long_data: 'secret of A', expire_seconds: 3600 });
    assert.ok(sh.body.short_key, sh.text);
    a.shortKey = sh.body.short_key;
    return a;
}

/** what A owns, as its own token sees it: compared before and after the attacks */
async function snapshot(a) {
    const t = a.token;
    const parts = await Promise.all([
        wire(t, 'GET', `user/info?openid=${a.openid}`),
        wire(t, 'GET', 'tags/get'),
        wire(t, 'POST', 'tags/getidlist', { openid: a.openid }),
        wire(t, 'POST', 'tags/members/getblacklist', { begin_openid: '' }),
        wire(t, 'GET', 'menu/get'),
        wire(t, 'GET', 'template/get_all_private_template'),
        wire(t, 'POST', 'message/mass/get', { msg_id: a.msgId }),
        wire(t, 'POST', 'shorten/fetch', { short_key: a.shortKey }),
        wire(t, 'GET', 'material/get_materialcount'),
    ]);
    for (const p of parts) assert.equal(p.status, 200, p.text);
    const media = await srv().fetch(`/cgi-bin/media/get?access_token=${t}&media_id=${a.mediaId}`);
    const bytes = Buffer.from(await media.arrayBuffer());
    // the short key's remaining seconds run with the clock: only its data is A's
    const json = parts.map((p) => ({ ...p.body, expire_seconds: undefined }));
    return { json, media: crypto.createHash('sha1').update(bytes).digest('hex') };
}

/** what `token` (own: the merchant it speaks for) tries on victim v's objects, and the errcode */
function attacks(own, v) {
    // tag ids are numbered per account: only a victim's tag id the caller lacks is foreign
    const foreignTag = (c) => (v.tagId > own.tagId ? [c] : []);
    return [
        ['GET', `user/info?openid=${v.openid}`, undefined, 40003],
        ['POST', 'user/info/batchget', { user_list: [{ openid: v.openid }] }, 40003],
        ['POST', 'user/info/updateremark', { openid: v.openid, remark: 'pwned' }, 40003],
        ['POST', 'tags/getidlist', { openid: v.openid }, 40003],
        ['POST', 'tags/members/batchtagging', { openid_list: [v.openid], tagid: own.tagId }, 49003],
        ['POST', 'tags/members/batchuntagging', { openid_list: [v.openid], tagid: own.tagId }, 49003],
        ['POST', 'tags/members/batchblacklist', { openid_list: [v.openid] }, 49003],
        ['POST', 'tags/members/batchunblacklist', { openid_list: [v.openid] }, 49003],
        ...foreignTag(['POST', 'tags/update', { tag: { id: v.tagId, name: 'pwned' } }, 45159]),
        ...foreignTag(['POST', 'tags/delete', { tag: { id: v.tagId } }, 45159]),
        ...foreignTag(['GET', `user/tag/get?tagid=${v.tagId}`, undefined, 45159]),
        ['POST', 'message/custom/send', { touser: v.openid, msgtype: 'text', text: { content: 'x' } }, 40003],
        ['POST', 'message/custom/typing', { touser: v.openid, command: 'Typing' }, 40003],
        ['POST', 'message/custom/send', { touser: own.openid, msgtype: 'image', image: { media_id: v.mediaId } }, 40007],
        ['POST', 'message/mass/preview', { touser: v.openid, msgtype: 'text', text: { content: 'x' } }, 40003],
        ...foreignTag(['POST', 'message/mass/sendall', { filter: { is_to_all: false, tag_id: v.tagId }, msgtype: 'text', text: { content: 'x' } }, 45159]),
        ['POST', 'message/mass/get', { msg_id: v.msgId }, 40059],
        ['POST', 'message/mass/delete', { msg_id: v.msgId }, 40059],
        ['POST', 'message/template/send', { touser: own.openid, template_id: v.templateId, data: {} }, 40037],
        ['POST', 'message/template/send', { touser: v.openid, template_id: own.templateId, data: {} }, 40003],
        ['POST', 'template/del_private_template', { template_id: v.templateId }, 40037],
        ['POST', 'menu/delconditional', { menuid: String(v.menuId) }, 65301],
        ['POST', 'menu/trymatch', { user_id: v.openid }, 65302],
        ['GET', `media/get?media_id=${v.mediaId}`, undefined, 40007],
        ['POST', 'material/get_material', { media_id: v.mediaId }, 40007],
        ['POST', 'material/del_material', { media_id: v.mediaId }, 40007],
        ['POST', 'shorten/fetch', { short_key: v.shortKey }, 9410012],
        ['POST', 'clear_quota', { appid: v.acct.appid }, 40013],
        ['POST', 'openapi/quota/get', { cgi_path: '/cgi-bin/user/get' }, 0],
    ];
}

/** runs the attacks with `token`; each answers its errcode, and victim's data is unchanged */
async function sweep(token, own, v) {
    const before = await snapshot(v);
    for (const [method, path, body, code] of attacks(own, v)) {
        const r = await wire(token, method, path, body);
        assert.equal(r.body?.errcode, code, `${method} ${path}: ${r.text.slice(0, 200)}`);
    }
    // a mass send naming the victim's follower reaches only the caller's own
    const m = await wire(token, 'POST', 'message/mass/send', { touser: [v.openid, own.openid], msgtype: 'text', text: { content: 'stray' } });
    assert.equal(m.body.errcode, 0, m.text);
    const chats = await srv().get('/client/v1/chats', { headers: v.fan.auth });
    assert.ok(!chats.text.includes(own.acct.appid), chats.text.slice(0, 300));
    // the victim's QR ticket still shows the victim's code
    const qr = await srv().fetch(`/cgi-bin/showqrcode?ticket=${encodeURIComponent(v.qrTicket)}`);
    assert.equal(qr.status, 200);
    assert.deepEqual(await snapshot(v), before);
}

let A;
let B;

describe('merchant B\'s token on merchant A\'s objects', () => {
    before(async () => {
        A = await merchant(3);
        B = await merchant(1);
    });

    test('each call is refused with the spec\'s errcode, and A\'s data is unchanged', async () => {
        await sweep(B.token, B, A);
        await sweep(A.token, A, B);
    });
});

/** the sets every merchant-facing family needs, ticked on the page */
const ALL_SETS = { set_1: '1', set_2: '1', set_3: '1', set_7: '1', set_11: '1', set_15: '1' };

describe('third parties', () => {
    let X; // authorized by A with ALL_SETS
    let Y; // authorized by B only
    let xa; // X's authorization_info for A
    let yb; // Y's authorization_info for B

    before(async () => {
        A = A || (await merchant(3));
        B = B || (await merchant(1));
        X = await C.tokenedComponent(srv(), { domains: ['127.0.0.1'], func_sets: [1, 2, 3, 4, 7, 11, 15] });
        Y = await C.tokenedComponent(srv(), { domains: ['127.0.0.1'], func_sets: [1, 2, 3, 7, 11, 15] });
        xa = await C.approve(srv(), X, A, ALL_SETS);
        yb = await C.approve(srv(), Y, B, ALL_SETS);
    });

    test('X\'s authorizer token for A reaches A, and none of B\'s data', async () => {
        const t = xa.authorizer_access_token;
        const mine = await wire(t, 'GET', `user/info?openid=${A.openid}`);
        assert.equal(mine.body.remark, 'mine', mine.text);
        await sweep(t, A, B);
        await sweep(yb.authorizer_access_token, B, A);
    });

    test('Y\'s component token gets nothing of X\'s authorizer A', async () => {
        const capi = (name, body) => C.capi(srv(), Y, name, body);
        expectErr(await capi('api_authorizer_token', { authorizer_appid: A.acct.appid, authorizer_refresh_token: xa.authorizer_refresh_token }), 61003);
        expectErr(await capi('api_authorizer_token', { authorizer_appid: B.acct.appid, authorizer_refresh_token: xa.authorizer_refresh_token }), 61023);
        expectErr(await capi('api_get_authorizer_info', { authorizer_appid: A.acct.appid }), 61003);
        expectErr(await capi('api_get_authorizer_option', { authorizer_appid: A.acct.appid, option_name: 'voice_recognize' }), 61003);
        expectErr(await capi('api_set_authorizer_option', { authorizer_appid: A.acct.appid, option_name: 'voice_recognize', option_value: '1' }), 61003);
        const list = await capi('api_get_authorizer_list', { offset: 0, count: 100 });
        assert.deepEqual(list.body.list.map((x) => x.authorizer_appid), [B.acct.appid], list.text);
        // Y's token naming X's appid
        const asX = (name, body) => srv().post(`/cgi-bin/component/${name}?component_access_token=${Y.ctoken}`,
            { component_appid: X.comp.component_appid, ...body });
        expectErr(await asX('api_get_authorizer_info', { authorizer_appid: A.acct.appid }), 61011);
        expectErr(await asX('api_authorizer_token', { authorizer_appid: A.acct.appid, authorizer_refresh_token: xa.authorizer_refresh_token }), 61011);
        expectErr(await asX('api_get_authorizer_list', { offset: 0, count: 10 }), 61011);
        expectErr(await asX('clear_quota', {}), 61011);
        // an auth code of X's is not Y's to take, and stays X's
        const code = await C.preauth(srv(), X);
        const page = await get(srv(), C.pageUrl(X, code, 'http://127.0.0.1:9/back'), A.cookie);
        const res = await postForm(srv(), '/cgi-bin/componentloginpage', { ...C.formOf(page.text), authorizer_appid: A.acct.appid, ...ALL_SETS }, A.cookie);
        assert.equal(res.status, 302, res.text);
        const authCode = new URL(res.location).searchParams.get('auth_code');
        expectErr(await C.queryAuth(srv(), Y, authCode), 61009);
        const q = await C.queryAuth(srv(), X, authCode);
        assert.equal(q.body.authorization_info?.authorizer_appid, A.acct.appid, q.text);
        xa = q.body.authorization_info;
        // Y's component token on A's account APIs
        expectErr(await wire(Y.ctoken, 'GET', 'user/get'), 48001);
        // web authorization on behalf of A through Y: A never authorized Y
        const sns = await srv().get(`/sns/oauth2/component/access_token?${new URLSearchParams({ appid: A.acct.appid, code: 'x', grant_type: 'authorization_code', component_appid: Y.comp.component_appid, component_access_token: Y.ctoken })}`);
        expectErr(sns, 61003);
        const snsX = await srv().get(`/sns/oauth2/component/access_token?${new URLSearchParams({ appid: A.acct.appid, code: 'x', grant_type: 'authorization_code', component_appid: X.comp.component_appid, component_access_token: Y.ctoken })}`);
        expectErr(snsX, 61011);
        // X's authorization is as it was
        const info = await C.capi(srv(), X, 'api_get_authorizer_info', { authorizer_appid: A.acct.appid });
        assert.equal(info.body.authorization_info.func_info.length, 6, info.text);
    });

    test('a user who does not administer A can neither see, change nor cancel its authorizations', async () => {
        const stranger = await newUser(srv());
        const login = await srv().post('/client/v1/login', { username: stranger.username, password: stranger.password });
        const auth = { headers: { authorization: `Bearer ${login.body.session}` } };
        const body = { appid: A.acct.appid, component_appid: X.comp.component_appid };
        for (const r of [
            await srv().post('/client/v1/authorizations/update', { ...body, func_sets: [1] }, auth),
            await srv().post('/client/v1/authorizations/cancel', body, auth),
            await srv().get(`/client/v1/authorizations?appid=${A.acct.appid}`, auth),
        ])
            expectErr(r, 403, 403);
        // B's administrator is no administrator of A either
        const bLogin = await srv().post('/client/v1/login', { username: B.user.username, password: B.user.password });
        const bAuth = { headers: { authorization: `Bearer ${bLogin.body.session}` } };
        expectErr(await srv().post('/client/v1/authorizations/cancel', body, bAuth), 403, 403);
        const mine = await srv().get('/client/v1/administered', bAuth);
        assert.deepEqual(mine.body.accounts.map((a) => a.appid), [B.acct.appid], mine.text);
        const none = await srv().get('/client/v1/administered', auth);
        assert.deepEqual(none.body.accounts, []);
        const strangerCookie = await signIn(srv(), stranger.username, stranger.password);
        const page = await get(srv(), '/app/authorizations', strangerCookie);
        assert.equal(page.status, 200);
        assert.ok(!page.text.includes(A.acct.appid));
        // nothing changed: X still holds its six sets and its token works
        const info = await C.capi(srv(), X, 'api_get_authorizer_info', { authorizer_appid: A.acct.appid });
        assert.equal(info.body.authorization_info.func_info.length, 6, info.text);
        assert.equal((await wire(xa.authorizer_access_token, 'GET', 'user/get')).body.total, 1);
    });
});

describe('JS-SDK tickets with an authorizer token', () => {
    const sign = (ticket, noncestr, timestamp, url) =>
        crypto.createHash('sha1').update(`jsapi_ticket=${ticket}&noncestr=${noncestr}&timestamp=${timestamp}&url=${url}`).digest('hex');

    test('set 4 gets the authorizer\'s jsapi ticket, which signs wx.config for the authorizer appid', async () => {
        const m = await C.administered(srv());
        const own = (await srv().token(m.acct.appid, m.acct.secret)).access_token;
        const j = await C.tokenedComponent(srv(), { domains: ['127.0.0.1'], func_sets: [1, 4, 8] });
        const info = await C.approve(srv(), j, m, { set_1: '1', set_4: '1' });
        const t = await wire(info.authorizer_access_token, 'GET', 'ticket/getticket?type=jsapi');
        assert.equal(t.body.errcode, 0, t.text);
        assert.equal(t.body.expires_in, 7200);
        // the account's own ticket: one per account, whoever asks
        const mine = await wire(own, 'GET', 'ticket/getticket?type=jsapi');
        assert.equal(mine.body.ticket, t.body.ticket);
        const other = await merchantToken();
        assert.notEqual((await wire(other, 'GET', 'ticket/getticket?type=jsapi')).body.ticket, t.body.ticket);
        // wx.config({appId: authorizer appid, timestamp, nonceStr, signature}) for a page
        const url = 'http://127.0.0.1:9/page?x=1';
        const config = { appId: m.acct.appid, timestamp: '1414587457', nonceStr: 'Wm3WZYTPz0wzccnW' };
        config.signature = sign(t.body.ticket, config.nonceStr, config.timestamp, url);
        assert.equal(config.signature, sign(mine.body.ticket, config.nonceStr, config.timestamp, `${url}#frag`.split('#')[0]));
        assert.match(config.signature, /^[0-9a-f]{40}$/);
        // the card ticket belongs to set 8, not granted here
        expectErr(await wire(info.authorizer_access_token, 'GET', 'ticket/getticket?type=wx_card'), 61007);
    });

    test('without set 4: 61007', async () => {
        const m = await C.administered(srv());
        const j = await C.tokenedComponent(srv(), { domains: ['127.0.0.1'], func_sets: [1, 4, 8] });
        const info = await C.approve(srv(), j, m, { set_1: '1', set_8: '1' });
        expectErr(await wire(info.authorizer_access_token, 'GET', 'ticket/getticket?type=jsapi'), 61007);
        const card = await wire(info.authorizer_access_token, 'GET', 'ticket/getticket?type=wx_card');
        assert.equal(card.body.errcode, 0, card.text);
    });
});

async function merchantToken() {
    const a = await srv().createAccount();
    return (await srv().token(a.appid, a.secret)).access_token;
}

describe('a component clearing its quotas', () => {
    test('/cgi-bin/component/clear_quota and /cgi-bin/clear_quota with the component token', async () => {
        const c = await C.tokenedComponent(srv());
        const appid = c.comp.component_appid;
        // openapi/quota/get is metered: each call with the component token counts against the
        // component's own quota, itself included
        const used = async () => {
            const r = await srv().post(`/cgi-bin/openapi/quota/get?access_token=${c.ctoken}`, { cgi_path: '/cgi-bin/openapi/quota/get' });
            assert.equal(r.body.errcode, 0, r.text);
            return r.body.quota.used;
        };
        assert.equal(await used(), 1);
        assert.equal(await used(), 2);
        // what the SDKs send (WxJava, wechatpy, EasyWeChat, silenceper)
        const a = await C.capi(srv(), c, 'clear_quota', {});
        assert.equal(a.body.errcode, 0, a.text);
        assert.equal(await used(), 1);
        await used();
        // the current docs: clear_quota with the component token as access_token, {appid}
        const b = await srv().post(`/cgi-bin/clear_quota?access_token=${c.ctoken}`, { appid });
        assert.equal(b.body.errcode, 0, b.text);
        assert.equal(await used(), 1);
        await used();
        const d = await srv().post(`/cgi-bin/clear_quota?component_access_token=${c.ctoken}`, { component_appid: appid });
        assert.equal(d.body.errcode, 0, d.text);
        assert.equal(await used(), 1);
        // only its own
        const m = await srv().createAccount();
        expectErr(await srv().post(`/cgi-bin/clear_quota?access_token=${c.ctoken}`, { appid: m.appid }), 40013);
        expectErr(await srv().post('/cgi-bin/clear_quota?component_access_token=nope', { appid }), 40001);
        expectErr(await srv().post('/cgi-bin/clear_quota', { appid }), 41001);
        // still not an account token elsewhere
        expectErr(await srv().get(`/cgi-bin/getcallbackip?access_token=${c.ctoken}`), 48001);
    });
});

describe('the authorization page: auth_type, biz_appid, category_id_list', () => {
    const back = 'http://127.0.0.1:9/back';
    const paths = ['/cgi-bin/componentloginpage', '/safe/bindcomponent', '/wxaopen/safe/bindcomponent'];
    let s; // a component and an admin of two accounts
    let second;

    before(async () => {
        s = await C.authSetup(srv(), { domains: ['127.0.0.1'], func_sets: [1, 2, 15] });
        second = await srv().createAccount({ type: 'service', verified: true });
        const r = await srv().op('POST', '/admin/v1/accounts/admin', { appid: second.appid, user_id: s.user.id });
        assert.equal(r.body?.errcode, 0, r.text);
    });

    const radios = (html) => [...html.matchAll(/name="authorizer_appid" value="([^"]+)"/g)].map((m) => m[1]).sort();
    const boxes = (html) => [...html.matchAll(/name="set_(\d+)"/g)].map((m) => Number(m[1]));
    const open = async (extra, path) => get(srv(), C.pageUrl(s.c, await C.preauth(srv(), s.c), back, extra, path), s.cookie);

    test('auth_type 1 and 3 offer the official accounts; 2 says no account can be chosen', async () => {
        const both = [s.acct.appid, second.appid].sort();
        for (const path of paths) {
            for (const t of ['1', '3']) {
                const page = await open({ auth_type: t }, path);
                assert.equal(page.status, 200, `${path} ${t}: ${page.text.slice(0, 200)}`);
                assert.deepEqual(radios(page.text), both);
            }
            const mini = await open({ auth_type: '2' }, path);
            assert.equal(mini.status, 200);
            assert.match(mini.text, /id="no-account"/);
            assert.deepEqual(radios(mini.text), []);
            assert.doesNotMatch(mini.text, /<form/);
        }
        // WxJava's mobile link carries auth_type twice: the last one counts
        const code = await C.preauth(srv(), s.c);
        const twice = await get(srv(), `/wxaopen/safe/bindcomponent?action=bindcomponent&no_scan=1&component_appid=${s.c.comp.component_appid}&pre_auth_code=${encodeURIComponent(code)}&redirect_uri=${encodeURIComponent(back)}&auth_type=3&biz_appid=&auth_type=2#wechat_redirect`, s.cookie);
        assert.match(twice.text, /id="no-account"/);
        for (const bad of ['0', '4', 'x'])
            assert.equal((await open({ auth_type: bad })).status, 400);
        // approving through a mini-program-only page is refused too
        const page = await open({ auth_type: '3' });
        const form = { ...C.formOf(page.text), auth_type: '2', authorizer_appid: s.acct.appid, set_1: '1' };
        const res = await postForm(srv(), '/cgi-bin/componentloginpage', form, s.cookie);
        assert.equal(res.status, 200);
        assert.match(res.text, /id="no-account"/);
    });

    test('biz_appid offers only that account, and wins over auth_type=2', async () => {
        for (const t of ['3', '2']) {
            const page = await open({ auth_type: t, biz_appid: second.appid });
            assert.equal(page.status, 200, page.text.slice(0, 200));
            assert.deepEqual(radios(page.text), [second.appid]);
        }
        const page = await open({ biz_appid: second.appid });
        const wrong = await postForm(srv(), '/cgi-bin/componentloginpage', { ...C.formOf(page.text), authorizer_appid: s.acct.appid, set_1: '1' }, s.cookie);
        assert.equal(wrong.status, 400);
        const ok = await postForm(srv(), '/cgi-bin/componentloginpage', { ...C.formOf(page.text), authorizer_appid: second.appid, set_1: '1' }, s.cookie);
        assert.equal(ok.status, 302, ok.text.slice(0, 200));
        assert.equal((await s.c.dev.next()).msg.AuthorizerAppid, second.appid);
    });

    test('category_id_list offers only those of the platform\'s sets', async () => {
        const page = await open({ category_id_list: '15|2|99' });
        assert.equal(page.status, 200, page.text.slice(0, 200));
        assert.deepEqual(boxes(page.text), [2, 15]);
        // a set the list left out cannot be ticked in
        const res = await postForm(srv(), '/cgi-bin/componentloginpage', { ...C.formOf(page.text), authorizer_appid: s.acct.appid, set_1: '1', set_2: '1' }, s.cookie);
        assert.equal(res.status, 302, res.text.slice(0, 200));
        assert.equal((await s.c.dev.next()).msg.InfoType, 'authorized');
        const q = await C.queryAuth(srv(), s.c, new URL(res.location).searchParams.get('auth_code'));
        assert.deepEqual(q.body.authorization_info.func_info, [{ funcscope_category: { id: 2 } }]);
        // a tampered list is a forged form
        const forged = await postForm(srv(), '/cgi-bin/componentloginpage', { ...C.formOf(page.text), category_id_list: '1', authorizer_appid: s.acct.appid, set_1: '1' }, s.cookie);
        assert.equal(forged.status, 400);
        assert.equal((await open({ category_id_list: '99|31' })).status, 400);
        assert.deepEqual(boxes((await open({})).text), [1, 2, 15]);
    });
});

describe('permission sets that several routes share', () => {
    test('set 100 grants the user and custom-send APIs its docs cite, and not menus', async () => {
        const m = await C.administered(srv());
        const own = (await srv().token(m.acct.appid, m.acct.secret)).access_token;
        const fan = await newClientUser(srv());
        const f = await client.follow(srv(), fan, m.acct.appid);
        const j = await C.tokenedComponent(srv(), { domains: ['127.0.0.1'], func_sets: [100, 3] });
        const t = (await C.approve(srv(), j, m, { set_100: '1' })).authorizer_access_token;
        assert.equal((await wire(t, 'GET', 'user/get')).body.total, 1);
        const sent = await wire(t, 'POST', 'message/custom/send', { touser: f.body.openid, msgtype: 'text', text: { content: 'via 100' } });
        assert.equal(sent.body.errcode, 0, sent.text);
        expectErr(await wire(t, 'GET', 'menu/get'), 61007);
        expectErr(await wire(t, 'POST', 'qrcode/create', { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 1 } } }), 61007);
        expectErr(await wire(t, 'GET', 'get_current_selfmenu_info'), 61007);
        // any set opens the quota and server-address APIs
        assert.ok((await wire(t, 'GET', 'getcallbackip')).body.ip_list);
        assert.equal((await wire(t, 'POST', 'clear_quota', { appid: m.acct.appid })).body.errcode, 0);
        expectErr(await wire(t, 'POST', 'clear_quota', { appid: j.comp.component_appid }), 40013);
        assert.ok((await wire(own, 'GET', 'menu/get')).status === 200);
    });
});
