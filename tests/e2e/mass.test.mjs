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
