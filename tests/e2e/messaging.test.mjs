// Messaging: follow and messages reach the developer's server as WeChat pushes them, in
// every mode, and its passive replies reach the user's chat.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useServer } from './lib/server.mjs';
import { client, newClientUser, nextFromAccount, pushes, wiredAccount } from './lib/messaging.mjs';

const h = useServer({ testClock: true });
const srv = () => h.srv;

for (const mode of ['plaintext', 'compatible', 'safe']) {
    describe(`${mode} mode`, () => {
        test('follow pushes subscribe; a text message is pushed and the reply reaches the chat', async () => {
            const { acct, dev } = await wiredAccount(srv(), mode);
            const u = await newClientUser(srv());
            dev.reply = (msg) => (msg.MsgType === 'text' ? dev.text(msg, `echo: ${msg.Content}`) : null);
            const f = await client.follow(srv(), u, acct.appid);
            assert.equal(f.body.errcode, 0, f.text);
            assert.equal(f.body.followed_now, true);
            const sub = await dev.next();
            assert.equal(sub.msg.MsgType, 'event');
            assert.equal(sub.msg.Event, 'subscribe');
            assert.equal(sub.msg.ToUserName, acct.original_id);
            assert.equal(sub.msg.FromUserName, f.body.openid);
            assert.equal(sub.q.openid, f.body.openid);
            assert.match(sub.msg.CreateTime, /^\d{10}$/);
            if (mode === 'plaintext') assert.equal(sub.q.encrypt_type, undefined);
            else assert.equal(sub.q.encrypt_type, 'aes');
            if (mode === 'compatible') assert.equal(sub.msg._plainBody.Event, 'subscribe');
            if (mode === 'safe') assert.equal(sub.msg._plainBody.Event, undefined);

            const s = await client.text(srv(), u, acct.appid, 'hello <b> ]]> 你好');
            assert.equal(s.body.errcode, 0, s.text);
            const push = await dev.next();
            assert.equal(push.msg.MsgType, 'text');
            assert.ok(push.msg.Content.startsWith('hello <b> ]]'), push.body);
            assert.match(push.msg.MsgId, /^\d{17}$/);
            const reply = await nextFromAccount(srv(), u, acct.appid, s.body.message_id);
            assert.equal(reply.msgtype, 'text');
            assert.equal(reply.source, 'reply');
            assert.ok(reply.body.content.startsWith('echo: hello'));
            await dev.close();
        });
    });
}

test('server URL verification refuses a URL that does not echo', async () => {
    const acct = await srv().createAccount({ type: 'service', verified: true });
    const r = await srv().op('POST', '/admin/v1/accounts/server', {
        appid: acct.appid,
        url: 'http://127.0.0.1:1/none',
        token: 'abc123',
    });
    assert.equal(r.status, 400);
    assert.match(r.body.errmsg, /verification failed/);
});

test('every attempt is in the push log', async () => {
    const { acct, dev } = await wiredAccount(srv());
    const u = await newClientUser(srv());
    await client.follow(srv(), u, acct.appid);
    await dev.next();
    let log;
    for (let i = 0; i < 50; i++) {
        log = await pushes(srv(), acct.appid);
        if (log[0]?.state === 'delivered') break;
        await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(log[0].kind, 'subscribe');
    assert.equal(log[0].state, 'delivered');
    assert.equal(log[0].attempts.length, 1);
    assert.equal(log[0].attempts[0].http_status, 200);
    assert.equal(log[0].attempts[0].outcome, 'no_reply');
    await dev.close();
});
