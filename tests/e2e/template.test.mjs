// Template messages (spec/messaging.md §8): industries and their monthly change, the template
// library and the 25-template limit, get/del, send errors, idempotent client_msg_id, the
// filled-in card in the user's chat and the TEMPLATESENDJOBFINISH push with the answer's msgid.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectErr, useServer } from './lib/server.mjs';
import { client, newClientUser, nextFromAccount, pushes, wiredAccount } from './lib/messaging.mjs';

const h = useServer({ testClock: true });
const srv = () => h.srv;
const DAY = 24 * 3600;

/** the wire API of an account with a fresh access token */
async function wire(acct) {
    const t = await srv().token(acct.appid, acct.secret);
    assert.ok(t.access_token, JSON.stringify(t));
    const url = (path) => `/cgi-bin/${path}?access_token=${encodeURIComponent(t.access_token)}`;
    return {
        get: (path) => srv().get(url(path)),
        post: (path, body) => srv().post(url(path), body),
        raw: (method, path, body) => srv().request(method, url(path), { body }),
    };
}

async function account(fields = {}) {
    const acct = await srv().createAccount({ type: 'service', verified: true, ...fields });
    return { acct, api: await wire(acct) };
}

async function add(api, body) {
    const r = await api.post('template/api_add_template', body);
    assert.equal(r.body?.errcode, 0, r.text);
    assert.match(r.body.template_id, /^[A-Za-z0-9_-]{43}$/);
    return r.body.template_id;
}

async function list(api) {
    const r = await api.get('template/get_all_private_template');
    assert.ok(Array.isArray(r.body?.template_list), r.text);
    return r.body.template_list;
}

/** a wired account with a follower and the TM00015 template; the subscribe push is taken */
async function sender() {
    const { acct, dev } = await wiredAccount(srv());
    const api = await wire(acct);
    const u = await newClientUser(srv());
    const f = await client.follow(srv(), u, acct.appid);
    assert.equal(f.body.errcode, 0, f.text);
    assert.equal((await dev.next()).msg.Event, 'subscribe');
    const tid = await add(api, { template_id_short: 'TM00015' });
    const send = (body) =>
        api.post('message/template/send', { touser: f.body.openid, template_id: tid, ...body });
    return { acct, dev, api, u, openid: f.body.openid, tid, send };
}

const PAID = {
    first: { value: '我们已收到您的货款', color: '#173177' },
    orderMoneySum: { value: '30.00元' },
    orderProductName: { value: '巧克力' },
    Remark: { value: '欢迎再次购买！', color: '#999999' },
};

/** the template messages of the user's chat */
async function cards(u, appid) {
    const r = await client.messages(srv(), u, appid);
    assert.equal(r.body?.errcode, 0, r.text);
    return r.body.messages.filter((m) => m.source === 'template');
}

describe('industries', () => {
    test('ids 1-41 with their names; one change a calendar month (43100); an omitted id2 is kept', async () => {
        const { acct, api } = await account();
        const none = await api.get('template/get_industry');
        assert.deepEqual(none.body, {
            primary_industry: { first_class: '', second_class: '' },
            secondary_industry: { first_class: '', second_class: '' },
        });
        const set = (body) => api.post('template/api_set_industry', body);
        assert.equal((await set({ industry_id1: '1', industry_id2: '4' })).body.errcode, 0);
        const got = await api.get('template/get_industry');
        assert.deepEqual(got.body, {
            primary_industry: { first_class: 'IT科技', second_class: '互联网|电子商务' },
            secondary_industry: { first_class: 'IT科技', second_class: '电子技术' },
        });
        // EasyWeChat asks with a POST of "[]"
        assert.deepEqual((await api.raw('POST', 'template/get_industry', '[]')).body, got.body);
        assert.equal((await set({ industry_id1: 1, industry_id2: 4 })).body.errcode, 0, 'the same pair is no change');
        expectErr(await set({ industry_id1: '1', industry_id2: '41' }), 43100);
        expectErr(await set({ industry_id1: '0', industry_id2: '4' }), 40102);
        expectErr(await set({ industry_id1: '42', industry_id2: '4' }), 40102);
        expectErr(await set({ industry_id1: 'IT', industry_id2: '4' }), 40102);
        expectErr(await set({ industry_id1: '1', industry_id2: [4] }), 40102);
        expectErr(await set({ industry_id2: '4' }), 40103);
        expectErr(await api.raw('POST', 'template/api_set_industry', 'industry_id1=1&industry_id2=4'), 47001);
        expectErr(await api.raw('POST', 'template/api_set_industry', ''), 44002);
        expectErr(await api.get('template/api_set_industry'), 43002);

        await srv().advance(32 * DAY);
        const later = await wire(acct);
        assert.equal((await later.post('template/api_set_industry', { industry_id1: '13' })).body.errcode, 0);
        assert.deepEqual((await later.get('template/get_industry')).body, {
            primary_industry: { first_class: '运输与仓储', second_class: '快递' },
            secondary_industry: { first_class: 'IT科技', second_class: '电子技术' },
        });
        expectErr(await later.post('template/api_set_industry', { industry_id1: '41', industry_id2: '21' }), 43100);
    });

    test('the first choice needs both industries; only verified service accounts (48001)', async () => {
        const { api } = await account();
        expectErr(await api.post('template/api_set_industry', { industry_id1: '10' }), 40103);
        assert.equal((await api.post('template/api_set_industry', { industry_id1: '10', industry_id2: '11' })).body.errcode, 0);
        for (const fields of [{ type: 'subscription', verified: true }, { type: 'service', verified: false }]) {
            const other = await account(fields);
            expectErr(await other.api.get('template/get_industry'), 48001);
            expectErr(await other.api.post('template/api_set_industry', { industry_id1: '1', industry_id2: '2' }), 48001);
            expectErr(await other.api.post('template/api_add_template', { template_id_short: 'TM00015' }), 48001);
            expectErr(await other.api.get('template/get_all_private_template'), 48001);
        }
    });
});

describe('the template library', () => {
    test('TM00015, generic TM/OPENTM ids, category ids with keyword names; 40037 and 40246', async () => {
        const { api } = await account();
        const paid = await add(api, { template_id_short: 'TM00015' });
        assert.equal(await add(api, { template_id_short: 'TM00015' }), paid, 'the same template again');
        const generic = await add(api, { template_id_short: 'OPENTM123456789' });
        const category = await add(api, { template_id_short: '47123', keyword_name_list: ['时间', '地点', '金额'] });
        const numeric = await add(api, { template_id_short: 47123, keyword_name_list: ['时间'] });
        assert.notEqual(numeric, category, 'other keywords make another template');
        const all = await list(api);
        assert.deepEqual(all.map((t) => t.template_id), [paid, generic, category, numeric]);
        const [p, g, c] = all;
        assert.equal(p.title, '订单支付成功');
        assert.equal(p.primary_industry, 'IT科技');
        assert.equal(p.deputy_industry, '互联网|电子商务');
        assert.equal(
            p.content,
            '{{first.DATA}}\n支付金额：{{orderMoneySum.DATA}}\n商品信息：{{orderProductName.DATA}}\n{{Remark.DATA}}',
        );
        assert.ok(p.example.length > 0);
        assert.match(g.content, /^\{\{first\.DATA\}\}\n\{\{keyword1\.DATA\}\}\n[\s\S]*\{\{keyword5\.DATA\}\}\n\{\{remark\.DATA\}\}$/);
        assert.equal(g.primary_industry, '');
        assert.equal(c.content, '时间：{{keyword1.DATA}}\n地点：{{keyword2.DATA}}\n金额：{{keyword3.DATA}}');
        assert.deepEqual(Object.keys(p).sort(), ['content', 'deputy_industry', 'example', 'primary_industry', 'template_id', 'title']);
        // EasyWeChat lists with a POST of "[]"
        assert.equal((await api.raw('POST', 'template/get_all_private_template', '[]')).body.template_list.length, 4);

        const no = (body, code) => api.post('template/api_add_template', body).then((r) => expectErr(r, code));
        await no({ template_id_short: 'XYZ' }, 40037);
        await no({ template_id_short: 'TM' }, 40037);
        await no({ template_id_short: '' }, 40037);
        await no({}, 40037);
        await no({ template_id_short: { id: 'TM00015' } }, 40037);
        await no({ template_id_short: '47123' }, 40246);
        await no({ template_id_short: '47123', keyword_name_list: [] }, 40246);
        await no({ template_id_short: '47123', keyword_name_list: ['时间', ''] }, 40246);
        await no({ template_id_short: '47123', keyword_name_list: ['时间', '时间'] }, 40246);
        await no({ template_id_short: '47123', keyword_name_list: ['{{x.DATA}}'] }, 40246);
        await no({ template_id_short: '47123', keyword_name_list: '时间' }, 40246);
        await no({ template_id_short: '47123', keyword_name_list: [1, 2] }, 40246);
        expectErr(await api.raw('POST', 'template/api_add_template', '{"template_id_short":'), 47001);
        assert.equal((await list(api)).length, 4);
    });

    test('a library template from neither chosen industry is refused (45027); a change drops them', async () => {
        const { acct, api } = await account();
        assert.equal((await api.post('template/api_set_industry', { industry_id1: '10', industry_id2: '11' })).body.errcode, 0);
        expectErr(await api.post('template/api_add_template', { template_id_short: 'TM00015' }), 45027);
        const queue = await add(api, { template_id_short: 'TM00160' }); // 餐饮
        const hotel = await add(api, { template_id_short: 'TM00170' }); // 酒店
        const generic = await add(api, { template_id_short: 'TM99999' });
        await srv().advance(32 * DAY);
        const later = await wire(acct);
        assert.equal((await later.post('template/api_set_industry', { industry_id1: '1', industry_id2: '11' })).body.errcode, 0);
        assert.deepEqual((await list(later)).map((t) => t.template_id), [hotel, generic]);
        assert.notEqual(queue, hotel);
        await add(later, { template_id_short: 'TM00015' });
    });

    test('25 templates at most (45026); deleting one frees a place; del_private_template errors', async () => {
        const { api } = await account();
        const ids = [];
        for (let i = 1; i <= 25; i++) ids.push(await add(api, { template_id_short: `TM9${String(i).padStart(4, '0')}` }));
        expectErr(await api.post('template/api_add_template', { template_id_short: 'OPENTM100000026' }), 45026);
        assert.equal(await add(api, { template_id_short: 'TM90003' }), ids[2], 'one added before is answered again');
        const del = (body) => api.post('template/del_private_template', body);
        assert.equal((await del({ template_id: ids[0] })).body.errcode, 0);
        expectErr(await del({ template_id: ids[0] }), 40037);
        expectErr(await del({ template_id: 'nope' }), 40037);
        expectErr(await del({}), 40037);
        expectErr(await del({ template_id: 7 }), 47001);
        expectErr(await api.raw('POST', 'template/del_private_template', 'x'), 47001);
        const last = await add(api, { template_id_short: 'OPENTM100000026' });
        const now = (await list(api)).map((t) => t.template_id);
        assert.equal(now.length, 25);
        assert.ok(!now.includes(ids[0]) && now.includes(last));
        // another account cannot touch them
        const other = await account();
        expectErr(await other.api.post('template/del_private_template', { template_id: last }), 40037);
        assert.equal((await list(other.api)).length, 0);
    });
});

describe('sending', () => {
    test('the card reaches the chat filled in; TEMPLATESENDJOBFINISH carries the same MsgID', async () => {
        const { acct, dev, u, openid, tid, send } = await sender();
        const r = await send({ url: 'https://shop.example/o/1', topcolor: '#FF0000', data: PAID });
        assert.equal(r.body.errcode, 0, r.text);
        assert.equal(r.body.errmsg, 'ok');
        assert.ok(Number.isSafeInteger(r.body.msgid) && r.body.msgid > 0, r.text);
        const m = await nextFromAccount(srv(), u, acct.appid);
        assert.equal(m.source, 'template');
        assert.equal(m.msgtype, 'template');
        assert.equal(m.msgid, String(r.body.msgid), 'the chat gives msgids as strings');
        assert.equal(m.body.template_id, tid);
        assert.equal(m.body.title, '订单支付成功');
        assert.equal(m.body.content, '我们已收到您的货款\n支付金额：30.00元\n商品信息：巧克力\n欢迎再次购买！');
        assert.deepEqual(m.body.data, PAID);
        assert.equal(m.body.url, 'https://shop.example/o/1');
        assert.equal(m.body.miniprogram, null);

        const push = await dev.next();
        assert.equal(push.msg.MsgType, 'event');
        assert.equal(push.msg.Event, 'TEMPLATESENDJOBFINISH');
        assert.equal(push.msg.MsgID, String(r.body.msgid));
        assert.equal(push.msg.Status, 'success');
        assert.equal(push.msg.FromUserName, openid);
        assert.equal(push.msg.ToUserName, acct.original_id);
        assert.match(push.body, /<MsgID>\d+<\/MsgID>/);

        const again = await send({ data: PAID });
        assert.ok(again.body.msgid > r.body.msgid, 'msgids grow');
        assert.equal((await dev.next()).msg.MsgID, String(again.body.msgid));
        await dev.close();
    });

    test('lines whose placeholders got no value are left out; numbers are values; miniprogram', async () => {
        const { acct, dev, api, u, openid } = await sender();
        const tid = await add(api, { template_id_short: 'OPENTM200000001' });
        const r = await api.post('message/template/send', {
            touser: openid,
            template_id: tid,
            url: 'https://x.example/',
            miniprogram: { appid: 'wx0123456789abcdef', path: 'pages/order?id=1' },
            data: { first: { value: '您好' }, keyword1: { value: 39.8 }, keyword3: { value: '' }, remark: { value: '谢谢' } },
        });
        assert.equal(r.body.errcode, 0, r.text);
        const m = await nextFromAccount(srv(), u, acct.appid);
        assert.equal(m.body.content, '您好\n39.8\n谢谢');
        assert.deepEqual(m.body.miniprogram, { appid: 'wx0123456789abcdef', pagepath: 'pages/order?id=1' });
        assert.equal(m.body.url, 'https://x.example/');
        // PHP sends an empty data array as []
        const empty = await api.post('message/template/send', { touser: openid, template_id: tid, url: '', data: [] });
        assert.equal(empty.body.errcode, 0, empty.text);
        await dev.close();
    });

    test('client_msg_id: the same id within 10 minutes answers the same msgid and sends nothing', async () => {
        const { acct, dev, u, send } = await sender();
        const a = await send({ client_msg_id: 'order-1', data: PAID });
        assert.equal(a.body.errcode, 0, a.text);
        const b = await send({ client_msg_id: 'order-1', data: { first: { value: 'changed' } } });
        assert.equal(b.body.errcode, 0, b.text);
        assert.equal(b.body.msgid, a.body.msgid);
        const c = await send({ client_msg_id: 'order-2', data: PAID });
        assert.notEqual(c.body.msgid, a.body.msgid);
        assert.equal((await dev.next()).msg.MsgID, String(a.body.msgid));
        assert.equal((await dev.next()).msg.MsgID, String(c.body.msgid));
        assert.deepEqual((await cards(u, acct.appid)).map((m) => m.msgid), [String(a.body.msgid), String(c.body.msgid)]);
        const finished = (await pushes(srv(), acct.appid)).filter((p) => p.kind === 'TEMPLATESENDJOBFINISH');
        assert.equal(finished.length, 2);

        await srv().advance(601);
        const d = await send({ client_msg_id: 'order-1', data: PAID });
        assert.equal(d.body.errcode, 0, d.text);
        assert.ok(d.body.msgid > c.body.msgid, 'a new send after 10 minutes');
        expectErr(await send({ client_msg_id: 'x'.repeat(65), data: PAID }), 47003);
        assert.equal((await send({ client_msg_id: 'x'.repeat(64), data: PAID })).body.errcode, 0);
        await dev.close();
    });

    test('errors: touser 40003/43004/43019, template_id 40037, data 47003, bad bodies', async () => {
        const { acct, dev, api, u, openid, tid, send } = await sender();
        expectErr(await send({ touser: 'o' + 'x'.repeat(27), data: PAID }), 40003);
        expectErr(await send({ touser: 'short', data: PAID }), 40003);
        expectErr(await send({ touser: 12, data: PAID }), 40003);
        expectErr(await api.post('message/template/send', { template_id: tid, data: PAID }), 40003);
        expectErr(await send({ template_id: 'nope', data: PAID }), 40037);
        expectErr(await send({ template_id: '', data: PAID }), 40037);
        expectErr(await api.post('message/template/send', { touser: openid, data: PAID }), 40037);
        const bad = async (body, field) => {
            const r = await send(body);
            expectErr(r, 47003);
            assert.match(r.body.errmsg, new RegExp(`^argument invalid! .*${field}`), r.text);
        };
        await bad({}, 'data');
        await bad({ data: 'x' }, 'data');
        await bad({ data: [{ value: 'x' }] }, 'data');
        await bad({ data: { first: 'x' } }, 'data\\.first');
        await bad({ data: { first: {} } }, 'data\\.first\\.value');
        await bad({ data: { first: { value: null } } }, 'data\\.first\\.value');
        await bad({ data: { first: { value: ['x'] } } }, 'data\\.first\\.value');
        await bad({ data: { first: { value: 'x', color: 1 } } }, 'data\\.first\\.color');
        await bad({ data: PAID, url: 5 }, 'url');
        await bad({ data: PAID, url: 'https://x/' + 'a'.repeat(1100) }, 'url');
        await bad({ data: PAID, miniprogram: 'wx' }, 'miniprogram');
        await bad({ data: PAID, miniprogram: { pagepath: 'p' } }, 'miniprogram\\.appid');
        await bad({ data: PAID, client_msg_id: {} }, 'client_msg_id');
        expectErr(await api.raw('POST', 'message/template/send', 'not json'), 47001);
        expectErr(await api.raw('POST', 'message/template/send', '[1,2]'), 47001);
        expectErr(await api.raw('POST', 'message/template/send', ''), 44002);
        expectErr(await api.get('message/template/send'), 43002);
        expectErr(await send({ data: { first: { value: 'x'.repeat(9000) } } }), 45014);

        // another account's template, and another account's follower
        const other = await account();
        const theirs = await add(other.api, { template_id_short: 'TM00015' });
        expectErr(await send({ template_id: theirs, data: PAID }), 40037);
        const stranger = await newClientUser(srv());
        const f2 = await client.follow(srv(), stranger, other.acct.appid);
        expectErr(await send({ touser: f2.body.openid, data: PAID }), 40003);

        // blacklisted, then unfollowed
        const black = await api.post('tags/members/batchblacklist', { openid_list: [openid] });
        assert.equal(black.body.errcode, 0, black.text);
        expectErr(await send({ data: PAID }), 43019);
        assert.equal((await api.post('tags/members/batchunblacklist', { openid_list: [openid] })).body.errcode, 0);
        assert.equal((await send({ data: PAID })).body.errcode, 0);
        await client.unfollow(srv(), u, acct.appid);
        expectErr(await send({ data: PAID }), 43004);
        // a deleted template
        assert.equal((await api.post('template/del_private_template', { template_id: tid })).body.errcode, 0);
        expectErr(await send({ data: PAID }), 40037);
        // none of the refused sends reached the chat
        assert.equal((await cards(u, acct.appid)).length, 1);
        await dev.close();
    });

    test('the daily quota of 100 000 sends is counted per account', async () => {
        const { dev, api, send } = await sender();
        assert.equal((await send({ data: PAID })).body.errcode, 0);
        const q = await api.post('openapi/quota/get', { cgi_path: '/cgi-bin/message/template/send' });
        assert.equal(q.body.errcode, 0, q.text);
        assert.equal(q.body.quota.daily_limit, 100000);
        assert.equal(q.body.quota.used, 1);
        await dev.close();
    });
});

test('garbage and wrongly typed bodies get an errcode, never a crash', async () => {
    const { dev, api } = await sender();
    const bodies = [
        '',
        ' ',
        'null',
        '[]',
        '"x"',
        '{',
        '{"a":' + '['.repeat(100000),
        '{"a":' + '{"a":'.repeat(3000) + '1' + '}'.repeat(3001),
        '{"touser":{},"template_id":[],"data":{"a":{"value":{"b":1}}}}',
        '{"template_id_short":null,"keyword_name_list":[null,{},[]]}',
        '{"industry_id1":1e999,"industry_id2":-0}',
        '{"industry_id1":"1\\u0000","industry_id2":"9007199254740993"}',
        '{"template_id":"' + 'x'.repeat(200000) + '"}',
        '{"data":{"' + 'k'.repeat(70000) + '":{"value":"v"}}}',
        '{"touser":"\\ud800","data":{"\\udfff":{"value":"\\ud800"}}}',
        '\ufeff{"a":1}',
    ];
    const writes = ['template/api_set_industry', 'template/api_add_template', 'template/del_private_template', 'message/template/send'];
    for (const p of writes) {
        for (const body of bodies) {
            const r = await api.raw('POST', p, body);
            assert.equal(r.status, 200, `${p}: ${r.status} ${r.text.slice(0, 200)}`);
            assert.ok(r.body && r.body.errcode !== 0, `${p} accepted ${body.slice(0, 80)}: ${r.text.slice(0, 200)}`);
        }
        await srv().assertClean(`garbage bodies on ${p}`);
    }
    for (const p of ['template/get_industry', 'template/get_all_private_template']) {
        for (const body of bodies) {
            const r = await api.raw('POST', p, body);
            assert.equal(r.status, 200, `${p}: ${r.status} ${r.text.slice(0, 200)}`);
            assert.equal(r.body?.errcode, undefined, `${p}: ${r.text.slice(0, 200)}`);
        }
    }
    await dev.close();
});
