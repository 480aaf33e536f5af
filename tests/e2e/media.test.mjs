// Media and material (spec/accounts.md §8): temporary media (upload, get, uploadimg,
// uploadnews, uploadvideo), permanent material (add, get, delete, count, batchget, news),
// public image and video URLs, every limit and errcode, expiry on the test clock, the
// multipart shapes real SDKs send, oversize bodies and tenancy.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { expectErr, rawRequest, useServer } from './lib/server.mjs';

const KiB = 1024;
const MiB = 1024 * 1024;
const DAY = 86400;

// ------------------------------------------------------------------ sample files

function withHead(head, size) {
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++)
        b[i] = (i * 131 + 7) & 0xff;
    Buffer.from(head).copy(b);
    return b;
}
const jpeg = (size = 600) => withHead([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46], size);
const png = (size = 500) => withHead([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], size);
const gif = (size = 300) => withHead(Buffer.from('GIF89a'), size);
const bmp = (size = 300) => withHead(Buffer.from('BM'), size);
const mp4 = (size = 2000) => withHead([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d], size);
const wav = (size = 400) => withHead(Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WAVE')]), size);
/** AMR-NB: `frames` frames of 12.2 kbit/s, 20 ms each */
function amr(frames = 50) {
    const b = Buffer.alloc(6 + frames * 32, 0x55);
    b.write('#!AMR\n', 0, 'latin1');
    for (let i = 0; i < frames; i++)
        b[6 + i * 32] = (7 << 3) | 0x04;
    return b;
}
/** MP3 at 128 kbit/s (16000 bytes a second) */
const mp3 = (seconds = 1) => withHead([0xff, 0xfb, 0x90, 0x64], Math.max(4, Math.round(seconds * 16000)));

// ------------------------------------------------------------------ multipart bodies

/**
 * Builds a multipart/form-data body. parts: [{name, data, filename?, filenameStar?, type?,
 * length?, raw?}]; opts: {boundary, quote, noBoundary, preamble, noClose, lf}.
 */
function multipart(parts, opts = {}) {
    const boundary = opts.boundary || `----lianjie${Math.random().toString(16).slice(2)}`;
    const nl = opts.lf ? '\n' : '\r\n';
    const chunks = [];
    if (opts.preamble)
        chunks.push(Buffer.from(opts.preamble + nl));
    for (const p of parts) {
        let disp = `Content-Disposition: form-data; name="${p.name}"`;
        if (p.filename !== undefined)
            disp += `; filename="${p.filename}"`;
        if (p.filenameStar)
            disp += `; filename*=${p.filenameStar}`;
        if (p.raw)
            disp = p.raw;
        const head = [`--${boundary}`, disp];
        if (p.length)
            head.push(`Content-Length: ${p.data.length}`);
        if (p.type)
            head.push(`Content-Type: ${p.type}`);
        chunks.push(Buffer.from(head.join(nl) + nl + nl));
        chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data));
        chunks.push(Buffer.from(nl));
    }
    if (!opts.noClose)
        chunks.push(Buffer.from(`--${boundary}--${nl}`));
    const quoted = opts.quote ? `"${boundary}"` : boundary;
    const ctype = opts.noBoundary ? 'multipart/form-data' : `multipart/form-data; boundary=${quoted}`;
    return { body: Buffer.concat(chunks), ctype };
}

async function setup(srv) {
    const a = await srv.createAccount();
    const t = await srv.token(a.appid, a.secret);
    assert.ok(t.access_token, JSON.stringify(t));
    return { ...a, token: t.access_token };
}

function q(token, extra = {}) {
    return new URLSearchParams({ access_token: token, ...extra }).toString();
}

/** POST a multipart body; returns {status, headers, text, body} */
function postForm(srv, p, form, headers = {}) {
    return srv.request('POST', p, { body: form.body, headers: { 'content-type': form.ctype, ...headers } });
}

function upload(srv, token, type, data, filename = 'file.bin', extra = {}) {
    return postForm(srv, `/cgi-bin/media/upload?${q(token, type ? { type } : {})}`, multipart([{ name: 'media', filename, data, ...extra }]));
}

function addMaterial(srv, token, type, data, filename = 'file.bin', fields = [], query = {}) {
    const parts = [{ name: 'media', filename, data }, ...fields];
    return postForm(srv, `/cgi-bin/material/add_material?${q(token, { type, ...query })}`, multipart(parts));
}

/** GET/POST returning raw bytes */
async function fetchBytes(srv, p, init = {}) {
    const res = await srv.fetch(p, init);
    const bytes = Buffer.from(await res.arrayBuffer());
    let json;
    try {
        json = JSON.parse(bytes.toString('utf8'));
    } catch {
        json = undefined;
    }
    return { status: res.status, headers: res.headers, bytes, json };
}

function mediaGet(srv, token, mediaId) {
    return fetchBytes(srv, `/cgi-bin/media/get?${q(token, { media_id: mediaId })}`);
}

function materialGet(srv, token, mediaId) {
    return fetchBytes(srv, `/cgi-bin/material/get_material?${q(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ media_id: mediaId }),
    });
}

/** a file answer's error: errcode and a Content-Type of exactly application/json */
function expectFileErr(r, errcode) {
    assert.equal(r.status, 200, r.bytes.toString());
    assert.equal(r.headers.get('content-type'), 'application/json', 'errors of file routes use exactly application/json');
    assert.equal(r.json && r.json.errcode, errcode, r.bytes.toString());
    assert.ok(r.json.errmsg);
}

function urlPath(url) {
    const u = new URL(url);
    return u.pathname + u.search;
}

function mediaFiles(srv, appid) {
    const dir = path.join(srv.dataDir, 'media', appid);
    return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')) : [];
}

// ------------------------------------------------------------------ temporary media

describe('temporary media', () => {
    const h = useServer({ testClock: true });

    it('round-trips every type byte for byte, with the media type and an attachment name', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const cases = [
            ['image', jpeg(), 'image/jpeg', 'jpg'],
            ['image', png(), 'image/png', 'png'],
            ['image', gif(), 'image/gif', 'gif'],
            ['voice', amr(), 'audio/amr', 'amr'],
            ['voice', mp3(2), 'audio/mpeg', 'mp3'],
            ['thumb', jpeg(64 * KiB), 'image/jpeg', 'jpg'],
        ];
        for (const [type, data, ctype, ext] of cases) {
            const up = await upload(srv, a.token, type, data, `sample.${ext}`);
            assert.equal(up.status, 200);
            assert.equal(up.body.type, type, up.text);
            assert.match(up.body.media_id, /^[A-Za-z0-9_-]{64}$/);
            assert.equal(typeof up.body.created_at, 'number');
            assert.ok(Math.abs(up.body.created_at - Date.now() / 1000) < 3600 * 24 * 30);
            if (type === 'thumb')
                assert.equal(up.body.thumb_media_id, up.body.media_id, 'thumb answers also carry thumb_media_id');
            const got = await mediaGet(srv, a.token, up.body.media_id);
            assert.equal(got.status, 200);
            assert.equal(got.headers.get('content-type'), ctype);
            assert.equal(got.headers.get('content-disposition'), `attachment; filename="${up.body.media_id}.${ext}"`);
            assert.ok(got.bytes.equals(data), `${type}/${ext} bytes differ`);
        }
    });

    it('answers a video with {video_url} whose bytes are the upload', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const data = mp4(50 * KiB);
        const up = await upload(srv, a.token, 'video', data, 'clip.mp4');
        assert.equal(up.body.type, 'video', up.text);
        const got = await mediaGet(srv, a.token, up.body.media_id);
        assert.equal(got.headers.get('content-type'), 'application/json');
        assert.match(got.json.video_url, /^http:\/\/127\.0\.0\.1:\d+\/mmbiz\/video\?id=[A-Za-z0-9_-]{32}$/);
        const file = await fetchBytes(srv, urlPath(got.json.video_url));
        assert.equal(file.status, 200);
        assert.equal(file.headers.get('content-type'), 'video/mp4');
        assert.ok(file.bytes.equals(data));
        const post = await fetchBytes(srv, `/cgi-bin/media/get?${q(a.token)}`, {
            method: 'POST',
            body: JSON.stringify({ media_id: up.body.media_id }),
        });
        assert.equal(post.json.video_url, got.json.video_url, 'media/get also takes a POSTed media_id');
    });

    it('tells types by content, not by name or claimed Content-Type', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const up = await upload(srv, a.token, 'image', png(), 'looks-like.jpg', { type: 'image/jpeg' });
        assert.equal(up.body.type, 'image');
        const got = await mediaGet(srv, a.token, up.body.media_id);
        assert.equal(got.headers.get('content-type'), 'image/png');
        expectErr(await upload(srv, a.token, 'image', Buffer.from('just some text, really'), 'a.jpg', { type: 'image/jpeg' }), 40005);
        expectErr(await upload(srv, a.token, 'image', bmp(), 'a.bmp'), 40005);
        expectErr(await upload(srv, a.token, 'thumb', png(), 'a.png'), 40005);
        expectErr(await upload(srv, a.token, 'voice', jpeg(), 'a.amr'), 40005);
        expectErr(await upload(srv, a.token, 'voice', wav(), 'a.wav'), 40005);
        expectErr(await upload(srv, a.token, 'video', jpeg(), 'a.mp4'), 40005);
    });

    it('enforces each limit with its errcode', async () => {
        const { srv } = h;
        const a = await setup(srv);
        expectErr(await upload(srv, a.token, 'file', jpeg()), 40004);
        expectErr(await upload(srv, a.token, '', jpeg()), 40004);
        expectErr(await upload(srv, a.token, 'news', jpeg()), 40004);
        expectErr(await upload(srv, a.token, 'img', jpeg()), 40004);
        expectErr(await upload(srv, a.token, 'image', Buffer.alloc(0)), 44001);
        expectErr(await upload(srv, a.token, 'thumb', jpeg(64 * KiB + 1)), 40006);
        expectErr(await upload(srv, a.token, 'voice', amr(3001)), 45007);
        assert.equal((await upload(srv, a.token, 'voice', amr(3000))).body.type, 'voice', '60 s is fine');
        expectErr(await upload(srv, a.token, 'voice', mp3(70)), 45007);
        expectErr(await upload(srv, a.token, 'voice', mp3(140)), 40006);
        expectErr(await upload(srv, a.token, 'image', jpeg(10 * MiB + 1)), 40006);
        assert.equal((await upload(srv, a.token, 'image', jpeg(10 * MiB))).body.type, 'image', '10 MiB is fine');
        // no media part, no multipart body at all, an empty body
        const noMedia = multipart([{ name: 'file', filename: 'a.jpg', data: jpeg() }]);
        expectErr(await postForm(srv, `/cgi-bin/media/upload?${q(a.token, { type: 'image' })}`, noMedia), 41005);
        expectErr(await srv.post(`/cgi-bin/media/upload?${q(a.token, { type: 'image' })}`, { media: 'x' }), 41005);
        expectErr(await srv.request('POST', `/cgi-bin/media/upload?${q(a.token, { type: 'image' })}`), 41005);
        expectErr(await srv.get(`/cgi-bin/media/upload?${q(a.token, { type: 'image' })}`), 43002);
    });

    it('answers media/get errors as exactly application/json', async () => {
        const { srv } = h;
        const a = await setup(srv);
        expectFileErr(await fetchBytes(srv, `/cgi-bin/media/get?${q(a.token)}`), 41006);
        expectFileErr(await mediaGet(srv, a.token, 'no-such-media'), 40007);
        expectFileErr(await mediaGet(srv, a.token, 'x'.repeat(300)), 40007);
        expectFileErr(await mediaGet(srv, 'not-a-token', 'abc'), 40001);
        expectFileErr(await fetchBytes(srv, '/cgi-bin/media/get?media_id=abc'), 41001);
        const mat = await addMaterial(srv, a.token, 'image', jpeg());
        expectFileErr(await mediaGet(srv, a.token, mat.body.media_id), 40007);
        // a file removed behind lianjie's back
        const up = await upload(srv, a.token, 'image', jpeg());
        rmSync(path.join(srv.dataDir, 'media', a.appid, up.body.media_id));
        expectFileErr(await mediaGet(srv, a.token, up.body.media_id), 46001);
    });

    it('serves voice at media/get/jssdk too', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const data = amr(100);
        const up = await upload(srv, a.token, 'voice', data);
        const got = await fetchBytes(srv, `/cgi-bin/media/get/jssdk?${q(a.token, { media_id: up.body.media_id })}`);
        assert.equal(got.headers.get('content-type'), 'audio/amr');
        assert.ok(got.bytes.equals(data));
    });

    it('expires after 3 days on the test clock, and then the file goes', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const data = jpeg(2000);
        const up = await upload(srv, a.token, 'image', data);
        const img = await postForm(srv, `/cgi-bin/media/uploadimg?${q(a.token)}`, multipart([{ name: 'media', filename: 'i.png', data: png() }]));
        assert.ok(img.body.url, img.text);
        assert.ok(mediaFiles(srv, a.appid).includes(up.body.media_id));
        await srv.advance(3 * DAY - 10);
        const t = await srv.token(a.appid, a.secret);
        assert.ok((await mediaGet(srv, t.access_token, up.body.media_id)).bytes.equals(data), 'still there before 3 days');
        await srv.advance(10);
        const t2 = await srv.token(a.appid, a.secret);
        expectFileErr(await mediaGet(srv, t2.access_token, up.body.media_id), 40007);
        // saving something new purges what expired on the way
        await upload(srv, t2.access_token, 'image', jpeg());
        assert.ok(!mediaFiles(srv, a.appid).includes(up.body.media_id), 'the expired file is removed');
        assert.equal((await fetchBytes(srv, urlPath(img.body.url))).status, 200, 'uploadimg images do not expire');
    });

    it('removes expired files in the background too', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const up = await upload(srv, a.token, 'voice', amr());
        assert.ok(mediaFiles(srv, a.appid).includes(up.body.media_id));
        await srv.advance(3 * DAY + 1);
        const deadline = Date.now() + 20000;
        while (mediaFiles(srv, a.appid).includes(up.body.media_id) && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 250));
        assert.ok(!mediaFiles(srv, a.appid).includes(up.body.media_id), 'purged within 20 s');
    });

    it('keeps media of one account away from another', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const b = await setup(srv);
        const up = await upload(srv, a.token, 'image', jpeg());
        const mat = await addMaterial(srv, a.token, 'image', jpeg());
        expectFileErr(await mediaGet(srv, b.token, up.body.media_id), 40007);
        expectFileErr(await materialGet(srv, b.token, mat.body.media_id), 40007);
        expectErr(await srv.post(`/cgi-bin/material/del_material?${q(b.token)}`, { media_id: mat.body.media_id }), 40007);
        const news = { articles: [{ title: 't', thumb_media_id: mat.body.media_id, content: 'c' }] };
        expectErr(await srv.post(`/cgi-bin/material/add_news?${q(b.token)}`, news), 40007);
        expectErr(await srv.post(`/cgi-bin/media/uploadvideo?${q(b.token)}`, { media_id: up.body.media_id, title: 't' }), 40007);
        assert.equal((await materialGet(srv, a.token, mat.body.media_id)).status, 200);
        const count = await srv.get(`/cgi-bin/material/get_materialcount?${q(b.token)}`);
        assert.deepEqual(count.body, { voice_count: 0, video_count: 0, image_count: 0, news_count: 0 });
    });
});

// ------------------------------------------------------------------ multipart shapes

describe('multipart shapes of real SDKs', () => {
    const h = useServer();

    async function accepts(srv, token, form, what, path = null) {
        const r = await postForm(srv, path || `/cgi-bin/media/upload?${q(token, { type: 'image' })}`, form);
        assert.equal(r.status, 200, what);
        assert.ok(r.body && r.body.media_id, `${what}: ${r.text}`);
        return r.body.media_id;
    }

    it('accepts requests, formstream, HttpClient, Guzzle, Symfony and Go shapes', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const data = jpeg(3000);
        // requests (wechatpy): 32 hex boundary, no part Content-Type
        await accepts(srv, a.token, multipart([{ name: 'media', filename: 'a.jpg', data }], { boundary: '3f1c0e0a6b0a4d3e9f2b8c7d6e5a4b3c' }), 'requests');
        // formstream (node-webot): 26 dashes + digits, part Content-Type
        await accepts(srv, a.token, multipart([{ name: 'media', filename: 'a.jpg', data, type: 'image/jpeg' }], { boundary: '--------------------------123456789012345678901234' }), 'formstream');
        // Apache HttpClient (WxJava): octet-stream part
        await accepts(srv, a.token, multipart([{ name: 'media', filename: 'a.jpg', data, type: 'application/octet-stream' }], { boundary: 'Xf3-_aZ9kQ1' }), 'httpclient');
        // Guzzle (EasyWeChat 4): Content-Length on the part
        await accepts(srv, a.token, multipart([{ name: 'media', filename: 'a.jpg', data, type: 'image/jpeg', length: true }], { boundary: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' }), 'guzzle');
        // Symfony (EasyWeChat 6): unquoted parameters, RFC 5987 filename*
        const sym = multipart([{ name: 'media', data, raw: "Content-Disposition: form-data; name=media; filename*=utf-8''%E5%9B%BE.jpg", type: 'image/jpeg' }], { boundary: 'Ab_x-Y12' });
        await accepts(srv, a.token, sym, 'symfony');
        // JavaMail-style quoted boundary with '=' and '.'
        await accepts(srv, a.token, multipart([{ name: 'media', filename: 'a.jpg', data }], { boundary: '----=_Part_0_12.34', quote: true }), 'quoted boundary');
        // a preamble, and the type as a form field instead of the query
        const form = multipart([{ name: 'type', data: 'image' }, { name: 'media', filename: 'a.jpg', data }], { preamble: 'ignored preamble' });
        await accepts(srv, a.token, form, 'type as form field', `/cgi-bin/media/upload?${q(a.token)}`);
        // multipart/form-data without a boundary parameter: the body's first line names it
        await accepts(srv, a.token, multipart([{ name: 'media', filename: 'a.jpg', data }], { noBoundary: true }), 'no boundary parameter');
    });

    it('keeps the uploaded filename as the material name', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const sym = multipart([{ name: 'media', data: jpeg(), raw: "Content-Disposition: form-data; name=\"media\"; filename=\"fallback.jpg\"; filename*=UTF-8''%E5%9B%BE%E7%89%87.jpg" }]);
        await accepts(srv, a.token, sym, 'filename*', `/cgi-bin/material/add_material?${q(a.token, { type: 'image' })}`);
        await accepts(srv, a.token, multipart([{ name: 'media', filename: 'C:\\photos\\win.jpg', data: jpeg() }]), 'windows path', `/cgi-bin/material/add_material?${q(a.token, { type: 'image' })}`);
        const list = await srv.post(`/cgi-bin/material/batchget_material?${q(a.token)}`, { type: 'image', offset: 0, count: 20 });
        const names = list.body.item.map((i) => i.name).sort();
        assert.deepEqual(names, ['win.jpg', '图片.jpg']);
    });

    it('refuses malformed bodies with 41005 and stays up', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const p = `/cgi-bin/media/upload?${q(a.token, { type: 'image' })}`;
        const data = jpeg();
        const bad = [
            multipart([{ name: 'media', filename: 'a.jpg', data }], { noClose: true }),
            multipart([{ name: 'media', filename: 'a.jpg', data }], { lf: true }),
            multipart([{ name: 'media', data, raw: 'Content-Disposition: attachment; name="media"' }]),
            multipart([{ name: 'media', data, raw: 'Content-Disposition: form-data; filename="a.jpg"' }]),
            multipart([{ name: 'media', data, raw: 'Content-Disposition: form-data; name="media"; filename*=utf-8\'\'%zz' }]),
            { body: Buffer.from('--abc\r\nContent-Disposition: form-data; name="media"\r\n\r\n'), ctype: 'multipart/form-data; boundary=abc' },
            { body: multipart([{ name: 'media', filename: 'a.jpg', data }], { boundary: 'one' }).body, ctype: 'multipart/form-data; boundary=two' },
            { body: Buffer.from('garbage'), ctype: 'multipart/form-data; boundary=' },
            { body: Buffer.from(`--b\r\n${'X-Long: ' + 'a'.repeat(10000)}\r\n\r\n`), ctype: 'multipart/form-data; boundary=b' },
        ];
        for (const [i, form] of bad.entries())
            expectErr(await postForm(srv, p, form), 41005, 200, `body ${i}`);
        // many parts
        const many = multipart(Array.from({ length: 40 }, (_, i) => ({ name: `f${i}`, data: 'x' })));
        expectErr(await postForm(srv, p, many), 41005);
        await srv.assertClean('malformed multipart bodies');
    });

    it('survives random bytes in multipart bodies', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const p = `/cgi-bin/media/upload?${q(a.token, { type: 'image' })}`;
        const base = multipart([{ name: 'media', filename: 'a.jpg', data: jpeg(200) }], { boundary: 'fuzz' }).body;
        let seed = 12345;
        const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
        for (let i = 0; i < 150; i++) {
            const b = Buffer.from(base);
            const flips = 1 + (rnd() % 6);
            for (let k = 0; k < flips; k++)
                b[rnd() % b.length] = rnd() & 0xff;
            const cut = rnd() % 3 === 0 ? b.subarray(0, rnd() % b.length) : b;
            const r = await postForm(srv, p, { body: cut, ctype: 'multipart/form-data; boundary=fuzz' });
            assert.equal(r.status, 200);
            assert.ok(r.body && (r.body.media_id || r.body.errcode), r.text);
        }
        await srv.assertClean('random multipart bodies');
    });
});

// ------------------------------------------------------------------ uploadimg, uploadnews, uploadvideo

describe('mass-message helpers', () => {
    const h = useServer();

    it('media/uploadimg takes JPEG or PNG up to 1 MiB and serves it at a public URL', async () => {
        const { srv } = h;
        const a = await setup(srv);
        for (const data of [jpeg(MiB), png(1000)]) {
            const r = await postForm(srv, `/cgi-bin/media/uploadimg?${q(a.token)}`, multipart([{ name: 'media', filename: 'x', data }]));
            assert.deepEqual(Object.keys(r.body), ['url'], r.text);
            assert.match(r.body.url, /^http:\/\/127\.0\.0\.1:\d+\/mmbiz\/img\?id=[A-Za-z0-9_-]{32}$/);
            const img = await fetchBytes(srv, urlPath(r.body.url));
            assert.equal(img.status, 200);
            assert.ok(img.bytes.equals(data));
        }
        const up = (data) => postForm(srv, `/cgi-bin/media/uploadimg?${q(a.token)}`, multipart([{ name: 'media', filename: 'x', data }]));
        expectErr(await up(jpeg(MiB + 1)), 40006);
        expectErr(await up(gif()), 40005);
        expectErr(await up(Buffer.alloc(0)), 44001);
        const count = await srv.get(`/cgi-bin/material/get_materialcount?${q(a.token)}`);
        assert.equal(count.body.image_count, 0, 'uploadimg images are not material');
        assert.equal((await fetchBytes(srv, '/mmbiz/img?id=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status, 404);
        assert.equal((await fetchBytes(srv, '/mmbiz/img')).status, 404);
    });

    it('media/uploadnews stores temporary news; media/uploadvideo turns a video into mpvideo', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const thumb = await upload(srv, a.token, 'thumb', jpeg());
        const article = { title: '标题', thumb_media_id: thumb.body.thumb_media_id, author: 'me', digest: 'd', content: '<p>内容</p>', content_source_url: 'https://example.com', show_cover_pic: 1 };
        const news = await srv.post(`/cgi-bin/media/uploadnews?${q(a.token)}`, { articles: [article, { ...article, show_cover_pic: '0' }] });
        assert.equal(news.body.type, 'news', news.text);
        assert.match(news.body.media_id, /^[A-Za-z0-9_-]{64}$/);
        assert.equal(typeof news.body.created_at, 'number');
        expectFileErr(await mediaGet(srv, a.token, news.body.media_id), 40007);

        const video = await upload(srv, a.token, 'video', mp4());
        const mp = await srv.post(`/cgi-bin/media/uploadvideo?${q(a.token)}`, { media_id: video.body.media_id, title: 'T', description: 'D' });
        assert.equal(mp.body.type, 'video', mp.text);
        assert.notEqual(mp.body.media_id, video.body.media_id);
        expectErr(await srv.post(`/cgi-bin/media/uploadvideo?${q(a.token)}`, { media_id: thumb.body.media_id, title: 'T' }), 40007);
        expectErr(await srv.post(`/cgi-bin/media/uploadvideo?${q(a.token)}`, { title: 'T' }), 41006);
        expectErr(await srv.post(`/cgi-bin/media/uploadvideo?${q(a.token)}`, { media_id: video.body.media_id, title: 't'.repeat(65) }), 45003);
        expectErr(await srv.post(`/cgi-bin/media/uploadvideo?${q(a.token)}`, { media_id: 5 }), 47001);
        expectErr(await srv.post(`/cgi-bin/media/uploadvideo?${q(a.token)}`, ''), 44002);
    });
});

// ------------------------------------------------------------------ permanent material

describe('permanent material', () => {
    const h = useServer({ testClock: true });

    it('adds, gets, counts and deletes images, voice and thumbs', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const data = png(4000);
        const add = await addMaterial(srv, a.token, 'image', data, 'pic.png');
        assert.match(add.body.media_id, /^[A-Za-z0-9_-]{43}$/, add.text);
        assert.match(add.body.url, /^http:\/\/127\.0\.0\.1:\d+\/mmbiz\/img\?id=/);
        const pub = await fetchBytes(srv, urlPath(add.body.url));
        assert.equal(pub.headers.get('content-type'), 'image/png');
        assert.ok(pub.bytes.equals(data), 'the public URL serves the bytes without a token');
        const got = await materialGet(srv, a.token, add.body.media_id);
        assert.equal(got.headers.get('content-type'), 'image/png');
        assert.ok(got.bytes.equals(data));
        assert.match(got.headers.get('content-disposition'), /^attachment; filename=".+\.png"$/);

        const voice = await addMaterial(srv, a.token, 'voice', wav(), 'v.wav');
        assert.ok(voice.body.media_id, voice.text);
        assert.equal(voice.body.url, undefined);
        const thumb = await addMaterial(srv, a.token, 'thumb', jpeg(), 't.jpg');
        assert.ok(thumb.body.url);
        const b = await addMaterial(srv, a.token, 'image', bmp(), 'old.bmp');
        assert.ok(b.body.media_id, 'material images may be BMP');

        let count = await srv.get(`/cgi-bin/material/get_materialcount?${q(a.token)}`);
        assert.deepEqual(count.body, { voice_count: 1, video_count: 0, image_count: 3, news_count: 0 });
        assert.ok(mediaFiles(srv, a.appid).includes(add.body.media_id));
        const del = await srv.post(`/cgi-bin/material/del_material?${q(a.token)}`, { media_id: add.body.media_id });
        assert.deepEqual(del.body, { errcode: 0, errmsg: 'ok' });
        assert.ok(!mediaFiles(srv, a.appid).includes(add.body.media_id), 'the file is removed');
        expectFileErr(await materialGet(srv, a.token, add.body.media_id), 40007);
        assert.equal((await fetchBytes(srv, urlPath(add.body.url))).status, 404);
        expectErr(await srv.post(`/cgi-bin/material/del_material?${q(a.token)}`, { media_id: add.body.media_id }), 40007);
        count = await srv.get(`/cgi-bin/material/get_materialcount?${q(a.token)}`);
        assert.equal(count.body.image_count, 2);

        await srv.advance(30 * DAY);
        const t = await srv.token(a.appid, a.secret);
        assert.equal((await materialGet(srv, t.access_token, voice.body.media_id)).status, 200, 'material never expires');
    });

    it('checks material errors', async () => {
        const { srv } = h;
        const a = await setup(srv);
        expectErr(await addMaterial(srv, a.token, 'news', jpeg()), 40004);
        expectErr(await addMaterial(srv, a.token, 'image', Buffer.from('<svg/>')), 40005);
        expectErr(await addMaterial(srv, a.token, 'image', jpeg(10 * MiB + 1)), 40006);
        expectErr(await addMaterial(srv, a.token, 'voice', amr(3001)), 45007);
        const up = await upload(srv, a.token, 'image', jpeg());
        expectFileErr(await materialGet(srv, a.token, up.body.media_id), 40007);
        expectFileErr(await fetchBytes(srv, `/cgi-bin/material/get_material?${q(a.token)}`, { method: 'POST' }), 44002);
        expectFileErr(await fetchBytes(srv, `/cgi-bin/material/get_material?${q(a.token)}`, { method: 'POST', body: '{"media_id":' }), 47001);
        expectFileErr(await fetchBytes(srv, `/cgi-bin/material/get_material?${q(a.token)}`, { method: 'POST', body: '{}' }), 41006);
        expectFileErr(await fetchBytes(srv, `/cgi-bin/material/get_material?${q(a.token)}`, { method: 'POST', body: '{"media_id":7}' }), 47001);
        expectFileErr(await fetchBytes(srv, `/cgi-bin/material/get_material?${q(a.token)}`), 43002);
        expectErr(await srv.post(`/cgi-bin/material/del_material?${q(a.token)}`, { media_id: up.body.media_id }), 40007);
        expectErr(await srv.post(`/cgi-bin/material/del_material?${q(a.token)}`, {}), 41006);
        expectErr(await srv.post(`/cgi-bin/material/get_materialcount?${q(a.token)}`, {}), 43001);
    });

    it('keeps material a custom menu sends (48005): file, URL and count stay', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const add = await addMaterial(srv, a.token, 'image', jpeg(), 'menu.jpg');
        assert.ok(add.body.media_id, add.text);
        const menu = { button: [{ type: 'media_id', name: 'pic', media_id: add.body.media_id }] };
        assert.equal((await srv.post(`/cgi-bin/menu/create?${q(a.token)}`, menu)).body.errcode, 0);
        const del = await srv.post(`/cgi-bin/material/del_material?${q(a.token)}`, { media_id: add.body.media_id });
        assert.deepEqual(del.body, { errcode: 48005, errmsg: 'forbid to delete material used by auto-reply or menu' });
        assert.ok(mediaFiles(srv, a.appid).includes(add.body.media_id), 'the file stays');
        assert.equal((await materialGet(srv, a.token, add.body.media_id)).status, 200);
        assert.equal((await fetchBytes(srv, urlPath(add.body.url))).status, 200);
        const count = await srv.get(`/cgi-bin/material/get_materialcount?${q(a.token)}`);
        assert.equal(count.body.image_count, 1);
        assert.equal((await srv.get(`/cgi-bin/menu/delete?${q(a.token)}`)).body.errcode, 0);
        assert.equal((await srv.post(`/cgi-bin/material/del_material?${q(a.token)}`, { media_id: add.body.media_id })).body.errcode, 0);
    });

    it('takes a video with its description as a form field or in the query', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const data = mp4(30 * KiB);
        const desc = JSON.stringify({ title: '视频', introduction: 'intro' });
        const form = await addMaterial(srv, a.token, 'video', data, 'v.mp4', [{ name: 'description', data: desc }]);
        assert.ok(form.body.media_id, form.text);
        const query = await addMaterial(srv, a.token, 'video', data, 'v.mp4', [], { description: desc });
        assert.ok(query.body.media_id, query.text);
        const got = await materialGet(srv, a.token, form.body.media_id);
        assert.equal(got.headers.get('content-type'), 'application/json');
        assert.equal(got.json.title, '视频');
        assert.equal(got.json.description, 'intro');
        const file = await fetchBytes(srv, urlPath(got.json.down_url));
        assert.ok(file.bytes.equals(data), 'down_url serves the video');
        expectErr(await addMaterial(srv, a.token, 'video', data, 'v.mp4'), 47003);
        expectErr(await addMaterial(srv, a.token, 'video', data, 'v.mp4', [{ name: 'description', data: 'not json' }]), 47001);
        expectErr(await addMaterial(srv, a.token, 'video', data, 'v.mp4', [{ name: 'description', data: '{"introduction":"x"}' }]), 47003);
        expectErr(await addMaterial(srv, a.token, 'video', data, 'v.mp4', [{ name: 'description', data: JSON.stringify({ title: 'x'.repeat(65) }) }]), 45003);
        const count = await srv.get(`/cgi-bin/material/get_materialcount?${q(a.token)}`);
        assert.equal(count.body.video_count, 2);
    });

    it('pages batchget_material newest first', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const ids = [];
        for (let i = 0; i < 25; i++) {
            const r = await addMaterial(srv, a.token, 'image', jpeg(100 + i), `p${i}.jpg`);
            ids.push(r.body.media_id);
        }
        const page = (offset, count) => srv.post(`/cgi-bin/material/batchget_material?${q(a.token)}`, { type: 'image', offset, count });
        const p1 = await page(0, 20);
        assert.equal(p1.body.total_count, 25);
        assert.equal(p1.body.item_count, 20);
        assert.equal(p1.body.item[0].media_id, ids[24], 'newest first');
        assert.equal(p1.body.item[0].name, 'p24.jpg');
        assert.match(p1.body.item[0].url, /\/mmbiz\/img\?id=/);
        assert.equal(typeof p1.body.item[0].update_time, 'number');
        const p2 = await page('20', '20');
        assert.equal(p2.body.item_count, 5);
        assert.deepEqual([...p1.body.item, ...p2.body.item].map((i) => i.media_id), [...ids].reverse());
        const p3 = await page(25, 5);
        assert.deepEqual([p3.body.total_count, p3.body.item_count, p3.body.item], [25, 0, []]);
        expectErr(await page(0, 0), 40035);
        expectErr(await page(0, 21), 40035);
        expectErr(await page(-1, 5), 40035);
        expectErr(await srv.post(`/cgi-bin/material/batchget_material?${q(a.token)}`, { type: 'thumb', offset: 0, count: 1 }), 40004);
        expectErr(await srv.post(`/cgi-bin/material/batchget_material?${q(a.token)}`, { offset: 0, count: 1 }), 40004);
        expectErr(await srv.post(`/cgi-bin/material/batchget_material?${q(a.token)}`, { type: 'image', count: 'many' }), 47001);
        const voices = await srv.post(`/cgi-bin/material/batchget_material?${q(a.token)}`, { type: 'voice', offset: 0, count: 20 });
        assert.deepEqual(voices.body, { total_count: 0, item_count: 0, item: [] });
    });

    it('stores news material, gets, lists and updates it', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const thumb = await addMaterial(srv, a.token, 'thumb', jpeg(), 't.jpg');
        const tempThumb = await upload(srv, a.token, 'thumb', jpeg());
        const article = (over = {}) => ({ title: '标题', thumb_media_id: thumb.body.media_id, author: 'me', digest: '摘要', content: '<p>正文</p>', content_source_url: 'https://example.com/x', show_cover_pic: 1, need_open_comment: 1, only_fans_can_comment: 0, ...over });
        const add = await srv.post(`/cgi-bin/material/add_news?${q(a.token)}`, { articles: [article(), article({ title: 'second' })] });
        assert.match(add.body.media_id, /^[A-Za-z0-9_-]{43}$/, add.text);
        const got = await materialGet(srv, a.token, add.body.media_id);
        assert.equal(got.headers.get('content-type'), 'application/json');
        assert.equal(got.json.news_item.length, 2);
        assert.deepEqual(got.json.news_item[0], { ...article(), url: '' });
        assert.equal(got.json.news_item[1].title, 'second');
        assert.equal(typeof got.json.create_time, 'number');

        const upd = await srv.post(`/cgi-bin/material/update_news?${q(a.token)}`, { media_id: add.body.media_id, index: 1, articles: article({ title: 'changed' }) });
        assert.deepEqual(upd.body, { errcode: 0, errmsg: 'ok' });
        const again = await materialGet(srv, a.token, add.body.media_id);
        assert.deepEqual(again.json.news_item.map((n) => n.title), ['标题', 'changed']);
        expectErr(await srv.post(`/cgi-bin/material/update_news?${q(a.token)}`, { media_id: add.body.media_id, index: 2, articles: article() }), 40035);
        expectErr(await srv.post(`/cgi-bin/material/update_news?${q(a.token)}`, { media_id: thumb.body.media_id, index: 0, articles: article() }), 40007);
        expectErr(await srv.post(`/cgi-bin/material/update_news?${q(a.token)}`, { media_id: add.body.media_id, index: 0 }), 44003);

        const list = await srv.post(`/cgi-bin/material/batchget_material?${q(a.token)}`, { type: 'news', offset: 0, count: 20 });
        assert.equal(list.body.total_count, 1);
        assert.deepEqual(list.body.item[0].content.news_item.map((n) => n.title), ['标题', 'changed']);
        assert.equal(list.body.item[0].media_id, add.body.media_id);
        const count = await srv.get(`/cgi-bin/material/get_materialcount?${q(a.token)}`);
        assert.equal(count.body.news_count, 1);

        const news = (articles) => srv.post(`/cgi-bin/material/add_news?${q(a.token)}`, { articles });
        expectErr(await news([]), 44003);
        expectErr(await srv.post(`/cgi-bin/material/add_news?${q(a.token)}`, {}), 44003);
        expectErr(await news('x'), 47001);
        expectErr(await news(Array.from({ length: 9 }, () => article())), 45008);
        assert.ok((await news(Array.from({ length: 8 }, () => article()))).body.media_id, '8 articles are fine');
        expectErr(await news([article({ title: '' })]), 47003);
        expectErr(await news([article({ title: 't'.repeat(65) })]), 45003);
        expectErr(await news([article({ digest: 'd'.repeat(121) })]), 45004);
        expectErr(await news([article({ content: '' })]), 44004);
        expectErr(await news([article({ content: 'c'.repeat(20001) })]), 45002);
        expectErr(await news([article({ content_source_url: 'https://e.com/' + 'u'.repeat(1020) })]), 45005);
        expectErr(await news([article({ thumb_media_id: tempThumb.body.media_id })]), 40007, 200, 'material news needs a permanent thumb');
        expectErr(await news([article({ thumb_media_id: undefined })]), 40007);
        expectErr(await news([article({ title: 5 })]), 47001);
        expectErr(await news([article({ show_cover_pic: 'yes' })]), 47001);
    });

    it('answers 45034 past 1000 voice materials', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const data = amr(2);
        let next = 0;
        const worker = async () => {
            while (next < 1000) {
                next++;
                const r = await addMaterial(srv, a.token, 'voice', data, 'v.amr');
                assert.ok(r.body.media_id, r.text);
            }
        };
        await Promise.all(Array.from({ length: 6 }, worker));
        expectErr(await addMaterial(srv, a.token, 'voice', data, 'v.amr'), 45034);
        const count = await srv.get(`/cgi-bin/material/get_materialcount?${q(a.token)}`);
        assert.equal(count.body.voice_count, 1000);
        assert.ok((await upload(srv, a.token, 'voice', data)).body.media_id, 'temporary media do not count');
    });
});

// ------------------------------------------------------------------ body limits

describe('upload body limits', () => {
    const h = useServer();

    it('answers 45001 for an upload body over 21 MiB, in the wire envelope', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const len = 22 * MiB;
        const head =
            `POST /cgi-bin/media/upload?${q(a.token, { type: 'video' })} HTTP/1.1\r\nHost: x\r\n` +
            `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${len}\r\n\r\n`;
        const r = await rawRequest(srv.port, head);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.body.errcode, 45001, r.text);
        const big = multipart([{ name: 'media', filename: 'v.mp4', data: mp4(12 * MiB) }]);
        expectErr(await postForm(srv, `/cgi-bin/media/upload?${q(a.token, { type: 'video' })}`, big), 40006);
        await srv.assertClean('large uploads');
    });

    it('keeps 1 MiB on the JSON routes of the family', async () => {
        const { srv } = h;
        const a = await setup(srv);
        const body = JSON.stringify({ media_id: 'x', pad: 'p'.repeat(MiB) });
        const r = await srv.post(`/cgi-bin/material/del_material?${q(a.token)}`, body);
        assert.equal(r.status, 413);
        assert.equal(r.body.errcode, 413);
    });
});
