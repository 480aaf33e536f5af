// Menu taps, scene QR scans and location reports reach the developer's server as the
// events of spec/messaging.md §5, and the replies allowed for them reach the user.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { useServer } from './lib/server.mjs';
import { client, newClientUser, nextFromAccount, samples, wiredAccount } from './lib/messaging.mjs';

const h = useServer({ testClock: true });
const srv = () => h.srv;

async function setup(extra = {}) {
    const w = await wiredAccount(srv(), 'plaintext', extra);
    const tok = (await srv().token(w.acct.appid, w.acct.secret)).access_token;
    const wire = (path, body) => srv().post(`${path}?access_token=${tok}`, body);
    return { ...w, tok, wire };
}

const tap = (u, body) => srv().post('/client/v1/menu/click', body, { headers: u.auth });

test('menu taps push CLICK, VIEW, scan, photo and location events', async () => {
    const { acct, dev, wire } = await setup();
    const menu = {
        button: [
            { type: 'click', name: 'Today', key: 'K_TODAY' },
            { type: 'view', name: 'Site', url: 'http://example.com/x' },
            {
                name: 'More',
                sub_button: [
                    { type: 'scancode_waitmsg', name: 'Scan', key: 'K_SCAN' },
                    { type: 'pic_sysphoto', name: 'Photo', key: 'K_PIC' },
                    { type: 'location_select', name: 'Where', key: 'K_LOC' },
                ],
            },
        ],
    };
    assert.equal((await wire('/cgi-bin/menu/create', menu)).body.errcode, 0);
    const u = await newClientUser(srv());
    await client.follow(srv(), u, acct.appid);
    await dev.next(); // subscribe
    const page = await srv().get(`/client/v1/accounts/get?appid=${acct.appid}`, { headers: u.auth });
    assert.equal(page.body.account.following, true);
    assert.equal(page.body.menu.button[0].key, 'K_TODAY');

    dev.reply = (m) => (m.Event === 'CLICK' ? dev.text(m, 'clicked') : null);
    assert.equal((await tap(u, { appid: acct.appid, type: 'click', key: 'K_TODAY' })).body.errcode, 0);
    let p = await dev.next();
    assert.deepEqual([p.msg.MsgType, p.msg.Event, p.msg.EventKey], ['event', 'CLICK', 'K_TODAY']);
    assert.equal((await nextFromAccount(srv(), u, acct.appid)).body.content, 'clicked');

    await tap(u, { appid: acct.appid, type: 'view', url: 'http://example.com/x' });
    p = await dev.next();
    assert.deepEqual([p.msg.Event, p.msg.EventKey], ['VIEW', 'http://example.com/x']);

    await tap(u, { appid: acct.appid, type: 'scancode_waitmsg', key: 'K_SCAN', scan: { type: 'qrcode', result: 'hello' } });
    p = await dev.next();
    assert.equal(p.msg.Event, 'scancode_waitmsg');
    assert.deepEqual(p.msg.ScanCodeInfo, { ScanType: 'qrcode', ScanResult: 'hello' });

    const md5 = 'a'.repeat(32);
    await tap(u, { appid: acct.appid, type: 'pic_sysphoto', key: 'K_PIC', pics: [md5] });
    p = await dev.next();
    assert.equal(p.msg.SendPicsInfo.Count, '1');
    assert.equal(p.msg.SendPicsInfo.PicList.item[0].PicMd5Sum, md5);

    await tap(u, { appid: acct.appid, type: 'location_select', key: 'K_LOC', location: { latitude: 23.1, longitude: 113.3, label: 'Canton', poiname: 'Tower' } });
    p = await dev.next();
    assert.equal(p.msg.Event, 'location_select');
    assert.equal(p.msg.SendLocationInfo.Poiname, 'Tower');
    assert.equal(Number(p.msg.SendLocationInfo.Location_X), 23.1);

    // a button that is not in the menu, a bad type, a stranger
    assert.equal((await tap(u, { appid: acct.appid, type: 'click', key: 'NOPE' })).body.errcode, 47003);
    assert.equal((await tap(u, { appid: acct.appid, type: 'teleport', key: 'K_TODAY' })).body.errcode, 47003);
    const stranger = await newClientUser(srv());
    assert.equal((await tap(stranger, { appid: acct.appid, type: 'click', key: 'K_TODAY' })).body.errcode, 43004);
    await dev.close();
});

// The photos of a pic_* tap reach the developer twice, as the docs describe: the event
// (SendPicsInfo, PicMd5Sum = MD5 of each photo) and then one image message per photo.
test('photo taps: the pic_* event, then each photo as an image message', async () => {
    const { acct, dev, tok, wire } = await setup();
    const menu = {
        button: [
            { type: 'pic_sysphoto', name: 'Camera', key: 'K_CAM' },
            { type: 'pic_photo_or_album', name: 'Album', key: 'K_ALB' },
            { type: 'pic_weixin', name: 'WeChat', key: 'K_WX' },
        ],
    };
    assert.equal((await wire('/cgi-bin/menu/create', menu)).body.errcode, 0);
    const u = await newClientUser(srv());
    await client.follow(srv(), u, acct.appid);
    await dev.next(); // subscribe
    const png = Buffer.alloc(500, 3);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    const photos = [samples.image().data, png];
    const md5 = (b) => createHash('md5').update(b).digest('hex');
    const bytes = async (url) => Buffer.from(await (await fetch(url)).arrayBuffer());

    const r = await tap(u, { appid: acct.appid, type: 'pic_photo_or_album', key: 'K_ALB', photos: [photos[0].toString('base64'), { file: png.toString('base64') }] });
    assert.equal(r.body.errcode, 0, r.text);
    const ev = (await dev.next()).msg;
    assert.deepEqual([ev.MsgType, ev.Event, ev.EventKey, ev.SendPicsInfo.Count], ['event', 'pic_photo_or_album', 'K_ALB', '2']);
    assert.deepEqual(ev.SendPicsInfo.PicList.item.map((i) => i.PicMd5Sum), photos.map(md5));
    const msgids = new Set();
    for (const photo of photos) {
        const m = (await dev.next()).msg;
        assert.equal(m.MsgType, 'image');
        assert.match(m.MsgId, /^\d+$/);
        msgids.add(m.MsgId);
        assert.deepEqual(await bytes(m.PicUrl), photo);
        assert.deepEqual(await bytes(`${srv().url}/cgi-bin/media/get?access_token=${tok}&media_id=${encodeURIComponent(m.MediaId)}`), photo);
    }
    assert.equal(msgids.size, 2);
    const chat = await client.messages(srv(), u, acct.appid);
    assert.deepEqual(chat.body.messages.filter((m) => m.from === 'user').map((m) => m.msgtype), ['image', 'image']);

    // the photos are messages: the developer may answer with customer-service messages
    const openid = ev.FromUserName;
    const cs = await wire('/cgi-bin/message/custom/send', { touser: openid, msgtype: 'text', text: { content: 'nice' } });
    assert.equal(cs.body.errcode, 0, cs.text);

    // one photo on the camera button; bad photos are refused before anything is pushed
    assert.equal((await tap(u, { appid: acct.appid, type: 'pic_sysphoto', key: 'K_CAM', photos: [png.toString('base64')] })).body.errcode, 0);
    assert.equal((await dev.next()).msg.SendPicsInfo.PicList.item[0].PicMd5Sum, md5(png));
    assert.equal((await dev.next()).msg.MsgType, 'image');
    const bad = (photos) => tap(u, { appid: acct.appid, type: 'pic_weixin', key: 'K_WX', photos });
    assert.equal((await bad([Buffer.from('not a picture').toString('base64')])).body.errcode, 40005);
    assert.equal((await bad(['%%%'])).body.errcode, 47003);
    assert.equal((await bad([])).body.errcode, 47003);
    assert.equal((await bad(Array(10).fill(png.toString('base64')))).body.errcode, 47003);
    assert.equal((await bad([42])).body.errcode, 47003);
    // checksums alone still make the event, without images
    assert.equal((await tap(u, { appid: acct.appid, type: 'pic_weixin', key: 'K_WX', pics: ['a'.repeat(32)] })).body.errcode, 0);
    const only = (await dev.next()).msg;
    assert.equal(only.Event, 'pic_weixin');
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(dev.received.length, dev.taken, 'no image messages without photos');
    await dev.close();
});

test('scanning a scene code: subscribe with qrscene_, then SCAN; expired codes are refused', async () => {
    const { acct, dev, wire } = await setup();
    const qr = await wire('/cgi-bin/qrcode/create', { expire_seconds: 600, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 123 } } });
    assert.equal(qr.body.errcode, undefined, qr.text);
    const u = await newClientUser(srv());
    const scan = (body) => srv().post('/client/v1/scan', body, { headers: u.auth });
    const s1 = await scan({ url: qr.body.url });
    assert.equal(s1.body.errcode, 0, s1.text);
    assert.equal(s1.body.followed_now, true);
    let p = await dev.next();
    assert.deepEqual([p.msg.Event, p.msg.EventKey, p.msg.Ticket], ['subscribe', 'qrscene_123', qr.body.ticket]);
    assert.equal((await scan({ ticket: qr.body.ticket })).body.followed_now, false);
    p = await dev.next();
    assert.deepEqual([p.msg.Event, p.msg.EventKey], ['SCAN', '123']);
    const info = await srv().get(`/cgi-bin/user/info?access_token=${(await srv().token(acct.appid, acct.secret)).access_token}&openid=${s1.body.openid}`);
    assert.equal(info.body.subscribe_scene, 'ADD_SCENE_QR_CODE');
    assert.equal(info.body.qr_scene, 123);
    await srv().advance(601);
    assert.equal((await scan({ url: qr.body.url })).status, 410);
    assert.equal((await scan({ url: 'http://127.0.0.1/q/unknown' })).status, 404);
    await dev.close();
});

test('location reports push LOCATION only when the account asks for them', async () => {
    const { acct, dev } = await setup({ location_report: 1 });
    const u = await newClientUser(srv());
    await client.follow(srv(), u, acct.appid);
    await dev.next();
    const r = await srv().post('/client/v1/location', { appid: acct.appid, latitude: 23.137466, longitude: 113.352425, precision: 119.385040 }, { headers: u.auth });
    assert.equal(r.body.errcode, 0, r.text);
    const p = await dev.next();
    assert.equal(p.msg.Event, 'LOCATION');
    assert.equal(p.msg.Latitude, '23.137466');
    const quiet = await setup();
    await client.follow(srv(), u, quiet.acct.appid);
    await quiet.dev.next();
    const q = await srv().post('/client/v1/location', { appid: quiet.acct.appid, latitude: 1, longitude: 2 }, { headers: u.auth });
    assert.equal(q.body.reported, false);
    await dev.close();
    await quiet.dev.close();
});
