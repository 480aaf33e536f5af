// Mass sends: to everyone, a tag, an openid list, a preview; each follower reads the message
// in the chat, later followers do not, and the developer gets MASSSENDJOBFINISH.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useServer } from './lib/server.mjs';
import { client, newClientUser, wiredAccount } from './lib/messaging.mjs';

const h = useServer({ testClock: true });
const srv = () => h.srv;

async function world(n = 3) {
    const w = await wiredAccount(srv());
    const tok = (await srv().token(w.acct.appid, w.acct.secret)).access_token;
    const wire = (path, body) => srv().post(`${path}?access_token=${tok}`, body);
    const users = [];
    for (let i = 0; i < n; i++) {
        const u = await newClientUser(srv());
        u.openid = (await client.follow(srv(), u, w.acct.appid)).body.openid;
        await w.dev.next();
        users.push(u);
    }
    return { ...w, wire, users };
}

async function massIn(u, appid) {
    const r = await client.messages(srv(), u, appid);
    return r.body.messages.filter((m) => m.source === 'mass').map((m) => m.body.content);
}

test('sendall to everyone: each follower reads it, a later follower does not; MASSSENDJOBFINISH', async () => {
    const { acct, dev, wire, users } = await world();
    const r = await wire('/cgi-bin/message/mass/sendall', { filter: { is_to_all: true }, msgtype: 'text', text: { content: 'to all' } });
    assert.equal(r.body.errcode, 0, r.text);
    assert.ok(r.body.msg_id > 1000000000);
    for (const u of users) assert.deepEqual(await massIn(u, acct.appid), ['to all']);
    const fin = await dev.next();
    assert.equal(fin.msg.Event, 'MASSSENDJOBFINISH');
    assert.equal(fin.msg.MsgID, String(r.body.msg_id));
    assert.equal(fin.msg.Status, 'send success');
    assert.equal(fin.msg.TotalCount, '3');
    assert.equal(fin.msg.SentCount, '3');
    const late = await newClientUser(srv());
    await client.follow(srv(), late, acct.appid);
    assert.deepEqual(await massIn(late, acct.appid), []);
    const got = await wire('/cgi-bin/message/mass/get', { msg_id: r.body.msg_id });
    assert.deepEqual(got.body, { msg_id: r.body.msg_id, msg_status: 'SEND_SUCCESS' });
    assert.equal((await wire('/cgi-bin/message/mass/get', { msg_id: 42 })).body.errcode, 40059);
    await dev.close();
});

test('sendall to a tag, send to an openid list, preview', async () => {
    const { acct, dev, wire, users } = await world();
    const tag = await wire('/cgi-bin/tags/create', { tag: { name: 'vip' } });
    const tagid = tag.body.tag.id;
    assert.equal((await wire('/cgi-bin/tags/members/batchtagging', { openid_list: [users[0].openid], tagid })).body.errcode, 0);
    assert.equal((await wire('/cgi-bin/message/mass/sendall', { filter: { is_to_all: false, tag_id: tagid }, msgtype: 'text', text: { content: 'vip only' } })).body.errcode, 0);
    assert.deepEqual(await massIn(users[0], acct.appid), ['vip only']);
    assert.deepEqual(await massIn(users[1], acct.appid), []);
    assert.equal((await wire('/cgi-bin/message/mass/sendall', { filter: { is_to_all: false, tag_id: 99999 }, msgtype: 'text', text: { content: 'x' } })).body.errcode, 45159);

    const list = await wire('/cgi-bin/message/mass/send', { touser: [users[1].openid, users[2].openid], msgtype: 'text', text: { content: 'listed' } });
    assert.equal(list.body.errcode, 0, list.text);
    assert.deepEqual(await massIn(users[0], acct.appid), ['vip only']);
    assert.deepEqual(await massIn(users[1], acct.appid), ['listed']);
    assert.deepEqual(await massIn(users[2], acct.appid), ['listed']);
    assert.equal((await wire('/cgi-bin/message/mass/send', { touser: [users[1].openid], msgtype: 'text', text: { content: 'x' } })).body.errcode, 40130);

    const pv = await wire('/cgi-bin/message/mass/preview', { touser: users[2].openid, msgtype: 'text', text: { content: 'preview' } });
    assert.equal(pv.body.errcode, 0, pv.text);
    assert.deepEqual(await massIn(users[2], acct.appid), ['listed', 'preview']);
    const byName = await wire('/cgi-bin/message/mass/preview', { towxname: users[1].username, msgtype: 'text', text: { content: 'by name' } });
    assert.equal(byName.body.errcode, 0, byName.text);
    assert.deepEqual(await massIn(users[1], acct.appid), ['listed', 'by name']);
    await dev.close();
});

test('clientmsgid makes a send idempotent for 24 hours; bad input; speed', async () => {
    const { acct, dev, wire, users } = await world(1);
    const body = { filter: { is_to_all: true }, msgtype: 'text', text: { content: 'once' }, clientmsgid: 'c-1' };
    const a = await wire('/cgi-bin/message/mass/sendall', body);
    const b = await wire('/cgi-bin/message/mass/sendall', body);
    assert.equal(b.body.errcode, 45065);
    assert.equal(b.body.msg_id, a.body.msg_id);
    assert.deepEqual(await massIn(users[0], acct.appid), ['once']);
    assert.equal((await wire('/cgi-bin/message/mass/delete', { msg_id: a.body.msg_id })).body.errcode, 40059);
    assert.equal((await wire('/cgi-bin/message/mass/sendall', { filter: { is_to_all: true }, msgtype: 'video', video: {} })).body.errcode, 40008);
    assert.equal((await wire('/cgi-bin/message/mass/sendall', { msgtype: 'text', text: { content: 'x' } })).body.errcode, 47003);
    assert.equal((await wire('/cgi-bin/message/mass/sendall', { filter: { is_to_all: true }, msgtype: 'mpnews', mpnews: { media_id: 'nope' } })).body.errcode, 40007);
    assert.equal((await wire('/cgi-bin/message/mass/speed/set', { speed: 3 })).body.errcode, 0);
    assert.deepEqual((await wire('/cgi-bin/message/mass/speed/get', {})).body, { speed: 3, realspeed: 30 });
    assert.equal((await wire('/cgi-bin/message/mass/speed/set', { speed: 9 })).body.errcode, 47003);
    await dev.close();
});

test('an mpnews mass send shows its articles in the chat', async () => {
    const { acct, dev, wire, users } = await world(1);
    const tok = (await srv().token(acct.appid, acct.secret)).access_token;
    const jpeg = Buffer.alloc(600, 7);
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]).copy(jpeg);
    const boundary = 'b0undary';
    const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="t.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
        jpeg,
        Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const thumb = await srv().request('POST', `/cgi-bin/material/add_material?access_token=${tok}&type=thumb`, {
        body,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    assert.ok(thumb.body.media_id, thumb.text);
    const news = await wire('/cgi-bin/material/add_news', {
        articles: [{ title: 'Big news', thumb_media_id: thumb.body.media_id, author: 'ed', digest: 'short', content: '<p>long</p>' }],
    });
    assert.ok(news.body.media_id, news.text);
    const r = await wire('/cgi-bin/message/mass/sendall', { filter: { is_to_all: true }, msgtype: 'mpnews', mpnews: { media_id: news.body.media_id }, send_ignore_reprint: 0 });
    assert.equal(r.body.errcode, 0, r.text);
    assert.ok(r.body.msg_data_id);
    const chat = await client.messages(srv(), users[0], acct.appid);
    const m = chat.body.messages.find((x) => x.source === 'mass');
    assert.equal(m.msgtype, 'mpnews');
    assert.ok(m.body.articles, JSON.stringify(m));
    assert.equal(m.body.articles[0].title, 'Big news');
    assert.equal(m.body.articles[0].digest, 'short');
    assert.equal((await wire('/cgi-bin/message/mass/delete', { msg_id: r.body.msg_id })).body.errcode, 0);
    assert.equal((await wire('/cgi-bin/message/mass/get', { msg_id: r.body.msg_id })).body.msg_status, 'DELETE');
    const after = await client.messages(srv(), users[0], acct.appid);
    assert.equal(after.body.messages.filter((x) => x.source === 'mass').length, 0);
    await dev.close();
});

// ------------------------------------------------------------------ caps

/** moves the test clock to `secs` after the start of the next calendar month (UTC+8) */
async function toNextMonth(secs = 60) {
    const { now } = await srv().clock();
    const cst = new Date((now + 8 * 3600) * 1000);
    const start = Date.UTC(cst.getUTCFullYear(), cst.getUTCMonth() + 1, 1) / 1000 - 8 * 3600;
    await srv().advance(start - now + secs);
}

/** moves the test clock to `secs` after the start of the next day (UTC+8) */
async function toNextDay(secs = 60) {
    const { now } = await srv().clock();
    const start = (Math.floor((now + 8 * 3600) / 86400) + 1) * 86400 - 8 * 3600;
    await srv().advance(start - now + secs);
}

/** signs u in again (sessions last 30 days, a month can be 31) */
async function relogin(u) {
    const s = await srv().post('/client/v1/login', { username: u.username, password: 'pw-123456' });
    assert.equal(s.body?.errcode, 0, s.text);
    u.auth = { authorization: `Bearer ${s.body.session}` };
}

// A follower of a service account receives at most 4 mass messages a calendar month: the
// sends past that are accepted (errcode 0) but not delivered to them, and MASSSENDJOBFINISH
// counts them out of FilterCount and SentCount (TotalCount is still the whole audience).
// Previews do not count; the next month starts afresh.
test('service accounts: a follower receives at most 4 mass messages a month', async () => {
    await toNextMonth();
    const { acct, dev, wire, users } = await world(3);
    const [a, b, c] = users;
    const send = async (path, body, content) => {
        const r = await wire(`/cgi-bin/message/mass/${path}`, { ...body, msgtype: 'text', text: { content } });
        assert.equal(r.body.errcode, 0, r.text);
        const fin = (await dev.next()).msg;
        assert.equal(fin.MsgID, String(r.body.msg_id));
        return [fin.TotalCount, fin.FilterCount, fin.SentCount, fin.ErrorCount].map(Number);
    };
    const all = { filter: { is_to_all: true } };
    assert.deepEqual(await send('send', { touser: [a.openid, b.openid] }, 'm1'), [2, 2, 2, 0]);
    assert.deepEqual(await send('sendall', all, 'm2'), [3, 3, 3, 0]);
    assert.deepEqual(await send('sendall', all, 'm3'), [3, 3, 3, 0]);
    assert.deepEqual(await send('sendall', all, 'm4'), [3, 3, 3, 0]);
    // a and b have their 4; c has 3; d follows now and has none
    const d = await newClientUser(srv());
    d.openid = (await client.follow(srv(), d, acct.appid)).body.openid;
    await dev.next();
    assert.deepEqual(await send('sendall', all, 'm5'), [4, 2, 2, 0]);
    const tag = (await wire('/cgi-bin/tags/create', { tag: { name: 'capped' } })).body.tag.id;
    await wire('/cgi-bin/tags/members/batchtagging', { openid_list: [a.openid, d.openid], tagid: tag });
    assert.deepEqual(await send('sendall', { filter: { is_to_all: false, tag_id: tag } }, 'm6'), [2, 1, 1, 0]);
    const stranger = 'o'.repeat(28);
    assert.deepEqual(await send('send', { touser: [a.openid, c.openid, d.openid, stranger] }, 'm7'), [4, 2, 1, 1]);
    const pv = await wire('/cgi-bin/message/mass/preview', { touser: a.openid, msgtype: 'text', text: { content: 'pv' } });
    assert.equal(pv.body.errcode, 0, pv.text);

    assert.deepEqual(await massIn(a, acct.appid), ['m1', 'm2', 'm3', 'm4', 'pv']);
    assert.deepEqual(await massIn(b, acct.appid), ['m1', 'm2', 'm3', 'm4']);
    assert.deepEqual(await massIn(c, acct.appid), ['m2', 'm3', 'm4', 'm5']);
    assert.deepEqual(await massIn(d, acct.appid), ['m5', 'm6', 'm7']);

    await toNextMonth();
    for (const u of [a, b, c, d]) await relogin(u);
    const tok = (await srv().token(acct.appid, acct.secret)).access_token;
    const r = await srv().post(`/cgi-bin/message/mass/sendall?access_token=${tok}`, { ...all, msgtype: 'text', text: { content: 'next month' } });
    assert.equal(r.body.errcode, 0, r.text);
    const fin = (await dev.next()).msg;
    assert.deepEqual([fin.TotalCount, fin.FilterCount, fin.SentCount], ['4', '4', '4']);
    for (const u of [a, b, c, d]) assert.equal((await massIn(u, acct.appid)).at(-1), 'next month');
    await dev.close();
});

test('service accounts: the cap on sends to everyone counts each follower from when they followed', async () => {
    await toNextMonth();
    const { acct, dev, wire, users } = await world(2);
    const [a, b] = users;
    const send = async (filter, content) => {
        const r = await wire('/cgi-bin/message/mass/sendall', { filter, msgtype: 'text', text: { content } });
        assert.equal(r.body.errcode, 0, r.text);
        const fin = (await dev.next()).msg;
        return [fin.TotalCount, fin.FilterCount, fin.SentCount, fin.ErrorCount].map(Number);
    };
    const all = { is_to_all: true };
    assert.deepEqual(await send(all, 's1'), [2, 2, 2, 0]);
    assert.deepEqual(await send(all, 's2'), [2, 2, 2, 0]);
    const c = await newClientUser(srv());
    c.openid = (await client.follow(srv(), c, acct.appid)).body.openid;
    await dev.next();
    assert.deepEqual(await send(all, 's3'), [3, 3, 3, 0]);
    assert.deepEqual(await send(all, 's4'), [3, 3, 3, 0]);
    assert.deepEqual(await send(all, 's5'), [3, 1, 1, 0]);
    const tag = (await wire('/cgi-bin/tags/create', { tag: { name: 'late' } })).body.tag.id;
    await wire('/cgi-bin/tags/members/batchtagging', { openid_list: [a.openid, c.openid], tagid: tag });
    assert.deepEqual(await send({ is_to_all: false, tag_id: tag }, 's6'), [2, 1, 1, 0]);
    assert.deepEqual(await send(all, 's7'), [3, 0, 0, 0]);
    assert.deepEqual(await massIn(a, acct.appid), ['s1', 's2', 's3', 's4']);
    assert.deepEqual(await massIn(b, acct.appid), ['s1', 's2', 's3', 's4']);
    assert.deepEqual(await massIn(c, acct.appid), ['s3', 's4', 's5', 's6']);
    await dev.close();
});

// A subscription account makes one mass send a day (sendall or send); the next that day is
// refused with 45028. Previews are not sends.
test('subscription accounts: one mass send a day, then 45028', async () => {
    const acct = await srv().createAccount({ type: 'subscription', verified: true });
    const tok = async () => (await srv().token(acct.appid, acct.secret)).access_token;
    let t = await tok();
    const wire = (path, body) => srv().post(`/cgi-bin/message/mass/${path}?access_token=${t}`, { ...body, msgtype: 'text', text: { content: path } });
    const users = [];
    for (let i = 0; i < 2; i++) {
        const u = await newClientUser(srv());
        u.openid = (await client.follow(srv(), u, acct.appid)).body.openid;
        users.push(u);
    }
    await toNextDay();
    t = await tok();
    const first = await wire('sendall', { filter: { is_to_all: true } });
    assert.equal(first.body.errcode, 0, first.text);
    const again = await wire('sendall', { filter: { is_to_all: true } });
    assert.deepEqual([again.body.errcode, again.body.errmsg], [45028, 'has no masssend quota']);
    assert.equal((await wire('send', { touser: users.map((u) => u.openid) })).body.errcode, 45028);
    assert.equal((await wire('preview', { touser: users[0].openid })).body.errcode, 0);
    assert.deepEqual(await massIn(users[0], acct.appid), ['sendall', 'preview']);
    await toNextDay();
    t = await tok();
    assert.equal((await wire('send', { touser: users.map((u) => u.openid) })).body.errcode, 0);
    assert.equal((await wire('sendall', { filter: { is_to_all: true } })).body.errcode, 45028);
    assert.deepEqual(await massIn(users[1], acct.appid), ['sendall', 'send']);
});
