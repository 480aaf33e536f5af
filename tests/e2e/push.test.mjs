// Push delivery and passive replies as a developer's server sees them (spec/messaging.md
// §1–§6): the exact XML of every inbound message and event in each mode with its signatures
// and encryption, retries and the failure notice, every kind of passive reply, changing an
// account's server settings, and bad input on the client API. Independent scenarios use
// their own accounts and run concurrently, so the timeouts overlap.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectErr, useServer } from './lib/server.mjs';
import { cdata, closeDevServers, parseXml, randomAesKey, sha1Sorted, startDevServer, xmlShape } from './lib/devserver.mjs';
import {
    FAILURE_NOTICE,
    accountMessages,
    client,
    newClientUser,
    nextFromAccount,
    pushes,
    samples,
    setServer,
    settled,
    uploadMedia,
    wireToken,
    wiredAccount,
} from './lib/messaging.mjs';

const h = useServer();
after(closeDevServers);
const srv = () => h.srv;
const MODES = ['plaintext', 'compatible', 'safe'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ shapes of pushes

const HEAD = ['ToUserName:s', 'FromUserName:s', 'CreateTime:n', 'MsgType:s'];
const EVENT = [...HEAD, 'Event:s'];
const SHAPE = {
    text: [...HEAD, 'Content:s', 'MsgId:n'],
    location: [...HEAD, 'Location_X:n', 'Location_Y:n', 'Scale:n', 'Label:s', 'MsgId:n'],
    link: [...HEAD, 'Title:s', 'Description:s', 'Url:s', 'MsgId:n'],
    image: [...HEAD, 'PicUrl:s', 'MediaId:s', 'MsgId:n'],
    voice: [...HEAD, 'MediaId:s', 'Format:s', 'MsgId:n'],
    video: [...HEAD, 'MediaId:s', 'ThumbMediaId:s', 'MsgId:n'],
    keyed: [...EVENT, 'EventKey:s'], // subscribe, unsubscribe, CLICK, VIEW (default menu)
    ticket: [...EVENT, 'EventKey:s', 'Ticket:s'], // subscribe by QR code, SCAN
    LOCATION: [...EVENT, 'Latitude:n', 'Longitude:n', 'Precision:n'],
    scancode: [...EVENT, 'EventKey:s', { ScanCodeInfo: ['ScanType:s', 'ScanResult:s'] }],
    pics: (n) => [
        ...EVENT,
        'EventKey:s',
        { SendPicsInfo: ['Count:n', { PicList: Array(n).fill({ item: ['PicMd5Sum:s'] }) }] },
    ],
    location_select: [
        ...EVENT,
        'EventKey:s',
        { SendLocationInfo: ['Location_X:s', 'Location_Y:s', 'Scale:s', 'Label:s', 'Poiname:s'] },
    ],
};

const MENU = {
    button: [
        { type: 'click', name: 'Today', key: 'K_CLICK' },
        {
            name: 'Scan',
            sub_button: [
                { type: 'view', name: 'Site', url: 'http://example.com/x' },
                { type: 'scancode_push', name: 'Push', key: 'K_SP' },
                { type: 'scancode_waitmsg', name: 'Wait', key: 'K_SW' },
                { type: 'location_select', name: 'Where', key: 'K_LOC' },
            ],
        },
        {
            name: 'Photo',
            sub_button: [
                { type: 'pic_sysphoto', name: 'Camera', key: 'K_PS' },
                { type: 'pic_photo_or_album', name: 'Album', key: 'K_PA' },
                { type: 'pic_weixin', name: 'WeChat', key: 'K_PW' },
            ],
        },
    ],
};

/** what a tap on each kind of button of MENU sends (client API) */
const TAPS = {
    CLICK: { type: 'click', key: 'K_CLICK' },
    VIEW: { type: 'view', url: 'http://example.com/x' },
    scancode_push: { type: 'scancode_push', key: 'K_SP', scan: { type: 'barcode', result: '6901234567892' } },
    scancode_waitmsg: { type: 'scancode_waitmsg', key: 'K_SW', scan: { type: 'qrcode', result: 'https://example.com/?a=1&b=<2>' } },
    pic_sysphoto: { type: 'pic_sysphoto', key: 'K_PS', pics: ['a'.repeat(32)] },
    pic_photo_or_album: { type: 'pic_photo_or_album', key: 'K_PA', pics: ['b'.repeat(32), 'c'.repeat(32)] },
    pic_weixin: { type: 'pic_weixin', key: 'K_PW', pics: ['d'.repeat(32), 'e'.repeat(32), 'f'.repeat(32)] },
    location_select: {
        type: 'location_select',
        key: 'K_LOC',
        location: { latitude: 23.137466, longitude: 113.352425, label: '广州市海珠区', poiname: '广州塔' },
    },
};

const tap = (u, appid, body) => srv().post('/client/v1/menu/click', { appid, ...body }, { headers: u.auth });

/** an account with MENU and a scene QR code, wired to a DevServer in mode */
async function menuAccount(mode, extra = {}) {
    const w = await wiredAccount(srv(), mode, extra);
    const tok = await wireToken(srv(), w.acct);
    const wire = (p, body) => srv().post(`${p}?access_token=${tok}`, body);
    const m = await wire('/cgi-bin/menu/create', MENU);
    assert.equal(m.body.errcode, 0, m.text);
    const qr = await wire('/cgi-bin/qrcode/create', {
        expire_seconds: 600,
        action_name: 'QR_SCENE',
        action_info: { scene: { scene_id: 4242 } },
    });
    assert.ok(qr.body.ticket, qr.text);
    return { ...w, tok, wire, qr: qr.body };
}

/** the Encrypt element of a push body */
const encryptOf = (body) => /<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/.exec(body)?.[1];

/**
 * Checks how a push travelled in `mode`: the query (signature, msg_signature, openid),
 * the Content-Type, and the body around the message XML.
 */
function checkTransport(rec, mode, w, openid) {
    const { q, body, xml } = rec;
    assert.match(rec.headers['content-type'], /^text\/xml/);
    assert.match(q.timestamp, /^\d{10}$/);
    assert.match(q.nonce, /^\d+$/);
    assert.equal(q.signature, sha1Sorted([w.token, q.timestamp, q.nonce]));
    assert.equal(q.openid, openid);
    if (mode === 'plaintext') {
        assert.equal(q.encrypt_type, undefined);
        assert.equal(q.msg_signature, undefined);
        assert.equal(body, xml);
        return;
    }
    const enc = encryptOf(body);
    assert.ok(enc, body);
    assert.equal(q.encrypt_type, 'aes');
    assert.equal(q.msg_signature, sha1Sorted([w.token, q.timestamp, q.nonce, enc]));
    assert.equal(rec.receiveId, w.acct.appid);
    if (mode === 'compatible') {
        // the plaintext part is the decrypted message, with Encrypt added before </xml>
        assert.equal(body.replace(`<Encrypt><![CDATA[${enc}]]></Encrypt>`, ''), xml);
        assert.ok(body.endsWith(`<Encrypt><![CDATA[${enc}]]></Encrypt></xml>`), body);
    } else {
        assert.deepEqual(xmlShape(body), ['ToUserName:s', 'Encrypt:s']);
        assert.equal(parseXml(body).ToUserName, w.acct.original_id);
    }
}

/** the next push of w.dev: checks transport, common elements, layout and values */
async function expectPush(w, mode, openid, shape, values) {
    const rec = await w.dev.next();
    checkTransport(rec, mode, w, openid);
    assert.deepEqual(xmlShape(rec.xml), shape, rec.xml);
    assert.equal(rec.msg.ToUserName, w.acct.original_id);
    assert.equal(rec.msg.FromUserName, openid);
    assert.ok(Math.abs(Number(rec.msg.CreateTime) - Date.now() / 1000) < 120, rec.msg.CreateTime);
    for (const [k, v] of Object.entries(values)) assert.deepEqual(rec.msg[k], v, `${k} in ${rec.xml}`);
    return rec;
}

const b64 = (x) => x.data.toString('base64');

/** bytes of GET url (a path on lianjie, or a full URL) */
async function bytesOf(url) {
    const res = url.startsWith('http') ? await fetch(url) : await srv().fetch(url);
    assert.equal(res.status, 200, url);
    return Buffer.from(await res.arrayBuffer());
}

/** image, voice and video from the user: pushed with media ids the developer can fetch */
async function mediaMessages(w, mode, u, openid) {
    const appid = w.acct.appid;
    const media = (id) => `/cgi-bin/media/get?access_token=${w.tok}&media_id=${encodeURIComponent(id)}`;
    const [image, voice, video, thumb] = [samples.image(), samples.voice(), samples.video(), samples.thumb()];
    const send = async (msg) => {
        const r = await client.send(srv(), u, appid, msg);
        assert.equal(r.body.errcode, 0, r.text);
    };
    await send({ msgtype: 'image', file: b64(image), filename: image.filename });
    const i = await expectPush(w, mode, openid, SHAPE.image, { MsgType: 'image' });
    assert.deepEqual(await bytesOf(i.msg.PicUrl), image.data);
    assert.deepEqual(await bytesOf(media(i.msg.MediaId)), image.data);
    await send({ msgtype: 'voice', file: b64(voice), filename: voice.filename });
    const v = await expectPush(w, mode, openid, SHAPE.voice, { MsgType: 'voice', Format: 'amr' });
    assert.deepEqual(await bytesOf(media(v.msg.MediaId)), voice.data);
    await send({ msgtype: 'video', file: b64(video), thumb: b64(thumb), filename: video.filename });
    const d = await expectPush(w, mode, openid, SHAPE.video, { MsgType: 'video' });
    assert.ok(d.msg.MediaId);
    assert.deepEqual(await bytesOf(media(d.msg.ThumbMediaId)), thumb.data);
    return [i, v, d];
}

describe('every inbound message and event, in each mode', { concurrency: true }, () => {
    for (const mode of MODES) {
        test(`${mode}: the exact XML, signatures and encryption of each push`, async () => {
            const w = await menuAccount(mode, { location_report: 1 });
            const { acct, dev } = w;
            const appid = acct.appid;
            const u = await newClientUser(srv());
            const f = await client.follow(srv(), u, appid);
            assert.equal(f.body.errcode, 0, f.text);
            const openid = f.body.openid;
            await expectPush(w, mode, openid, SHAPE.keyed, { MsgType: 'event', Event: 'subscribe', EventKey: '' });

            // messages: values as sent, MsgId as the chat shows it
            const content = 'hello <b>&amp;</b> ]]> 你好 😀\nsecond line';
            const s = await client.text(srv(), u, appid, content);
            assert.equal(s.body.errcode, 0, s.text);
            const t = await expectPush(w, mode, openid, SHAPE.text, { MsgType: 'text', Content: content });
            const chat = await client.messages(srv(), u, appid);
            const msgid = new RegExp(`"id":${s.body.message_id},"from":"user"[\\s\\S]*?"msgid":"?(\\d+)`).exec(chat.text)?.[1];
            assert.equal(t.msg.MsgId, msgid, 'the chat and the push name the message alike');
            const loc = { latitude: 23.134521, longitude: 113.358803, scale: 20, label: '广州市海珠区新港中路397号' };
            assert.equal((await client.send(srv(), u, appid, { msgtype: 'location', location: loc })).body.errcode, 0);
            const l = await expectPush(w, mode, openid, SHAPE.location, { MsgType: 'location', Scale: '20', Label: loc.label });
            assert.equal(Number(l.msg.Location_X), loc.latitude);
            assert.equal(Number(l.msg.Location_Y), loc.longitude);
            const link = { title: '公众平台官网链接', description: 'a <description> & more', url: 'https://example.com/a?b=1&c=2' };
            assert.equal((await client.send(srv(), u, appid, { msgtype: 'link', link })).body.errcode, 0);
            const k = await expectPush(w, mode, openid, SHAPE.link, {
                MsgType: 'link',
                Title: link.title,
                Description: link.description,
                Url: link.url,
            });
            const media = await mediaMessages(w, mode, u, openid);
            assert.equal(new Set([t, l, k, ...media].map((r) => r.msg.MsgId)).size, 6, 'MsgIds differ');

            // menu events
            const ev = (Event, rest = {}) => ({ MsgType: 'event', Event, ...rest });
            const taps = [
                ['CLICK', SHAPE.keyed, { EventKey: 'K_CLICK' }],
                ['VIEW', SHAPE.keyed, { EventKey: 'http://example.com/x' }],
                ['scancode_push', SHAPE.scancode, { EventKey: 'K_SP', ScanCodeInfo: { ScanType: 'barcode', ScanResult: '6901234567892' } }],
                ['scancode_waitmsg', SHAPE.scancode, { EventKey: 'K_SW', ScanCodeInfo: { ScanType: 'qrcode', ScanResult: TAPS.scancode_waitmsg.scan.result } }],
                ['pic_sysphoto', SHAPE.pics(1), { EventKey: 'K_PS' }],
                ['pic_photo_or_album', SHAPE.pics(2), { EventKey: 'K_PA' }],
                ['pic_weixin', SHAPE.pics(3), { EventKey: 'K_PW' }],
                ['location_select', SHAPE.location_select, { EventKey: 'K_LOC' }],
            ];
            for (const [event, shape, values] of taps) {
                const r = await tap(u, appid, TAPS[event]);
                assert.equal(r.body.errcode, 0, `${event}: ${r.text}`);
                const p = await expectPush(w, mode, openid, shape, ev(event, values));
                if (event.startsWith('pic_')) {
                    const pics = TAPS[event].pics;
                    assert.equal(p.msg.SendPicsInfo.Count, String(pics.length));
                    assert.deepEqual(p.msg.SendPicsInfo.PicList.item.map((i) => i.PicMd5Sum), pics);
                }
                if (event === 'location_select') {
                    const i = p.msg.SendLocationInfo;
                    assert.deepEqual([Number(i.Location_X), Number(i.Location_Y), i.Label, i.Poiname], [23.137466, 113.352425, '广州市海珠区', '广州塔']);
                    assert.match(i.Scale, /^\d+$/);
                }
            }

            // a location report, a scan by a follower, unsubscribe
            const rep = { latitude: 23.137466, longitude: 113.352425, precision: 119.38504 };
            assert.equal((await srv().post('/client/v1/location', { appid, ...rep }, { headers: u.auth })).body.errcode, 0);
            const lr = await expectPush(w, mode, openid, SHAPE.LOCATION, ev('LOCATION'));
            assert.deepEqual([lr.msg.Latitude, lr.msg.Longitude].map(Number), [rep.latitude, rep.longitude]);
            assert.equal(Number(lr.msg.Precision), rep.precision);
            const scan = await srv().post('/client/v1/scan', { url: w.qr.url }, { headers: u.auth });
            assert.equal(scan.body.followed_now, false, scan.text);
            await expectPush(w, mode, openid, SHAPE.ticket, ev('SCAN', { EventKey: '4242', Ticket: w.qr.ticket }));
            assert.equal((await client.unfollow(srv(), u, appid)).body.errcode, 0);
            await expectPush(w, mode, openid, SHAPE.keyed, ev('unsubscribe', { EventKey: '' }));

            // a new user who follows by scanning the code
            const v = await newClientUser(srv());
            const vs = await srv().post('/client/v1/scan', { ticket: w.qr.ticket }, { headers: v.auth });
            assert.equal(vs.body.followed_now, true, vs.text);
            await expectPush(w, mode, vs.body.openid, SHAPE.ticket, ev('subscribe', { EventKey: 'qrscene_4242', Ticket: w.qr.ticket }));
            assert.deepEqual(dev.rejected, []);
            await dev.close();
        });
    }
});

test('the chat gives a JavaScript client the exact MsgId of a message', async () => {
    const w = await wiredAccount(srv());
    const u = await newClientUser(srv());
    await client.follow(srv(), u, w.acct.appid);
    const s = await client.text(srv(), u, w.acct.appid, 'which id?');
    const push = [await w.dev.next(), await w.dev.next()].find((r) => r.msg.MsgType === 'text');
    await w.dev.close();
    const mine = (await client.messages(srv(), u, w.acct.appid)).body.messages.find((m) => m.id === s.body.message_id);
    assert.ok(typeof mine.msgid === 'string' || Number.isSafeInteger(mine.msgid), `msgid ${push.msg.MsgId} as a JSON number`);
    assert.equal(String(mine.msgid), push.msg.MsgId);
});

test('a video push always names a ThumbMediaId the developer can fetch', async () => {
    const w = await wiredAccount(srv());
    const tok = await wireToken(srv(), w.acct);
    const u = await newClientUser(srv());
    await client.follow(srv(), u, w.acct.appid);
    await w.dev.next();
    const r = await client.send(srv(), u, w.acct.appid, { msgtype: 'video', file: b64(samples.video()) });
    if (r.body.errcode !== 0) {
        await w.dev.close();
        expectErr(r, r.body.errcode, 400); // refusing a video without its thumbnail is fine too
        return;
    }
    const p = await w.dev.next();
    await w.dev.close();
    assert.ok(p.msg.ThumbMediaId, p.xml);
    await bytesOf(`/cgi-bin/media/get?access_token=${tok}&media_id=${encodeURIComponent(p.msg.ThumbMediaId)}`);
});

// ------------------------------------------------------------------ retries

/**
 * An account in mode with a follower whose subscribe push is done (answered by
 * opts.onSubscribe(dev, msg)); say() sends a text.
 */
async function talker(mode = 'plaintext', opts = {}) {
    const w = await wiredAccount(srv(), mode);
    const appid = w.acct.appid;
    if (opts.onSubscribe) w.dev.reply = (m) => opts.onSubscribe(w.dev, m);
    const u = await newClientUser(srv());
    const f = await client.follow(srv(), u, appid);
    assert.equal(f.body.errcode, 0, f.text);
    await w.dev.next();
    await settled(srv(), appid, (p) => p.kind === 'subscribe');
    let n = 0;
    /** sends a text answered by reply; waits until its push settled: {sent, push, shown} */
    const say = async (reply, content = `message ${++n} ${Math.random()}`) => {
        w.dev.reply = reply;
        const sent = await client.text(srv(), u, appid, content);
        assert.equal(sent.body.errcode, 0, sent.text);
        const push = await settled(srv(), appid, (p) => p.kind === 'text' && p.xml.includes(content));
        const shown = await accountMessages(srv(), u, appid, sent.body.message_id);
        return { sent, push, shown };
    };
    return { ...w, appid, u, openid: f.body.openid, say };
}

/** the push of one message that ends in the failure notice after three failed attempts */
function assertFailedThrice(push, outcome, httpStatus) {
    assert.equal(push.state, 'failed');
    assert.equal(push.attempt_count, 3);
    assert.deepEqual(push.attempts.map((a) => [a.attempt, a.outcome, a.http_status]), [1, 2, 3].map((i) => [i, outcome, httpStatus]));
    for (const a of push.attempts) {
        assert.equal(a.request, push.xml, 'the request body of a plaintext push is its XML');
        assert.match(a.url, /[?&]signature=[0-9a-f]{40}&timestamp=\d{10}&nonce=\d+&openid=/);
        assert.ok(a.detail, 'a reason is given');
        assert.ok(a.started_at > 0 && a.duration_ms >= 0);
    }
}

function assertNoticeOnly(shown) {
    assert.deepEqual(
        shown.map((m) => [m.source, m.msgtype, m.body]),
        [['system', 'text', { content: FAILURE_NOTICE }]],
    );
}

describe('retries', { concurrency: true }, () => {
    test('a server that times out twice gets 3 attempts with the same MsgId and CreateTime; the reply of the 3rd reaches the user', async () => {
        const t = await talker('compatible');
        const sealed = [];
        t.dev.failNext = 2;
        const sending = t.say((m) => {
            const out = t.dev.seal(t.dev.text(m, 'third time lucky'));
            sealed.push(out);
            return { raw: out };
        });
        const recs = [await t.dev.next(), await t.dev.next(), await t.dev.next()];
        const { push, shown } = await sending;
        assert.equal(new Set(recs.map((r) => r.msg.MsgId)).size, 1);
        assert.equal(new Set(recs.map((r) => r.msg.CreateTime)).size, 1);
        assert.equal(new Set(recs.map((r) => r.xml)).size, 1, 'the same message each time');
        assert.ok(recs[1].at - recs[0].at >= 4500 && recs[2].at - recs[1].at >= 4500, 'one attempt every 5 s');
        assert.deepEqual(shown.map((m) => [m.source, m.msgtype, m.body.content]), [['reply', 'text', 'third time lucky']]);
        assert.equal(push.state, 'delivered');
        assert.equal(push.outcome, 'replied');
        assert.equal(push.attempt_count, 3);
        assert.deepEqual(push.attempts.map((a) => [a.attempt, a.outcome, a.http_status]), [
            [1, 'timeout', 0],
            [2, 'timeout', 0],
            [3, 'replied', 200],
        ]);
        for (const [i, a] of push.attempts.entries()) {
            assert.equal(a.request, recs[i].body, `attempt ${i + 1} records the body sent`);
            assert.match(a.url, /&encrypt_type=aes&msg_signature=[0-9a-f]{40}$/);
        }
        for (const a of push.attempts.slice(0, 2)) {
            assert.ok(a.duration_ms >= 4900 && a.duration_ms < 7000, `timeout after ${a.duration_ms} ms`);
            assert.equal(a.response, '');
        }
        assert.equal(push.attempts[2].response, sealed[0]);
        await t.dev.close();
    });

    test('an event retried keeps its FromUserName and CreateTime', async () => {
        const w = await wiredAccount(srv());
        const u = await newClientUser(srv());
        w.dev.failNext = 1;
        await client.follow(srv(), u, w.acct.appid);
        const a = await w.dev.next();
        const b = await w.dev.next();
        assert.equal(a.msg.Event, 'subscribe');
        assert.deepEqual([b.msg.Event, b.msg.FromUserName, b.msg.CreateTime], ['subscribe', a.msg.FromUserName, a.msg.CreateTime]);
        const push = await settled(srv(), w.acct.appid, (p) => p.kind === 'subscribe');
        assert.deepEqual(push.attempts.map((x) => x.outcome), ['timeout', 'no_reply']);
        await w.dev.close();
    });

    test('a server that never answers gets exactly 3 attempts and the user sees the failure notice', async () => {
        const t = await talker();
        t.dev.failNext = Infinity;
        const { push, shown } = await t.say(null);
        assertFailedThrice(push, 'timeout', 0);
        for (const a of push.attempts) assert.ok(a.duration_ms >= 4900 && a.duration_ms < 7000, `${a.duration_ms} ms`);
        assertNoticeOnly(shown);
        await sleep(1500);
        assert.equal(t.dev.received.filter((r) => r.msg.MsgType === 'text').length, 3, 'no 4th attempt');
        assertNoticeOnly(await accountMessages(srv(), t.u, t.appid));
        await t.dev.close();
    });

    test('a server answering HTTP 500 gets 3 attempts; each response is recorded; the user sees the notice', async () => {
        const t = await talker();
        const { push, shown } = await t.say(() => ({ status: 500, raw: 'Internal Server Error: boom', contentType: 'text/plain' }));
        assertFailedThrice(push, 'http_error', 500);
        for (const a of push.attempts) {
            assert.equal(a.response, 'Internal Server Error: boom');
            assert.match(a.detail, /500/);
        }
        assertNoticeOnly(shown);
        assert.equal(t.dev.received.filter((r) => r.msg.MsgType === 'text').length, 3);
        await t.dev.close();
    });

    test('a closed port gets 3 attempts and the user sees the notice', async () => {
        const t = await talker();
        await t.dev.close();
        const { push, shown } = await t.say(null);
        assertFailedThrice(push, 'connect_error', 0);
        assertNoticeOnly(shown);
    });
});

// ------------------------------------------------------------------ passive replies

const articles = (n) =>
    Array.from({ length: n }, (_, i) => ({
        title: `Title ${i + 1} 标题`,
        description: `Description ${i + 1}`,
        picurl: `https://example.com/p${i + 1}.jpg`,
        url: `https://example.com/a${i + 1}?x=1&y=2`,
    }));

function newsXml(list) {
    const items = list
        .map(
            (a) =>
                `<item><Title>${cdata(a.title)}</Title><Description>${cdata(a.description)}</Description>` +
                `<PicUrl>${cdata(a.picurl)}</PicUrl><Url>${cdata(a.url)}</Url></item>`,
        )
        .join('');
    return `<ArticleCount>${list.length}</ArticleCount><Articles>${items}</Articles>`;
}

/** a refused reply: recorded as bad_reply with a reason, not retried, the notice shown */
function assertRefused(push, shown, detail) {
    assert.equal(push.outcome, 'bad_reply');
    assert.equal(push.state, 'failed');
    assert.equal(push.attempt_count, 1, 'a bad reply is not retried');
    assert.match(push.attempts[0].detail, detail);
    assertNoticeOnly(shown);
}

/** nothing reaches the user and the push counts as delivered */
function assertQuiet(push, shown, outcome) {
    assert.equal(push.state, 'delivered');
    assert.equal(push.outcome, outcome);
    assert.equal(push.attempt_count, 1);
    assert.deepEqual(shown, []);
}

describe('passive replies', { concurrency: true }, () => {
    test('a text reply keeps its newlines and "]]>"; unknown elements such as FuncFlag are ignored', async () => {
        const t = await talker();
        const content = 'line one\nline two\n\n第三行 a ]]> b 😀';
        const { push, shown } = await t.say((m) => t.dev.text(m, content).replace('</xml>', '<FuncFlag>0</FuncFlag></xml>'));
        assert.deepEqual(shown.map((m) => [m.source, m.msgtype, m.body]), [['reply', 'text', { content }]]);
        assert.equal(push.outcome, 'replied');
        assert.equal(push.state, 'delivered');
        assert.match(push.attempts[0].response, /FuncFlag/);
        await t.dev.close();
    });

    test('image, voice, video and music replies reach the chat with their media', async () => {
        const t = await talker();
        const tok = await wireToken(srv(), t.acct);
        const [image, voice, video, thumb] = await Promise.all(['image', 'voice', 'video', 'thumb'].map((x) => uploadMedia(srv(), tok, x)));
        const cases = [
            ['image', `<Image><MediaId>${cdata(image)}</MediaId></Image>`, { media_id: image }],
            ['voice', `<Voice><MediaId>${cdata(voice)}</MediaId></Voice>`, { media_id: voice }],
            [
                'video',
                `<Video><MediaId>${cdata(video)}</MediaId><Title>${cdata('A film')}</Title><Description>${cdata('about <things>')}</Description></Video>`,
                { media_id: video, title: 'A film', description: 'about <things>' },
            ],
            ['video', `<Video><MediaId>${cdata(video)}</MediaId></Video>`, { media_id: video }],
            [
                'music',
                `<Music><Title>${cdata('Song')}</Title><Description>${cdata('A tune')}</Description>` +
                    `<MusicUrl>${cdata('http://example.com/m.mp3')}</MusicUrl><HQMusicUrl>${cdata('http://example.com/hq.mp3')}</HQMusicUrl>` +
                    `<ThumbMediaId>${cdata(thumb)}</ThumbMediaId></Music>`,
                { title: 'Song', description: 'A tune', musicurl: 'http://example.com/m.mp3', hqmusicurl: 'http://example.com/hq.mp3', thumb_media_id: thumb },
            ],
        ];
        for (const [type, inner, body] of cases) {
            const { push, shown } = await t.say((m) => t.dev.passive(m, type, inner));
            assert.deepEqual(shown.map((m) => [m.source, m.msgtype, m.body]), [['reply', type, body]], inner);
            assert.equal(push.outcome, 'replied');
        }
        await t.dev.close();
    });

    test('news: 1 article in reply to a message, 8 in reply to subscribe; 9 are refused', async () => {
        const eight = articles(8);
        const t = await talker('plaintext', { onSubscribe: (dev, m) => dev.passive(m, 'news', newsXml(eight)) });
        const welcome = await accountMessages(srv(), t.u, t.appid);
        assert.deepEqual(welcome.map((m) => [m.source, m.msgtype, m.body]), [['reply', 'news', { articles: eight }]]);
        const one = articles(1);
        const { shown } = await t.say((m) => t.dev.passive(m, 'news', newsXml(one)));
        assert.deepEqual(shown.map((m) => [m.source, m.msgtype, m.body]), [['reply', 'news', { articles: one }]]);

        t.dev.reply = (m) => t.dev.passive(m, 'news', newsXml(articles(9)));
        const v = await newClientUser(srv());
        assert.equal((await client.follow(srv(), v, t.appid)).body.errcode, 0);
        const push = await settled(srv(), t.appid, (p) => p.kind === 'subscribe' && p.openid !== t.openid);
        assertRefused(push, await accountMessages(srv(), v, t.appid), /news|elements|article/i);
        await t.dev.close();
    });

    test('more than 1 article in reply to a message is refused', async () => {
        const t = await talker();
        const { push, shown } = await t.say((m) => t.dev.passive(m, 'news', newsXml(articles(8))));
        await t.dev.close();
        assertRefused(push, shown, /article/i);
    });

    test('whitespace inside the CDATA of a text reply is kept', async () => {
        const t = await talker();
        const content = '  indented\n    code\n';
        const { shown } = await t.say((m) => t.dev.text(m, content));
        await t.dev.close();
        assert.deepEqual(shown.map((m) => m.body.content), [content]);
    });

    test('transfer_customer_service shows nothing', async () => {
        const t = await talker();
        let r = await t.say((m) => t.dev.passive(m, 'transfer_customer_service'));
        assertQuiet(r.push, r.shown, 'transferred');
        r = await t.say((m) => t.dev.passive(m, 'transfer_customer_service', `<TransInfo><KfAccount>${cdata('test1@kftest')}</KfAccount></TransInfo>`));
        assertQuiet(r.push, r.shown, 'transferred');
        await t.dev.close();
    });

    test('"success" and an empty body show nothing and are not retried', async () => {
        const t = await talker();
        for (const raw of ['success', '', '\nsuccess\n']) {
            const { push, shown } = await t.say(() => ({ raw, contentType: 'text/plain' }));
            assertQuiet(push, shown, 'no_reply');
            assert.equal(push.attempts[0].response, raw);
        }
        await t.dev.close();
    });

    test('a JSON body shows the failure notice and is recorded as bad_reply', async () => {
        const t = await talker();
        const raw = '{"errcode":0,"errmsg":"ok"}';
        const { push, shown } = await t.say(() => ({ raw, contentType: 'application/json' }));
        assertRefused(push, shown, /success|reply XML/);
        assert.equal(push.attempts[0].response, raw);
        assert.equal(push.attempts[0].http_status, 200);
        await t.dev.close();
    });

    test('a reply whose ToUserName is not the user is refused', async () => {
        const t = await talker();
        const other = `o${'x'.repeat(27)}`;
        const { push, shown } = await t.say((m) => t.dev.text(m, 'to someone else', { to: other }));
        assertRefused(push, shown, /ToUserName/);
        await t.dev.close();
    });

    for (const mode of ['compatible', 'safe']) {
        test(`${mode}: encrypted replies with a wrong MsgSignature, another appid or another key are refused`, async () => {
            const t = await talker(mode);
            const reply = (opts) => (m) => ({ raw: t.dev.seal(t.dev.text(m, 'sealed'), undefined, undefined, opts) });
            let r = await t.say(reply({ signature: 'f'.repeat(40) }));
            assertRefused(r.push, r.shown, /MsgSignature/);
            r = await t.say(reply({ appid: 'wx0123456789abcdef' }));
            assertRefused(r.push, r.shown, /appid/);
            r = await t.say(reply({ aesKey: randomAesKey() }));
            assertRefused(r.push, r.shown, /decrypt|EncodingAESKey/);
            r = await t.say(reply({ token: 'anothertoken' }));
            assertRefused(r.push, r.shown, /MsgSignature/);
            r = await t.say((m) => t.dev.text(m, 'sealed right'));
            assert.deepEqual(r.shown.map((m) => m.body.content), ['sealed right']);
            await t.dev.close();
        });
    }

    test('safe mode refuses a plain reply; compatible mode accepts it', async () => {
        const [safe, compat] = await Promise.all([talker('safe'), talker('compatible')]);
        const plain = (t) => (m) => ({ raw: t.dev.text(m, 'in the clear') });
        const s = await safe.say(plain(safe));
        assertRefused(s.push, s.shown, /encrypted/);
        const c = await compat.say(plain(compat));
        assert.deepEqual(c.shown.map((m) => [m.source, m.body.content]), [['reply', 'in the clear']]);
        await safe.dev.close();
        await compat.dev.close();
    });

    test('13-digit CreateTime and TimeStamp, a numeric Nonce and whitespace around CDATA are accepted', async () => {
        const [safe, plain] = await Promise.all([talker('safe'), talker('plaintext')]);
        const loose = (m, content) =>
            `<xml>\n  <ToUserName>\n    ${cdata(m.FromUserName)}\n  </ToUserName>\n  <FromUserName> ${cdata(m.ToUserName)} </FromUserName>\n` +
            `  <CreateTime>${Date.now()}</CreateTime>\n  <MsgType>\t${cdata('text')}\t</MsgType>\n  <Content>\n${cdata(content)}\n</Content>\n</xml>\n`;
        const s = await safe.say((m) => ({ raw: safe.dev.seal(loose(m, 'from node-webot'), String(Date.now()), '1320562132', { pad: '\n ' }) }));
        assert.deepEqual(s.shown.map((m) => [m.source, m.body.content]), [['reply', 'from node-webot']]);
        const p = await plain.say((m) => ({ raw: loose(m, 'spaced out') }));
        assert.deepEqual(p.shown.map((m) => [m.source, m.body.content]), [['reply', 'spaced out']]);
        await safe.dev.close();
        await plain.dev.close();
    });

    test('replies to VIEW and scancode_push are not shown; replies to the other taps and to SCAN are', async () => {
        const w = await menuAccount('plaintext');
        const appid = w.acct.appid;
        const u = await newClientUser(srv());
        await client.follow(srv(), u, appid);
        await settled(srv(), appid, (p) => p.kind === 'subscribe');
        w.dev.reply = (m) => w.dev.text(m, `re ${m.Event}`);
        const events = Object.keys(TAPS);
        for (const e of events) {
            const r = await tap(u, appid, TAPS[e]);
            assert.equal(r.body.errcode, 0, r.text);
            const push = await settled(srv(), appid, (p) => p.kind === e);
            assert.equal(push.state, 'delivered', e);
        }
        await srv().post('/client/v1/scan', { ticket: w.qr.ticket }, { headers: u.auth });
        await settled(srv(), appid, (p) => p.kind === 'SCAN');
        const shown = (await accountMessages(srv(), u, appid)).map((m) => m.body.content).sort();
        const want = events.filter((e) => e !== 'VIEW' && e !== 'scancode_push').concat('SCAN');
        assert.deepEqual(shown, want.map((e) => `re ${e}`).sort());
        await w.dev.close();
    });
});

// ------------------------------------------------------------------ server settings

async function accountConf(appid) {
    const r = await srv().op('GET', `/admin/v1/accounts/get?appid=${appid}`);
    assert.equal(r.body?.errcode, 0, r.text);
    const a = r.body.account;
    return { url: a.server_url, token: a.server_token, key: a.encoding_aes_key, mode: a.msg_mode };
}

describe('server settings', { concurrency: true }, () => {
    test('switching the mode or the EncodingAESKey takes effect for the next push', async () => {
        const t = await talker('plaintext');
        t.dev.reply = (m) => t.dev.text(m, `echo ${m.Content}`);
        const conf = { url: t.dev.url, token: t.token };
        const steps = [
            ['safe', t.aesKey],
            ['compatible', t.aesKey],
            ['compatible', randomAesKey()],
            ['safe', randomAesKey()],
            ['plaintext', ''],
        ];
        for (const [mode, key] of steps) {
            const r = await setServer(srv(), t.appid, { ...conf, mode, encoding_aes_key: key });
            assert.equal(r.body.errcode, 0, r.text);
            if (key) t.dev.aesKey = key;
            const content = `in ${mode} ${key.slice(0, 4)}`.trim();
            const s = await client.text(srv(), t.u, t.appid, content);
            const rec = await t.dev.next();
            checkTransport(rec, mode, t, t.openid);
            assert.equal(rec.msg.Content, content);
            const reply = await nextFromAccount(srv(), t.u, t.appid, s.body.message_id);
            assert.equal(reply.body.content, `echo ${content}`);
        }
        assert.deepEqual(t.dev.rejected, []);
        await t.dev.close();
    });

    test('a mode switch while a push waits for its retry applies to the next attempt', async () => {
        const t = await talker('plaintext');
        t.dev.failNext = 1;
        t.dev.reply = (m) => t.dev.text(m, 'after the switch');
        const s = await client.text(srv(), t.u, t.appid, 'switch me');
        const first = await t.dev.next();
        assert.equal(first.q.encrypt_type, undefined);
        const r = await setServer(srv(), t.appid, { url: t.dev.url, token: t.token, mode: 'safe', encoding_aes_key: t.aesKey });
        assert.equal(r.body.errcode, 0, r.text);
        const second = await t.dev.next();
        checkTransport(second, 'safe', t, t.openid);
        assert.equal(second.msg.MsgId, first.msg.MsgId);
        assert.equal((await nextFromAccount(srv(), t.u, t.appid, s.body.message_id)).body.content, 'after the switch');
        await t.dev.close();
    });

    test('a new URL must pass the echostr handshake', async () => {
        const t = await talker('safe');
        const before = await accountConf(t.appid);
        const fresh = async (onVerify, token = t.token) => {
            const d = await startDevServer({ token, aesKey: t.aesKey, appid: t.appid });
            d.onVerify = onVerify;
            return d;
        };
        const closed = await fresh(null);
        await closed.close();
        const bad = [
            ['echoes the wrong body', await fresh((q) => `${q.echostr}x`), /echostr/],
            ['answers JSON', await fresh(() => ({ raw: '{"errcode":0}', contentType: 'application/json' })), /echostr/],
            ['answers HTTP 500', await fresh((q) => ({ status: 500, raw: q.echostr })), /HTTP 500/],
            ['checks another token', await fresh(null, 'othertoken'), /HTTP 401/],
            ['is slower than 5 s', await fresh((q) => ({ raw: q.echostr, delayMs: 6000 })), /5 seconds/],
            ['is a closed port', closed, /cannot reach/],
        ];
        await Promise.all(
            bad.map(async ([why, d, reason]) => {
                const t0 = Date.now();
                const r = await setServer(srv(), t.appid, { url: d.url, token: t.token, mode: 'safe', encoding_aes_key: t.aesKey });
                assert.equal(r.status, 400, `${why}: ${r.text}`);
                assert.equal(r.body.errcode, 47003, why);
                assert.match(r.body.errmsg, /verification failed/, why);
                assert.match(r.body.errmsg, reason, why);
                assert.ok(Date.now() - t0 < 8000, `${why}: answered in ${Date.now() - t0} ms`);
            }),
        );
        assert.deepEqual(await accountConf(t.appid), before, 'a refused URL changes nothing');
        await client.text(srv(), t.u, t.appid, 'still here');
        assert.equal((await t.dev.next()).msg.Content, 'still here');
        for (const [, d] of bad.slice(0, -1)) {
            assert.equal(d.received.length, 0);
            await d.close();
        }

        // a URL that answers: the handshake is a plain GET, and pushes go there from now on
        const good = await fresh(null);
        const r = await setServer(srv(), t.appid, { url: `${good.url}?tenant=7`, token: t.token, mode: 'safe', encoding_aes_key: t.aesKey });
        assert.equal(r.body.errcode, 0, r.text);
        assert.equal(good.verifications.length, 1);
        const q = good.verifications[0];
        assert.deepEqual(Object.keys(q).sort(), ['echostr', 'nonce', 'signature', 'tenant', 'timestamp']);
        assert.equal(q.signature, sha1Sorted([t.token, q.timestamp, q.nonce]));
        await client.text(srv(), t.u, t.appid, 'moved');
        const rec = await good.next();
        assert.equal(rec.msg.Content, 'moved');
        assert.equal(rec.q.tenant, '7');
        await sleep(300);
        assert.equal(t.dev.received.filter((x) => x.msg.Content === 'moved').length, 0);
        await good.close();
        await t.dev.close();
    });

    test('clearing the URL stops pushes', async () => {
        const t = await talker();
        const r = await setServer(srv(), t.appid, { url: '' });
        assert.equal(r.body.errcode, 0, r.text);
        assert.equal((await accountConf(t.appid)).url, '');
        const count = (await pushes(srv(), t.appid)).length;
        const s = await client.text(srv(), t.u, t.appid, 'anyone there?');
        assert.equal(s.body.errcode, 0, s.text);
        await client.unfollow(srv(), t.u, t.appid);
        await client.follow(srv(), t.u, t.appid);
        await sleep(1500);
        assert.equal(t.dev.received.length, 1, 'only the first subscribe reached the server');
        assert.equal((await pushes(srv(), t.appid)).length, count);
        assert.deepEqual(await accountMessages(srv(), t.u, t.appid), [], 'no failure notice either');
        await t.dev.close();
    });

    test('a push waiting for its retry when the URL is cleared is dropped', async () => {
        const t = await talker();
        t.dev.failNext = 1;
        await client.text(srv(), t.u, t.appid, 'lost');
        await t.dev.next();
        assert.equal((await setServer(srv(), t.appid, { url: '' })).body.errcode, 0);
        const push = await settled(srv(), t.appid, (p) => p.kind === 'text');
        await t.dev.close();
        assert.equal(push.outcome, 'no_url');
        assert.equal(push.state, 'dropped');
    });

    test('invalid token, EncodingAESKey, mode and URL values are refused with 400', async () => {
        const w = await wiredAccount(srv(), 'compatible');
        const before = await accountConf(w.acct.appid);
        const base = { url: w.dev.url, token: w.token, mode: 'compatible', encoding_aes_key: w.aesKey };
        const bad = [
            [{ token: 'ab' }, /token/],
            [{ token: 'x'.repeat(33) }, /token/],
            [{ token: 'tok-en' }, /token/],
            [{ token: 'tok en' }, /token/],
            [{ token: '' }, /token/],
            [{ token: 12345 }, /./],
            [{ encoding_aes_key: w.aesKey.slice(1) }, /encoding_aes_key/],
            [{ encoding_aes_key: `${w.aesKey}A` }, /encoding_aes_key/],
            [{ encoding_aes_key: `${w.aesKey.slice(1)}+` }, /encoding_aes_key/],
            [{ encoding_aes_key: '' }, /encoding_aes_key/],
            [{ mode: 'safe', encoding_aes_key: undefined }, /encoding_aes_key/],
            [{ mode: 'plaintext', encoding_aes_key: 'short' }, /encoding_aes_key/],
            [{ mode: 'secure' }, /mode/],
            [{ mode: 'SAFE' }, /mode/],
            [{ mode: 2 }, /./],
            [{ url: 'ftp://example.com/x' }, /url/],
            [{ url: 'javascript:alert(1)' }, /url/],
            [{ url: 'http://example.com/a b' }, /url/],
            [{ url: 'http://example.com/\r\nX-Evil: 1' }, /url/],
            [{ location_report: 3 }, /location_report/],
        ];
        for (const [change, reason] of bad) {
            const r = await setServer(srv(), w.acct.appid, { ...base, ...change });
            const what = JSON.stringify(change);
            assert.equal(r.status, 400, `${what}: ${r.status} ${r.text}`);
            assert.equal(r.body?.errcode, 47003, what);
            assert.match(r.body.errmsg, reason, what);
        }
        expectErr(await srv().op('POST', '/admin/v1/accounts/server', 'not json'), 47001, 400);
        const unknown = await setServer(srv(), 'wx0000000000000000', { url: '' });
        assert.ok(unknown.status === 400 || unknown.status === 404, unknown.text);
        assert.notEqual(unknown.body?.errcode, 0, unknown.text);
        assert.deepEqual(await accountConf(w.acct.appid), before, 'nothing changed');
        assert.equal(w.dev.verifications.length, 1, 'no handshake for refused values');
        await w.dev.close();
    });
});

// ------------------------------------------------------------------ bad input on the client API

describe('bad input on the client API', { concurrency: true }, () => {
    test('unknown appids, non-followers and malformed messages get a clear errcode, never a 500', async () => {
        const w = await wiredAccount(srv());
        const appid = w.acct.appid;
        const u = await newClientUser(srv());
        const unknown = 'wx0000000000000000';
        const raw = (body) =>
            srv().post('/client/v1/messages/send', body, { headers: { ...u.auth, 'content-type': 'application/json' } });
        expectErr(await client.text(srv(), u, unknown, 'hi'), 40013, 400);
        expectErr(await client.follow(srv(), u, unknown), 40013, 400);
        expectErr(await client.unfollow(srv(), u, unknown), 40013, 400);
        expectErr(await client.messages(srv(), u, unknown), 40013, 400);
        expectErr(await srv().post('/client/v1/location', { appid: unknown, latitude: 1, longitude: 2 }, { headers: u.auth }), 40013, 400);
        expectErr(await srv().get(`/client/v1/accounts/get?appid=${unknown}`, { headers: u.auth }), 40013, 400);
        expectErr(await client.text(srv(), u, appid, 'not yet'), 43004, 400);
        expectErr(await tap(u, appid, TAPS.CLICK), 43004, 400);
        const anon = await srv().post('/client/v1/messages/send', { appid, msgtype: 'text', content: 'x' });
        assert.equal(anon.status, 401, anon.text);

        assert.equal((await client.follow(srv(), u, appid)).body.errcode, 0);
        await w.dev.next();
        const refused = [
            [{ msgtype: 'text', content: 'x'.repeat(2049) }, 47003],
            [{ msgtype: 'text', content: '你'.repeat(683) }, 47003], // 2049 bytes
            [{ msgtype: 'text', content: '' }, 47003],
            [{ msgtype: 'text', content: 'a\u0001b' }, 47003],
            [{ msgtype: 'text', content: 'bell\u0007' }, 47003],
            [{ msgtype: 'text', content: 'esc\u001b[31m' }, 47003],
            [{ msgtype: 'text', content: 5 }, 47003],
            [{ msgtype: 'text', content: null }, 47003],
            [{ msgtype: 'text', content: ['a'] }, 47003],
            [{ msgtype: 'text' }, 47003],
            [{ msgtype: 5, content: 'x' }, 40008],
            [{ msgtype: 'sticker', content: 'x' }, 40008],
            [{ content: 'x' }, 40008],
            [{ msgtype: 'location', location: { latitude: 91, longitude: 0 } }, 47003],
            [{ msgtype: 'location', location: { latitude: 'north', longitude: 0 } }, 47003],
            [{ msgtype: 'location', location: 'here' }, 47003],
            [{ msgtype: 'location' }, 47003],
            [{ msgtype: 'link', link: { title: 't', url: 'javascript:alert(1)' } }, 47003],
            [{ msgtype: 'link', link: { url: 'https://example.com' } }, 47003],
            [{ msgtype: 'link', link: 'https://example.com' }, 47003],
            [{ msgtype: 'image', file: Buffer.from('not a picture').toString('base64') }, 40005],
            [{ msgtype: 'image' }, 44001],
            [{ msgtype: 'image', file: 5 }, 47003],
            [{ msgtype: 'voice', file: '!!not base64!!' }, 47003],
            [{ msgtype: 'video', file: b64(samples.video()), thumb: ['x'] }, 47003],
        ];
        for (const [msg, errcode] of refused) expectErr(await client.send(srv(), u, appid, msg), errcode, 400);
        expectErr(await srv().post('/client/v1/messages/send', { appid: 5, msgtype: 'text', content: 'x' }, { headers: u.auth }), 40013, 400);
        expectErr(await srv().post('/client/v1/messages/send', { msgtype: 'text', content: 'x' }, { headers: u.auth }), 40013, 400);
        for (const body of ['{"appid":', 'not json', '[1,2]', '"text"', `{"appid":"${appid}","msgtype":"text","content":"a\\u0000b"}`])
            expectErr(await raw(body), 47001, 400);
        expectErr(await raw(''), 44002, 400);

        // accepted: exactly 2048 bytes, tabs and newlines
        const ok = ['x'.repeat(2048), `${'你'.repeat(682)}xx`, 'tab\there\r\nnew line'];
        for (const content of ok) expectOk(await client.text(srv(), u, appid, content));
        const got = [];
        for (let i = 0; i < ok.length; i++) got.push((await w.dev.next()).msg.Content);
        assert.deepEqual(got.sort(), [...ok].sort(), 'pushes of quick messages may overtake each other');
        await sleep(300);
        assert.equal(w.dev.received.length, 1 + ok.length, 'refused messages were not pushed');

        assert.equal((await client.unfollow(srv(), u, appid)).body.errcode, 0);
        expectErr(await client.text(srv(), u, appid, 'gone'), 43004, 400);
        await w.dev.close();
    });

    test('a menu tap for an unknown appid answers 40013', async () => {
        const u = await newClientUser(srv());
        expectErr(await tap(u, 'wx0000000000000000', TAPS.CLICK), 40013, 400);
    });

    test('a text with invalid UTF-8 is refused rather than pushed as malformed XML', async () => {
        const w = await wiredAccount(srv());
        const u = await newClientUser(srv());
        await client.follow(srv(), u, w.acct.appid);
        await w.dev.next();
        const body = Buffer.concat([
            Buffer.from(`{"appid":"${w.acct.appid}","msgtype":"text","content":"a`),
            Buffer.from([0xff, 0xfe, 0xc3]),
            Buffer.from('b"}'),
        ]);
        const r = await srv().post('/client/v1/messages/send', body, { headers: { ...u.auth, 'content-type': 'application/json' } });
        await sleep(300);
        await w.dev.close();
        assert.equal(r.status, 400, r.text);
        assert.equal(r.body?.errcode, 40033, r.text);
        assert.equal(w.dev.received.length, 1, 'nothing pushed');
    });
});

function expectOk(r) {
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body?.errcode, 0, r.text);
}

describe('the push log keeps 7 days', () => {
    const lh = useServer({ testClock: true });
    const DAY = 86400;

    test('pushes and their attempts older than 7 days leave the log; newer ones and the chat stay', async () => {
        const s = lh.srv;
        const w = await wiredAccount(s);
        const u = await newClientUser(s);
        expectOk(await client.follow(s, u, w.acct.appid));
        expectOk(await client.text(s, u, w.acct.appid, 'an old message'));
        await settled(s, w.acct.appid, (p) => p.kind === 'text');
        await s.advance(6 * DAY);
        expectOk(await client.text(s, u, w.acct.appid, 'a newer message'));
        const log = await settled(s, w.acct.appid, (p) => p.kind === 'text' && JSON.stringify(p).includes('a newer message'));
        assert.equal(log.state, 'delivered');
        assert.equal((await pushes(s, w.acct.appid)).length, 3, 'subscribe and two messages');
        await s.advance(DAY + 1);
        const deadline = Date.now() + 25000;
        let left = await pushes(s, w.acct.appid);
        while (left.length > 1 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 250));
            left = await pushes(s, w.acct.appid);
        }
        assert.equal(left.length, 1, `left: ${JSON.stringify(left.map((p) => p.kind))}`);
        assert.ok(left[0].attempts[0].request.includes('a newer message'), 'the push of 1 day ago stays, attempts and all');
        const chat = await client.messages(s, u, w.acct.appid);
        assert.deepEqual(
            chat.body.messages.filter((m) => m.from === 'user').map((m) => m.body.content),
            ['an old message', 'a newer message'],
            'the chat itself is not pruned',
        );
        await w.dev.close();
    });
});
