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
    const metrics = (await srv().get('/metrics')).text;
    const delivered = /^lianjie_pushes_total\{result="delivered"\} (\d+)$/m.exec(metrics);
    assert.ok(delivered && Number(delivered[1]) >= 1, 'metrics count delivered pushes');
    assert.match(metrics, /^lianjie_push_attempts_total \d+$/m);
    await dev.close();
});

describe('customer-service messages', () => {
    async function setup() {
        const { acct, dev } = await wiredAccount(srv());
        const u = await newClientUser(srv());
        const f = await client.follow(srv(), u, acct.appid);
        const tok = (await srv().token(acct.appid, acct.secret)).access_token;
        const send = (body) => srv().post(`/cgi-bin/message/custom/send?access_token=${tok}`, body);
        return { acct, dev, u, openid: f.body.openid, tok, send };
    }

    test('the 48-hour window: 5 messages after a user message, then 45047; closed after 48 h', async () => {
        const { acct, dev, u, openid, send } = await setup();
        // follow opened a short window of 3
        for (let i = 0; i < 3; i++)
            assert.equal((await send({ touser: openid, msgtype: 'text', text: { content: `f${i}` } })).body.errcode, 0);
        assert.equal((await send({ touser: openid, msgtype: 'text', text: { content: 'x' } })).body.errcode, 45047);
        await client.text(srv(), u, acct.appid, 'hi');
        for (let i = 0; i < 5; i++) {
            const r = await send({ touser: openid, msgtype: 'text', text: { content: `m${i}` } });
            assert.equal(r.body.errcode, 0, r.text);
        }
        assert.equal((await send({ touser: openid, msgtype: 'text', text: { content: 'x' } })).body.errcode, 45047);
        const chat = await client.messages(srv(), u, acct.appid);
        const custom = chat.body.messages.filter((m) => m.source === 'custom').map((m) => m.body.content);
        assert.deepEqual(custom, ['f0', 'f1', 'f2', 'm0', 'm1', 'm2', 'm3', 'm4']);
        await client.text(srv(), u, acct.appid, 'again');
        await srv().advance(48 * 3600 + 1);
        const tok2 = (await srv().token(acct.appid, acct.secret)).access_token;
        const send2 = (body) => srv().post(`/cgi-bin/message/custom/send?access_token=${tok2}`, body);
        assert.equal((await send2({ touser: openid, msgtype: 'text', text: { content: 'late' } })).body.errcode, 45015);
        await dev.close();
    });

    test('every msgtype is checked; errors for strangers, non-followers and bad input', async () => {
        const { acct, dev, u, openid, send } = await setup();
        await client.text(srv(), u, acct.appid, 'hi');
        assert.equal((await send({ touser: openid, msgtype: 'image', image: { media_id: 'MEDIA1' } })).body.errcode, 40007);
        const ok = [
            { msgtype: 'news', news: { articles: [{ title: 'T', description: 'D', url: 'http://x', picurl: 'http://p' }] } },
            { msgtype: 'mpnewsarticle', mpnewsarticle: { article_id: 'A1' } },
        ];
        for (const m of ok) assert.equal((await send({ touser: openid, ...m })).body.errcode, 0, JSON.stringify(m));
        assert.equal((await send({ touser: openid, msgtype: 'bogus', bogus: {} })).body.errcode, 40008);
        assert.equal((await send({ touser: openid, msgtype: 'text', text: {} })).body.errcode, 44004);
        assert.equal((await send({ touser: openid, msgtype: 'text', text: { content: 'x'.repeat(3000) } })).body.errcode, 45002);
        assert.equal((await send({ touser: openid, msgtype: 'news', news: { articles: [{ title: 'a' }, { title: 'b' }] } })).body.errcode, 45008);
        assert.equal((await send({ touser: 'o' + 'x'.repeat(27), msgtype: 'text', text: { content: 'x' } })).body.errcode, 40003);
        assert.equal((await send({ msgtype: 'text', text: { content: 'x' } })).body.errcode, 40003);
        assert.equal((await send('not json')).body.errcode, 47001);
        await client.unfollow(srv(), u, acct.appid);
        assert.equal((await send({ touser: openid, msgtype: 'text', text: { content: 'x' } })).body.errcode, 43004);
        await dev.close();
    });

    test('typing needs an interaction in the last 30 seconds and is not repeated', async () => {
        const { acct, dev, u, openid, tok } = await setup();
        const typing = (command) =>
            srv().post(`/cgi-bin/message/custom/typing?access_token=${tok}`, { touser: openid, command });
        await client.text(srv(), u, acct.appid, 'hi');
        assert.equal((await typing('Typing')).body.errcode, 0);
        assert.equal((await typing('Typing')).body.errcode, 45081);
        assert.equal((await typing('CancelTyping')).body.errcode, 0);
        await srv().advance(31);
        assert.equal((await typing('Typing')).body.errcode, 45080);
        assert.equal((await typing('Dance')).body.errcode, 47003);
        await dev.close();
    });
});

test('an image from the user becomes the account\'s temporary media with a public PicUrl', async () => {
    const { acct, dev } = await wiredAccount(srv());
    const u = await newClientUser(srv());
    await client.follow(srv(), u, acct.appid);
    await dev.next();
    const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
        'base64',
    );
    const s = await client.send(srv(), u, acct.appid, { msgtype: 'image', file: png.toString('base64'), filename: 'dot.png' });
    assert.equal(s.body.errcode, 0, s.text);
    const p = await dev.next();
    assert.equal(p.msg.MsgType, 'image');
    assert.ok(p.msg.MediaId);
    const pic = await fetch(p.msg.PicUrl);
    assert.equal(pic.status, 200);
    assert.deepEqual(Buffer.from(await pic.arrayBuffer()), png);
    const tok = (await srv().token(acct.appid, acct.secret)).access_token;
    const got = await srv().fetch(`/cgi-bin/media/get?access_token=${tok}&media_id=${p.msg.MediaId}`);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), png);
    const bad = await client.send(srv(), u, acct.appid, { msgtype: 'image', file: '!!notbase64!!' });
    assert.equal(bad.body.errcode, 47003);
    const txt = await client.send(srv(), u, acct.appid, { msgtype: 'image', file: Buffer.from('hello').toString('base64') });
    assert.notEqual(txt.body.errcode, 0);
    await dev.close();
});
