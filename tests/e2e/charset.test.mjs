// Text is UTF-8 everywhere it enters: JSON bodies (raw bytes, or \u escapes of lone
// surrogates), form and query values, multipart names. Anything else is refused with 40033
// (JSON, as WeChat answers it) or the family's invalid-parameter answer, and nothing of it
// is stored, echoed, or pushed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectErr, useServer } from './lib/server.mjs';
import { client, newClientUser, wiredAccount } from './lib/messaging.mjs';

const bytes = (...parts) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
const F6 = [0xf6]; // ö in Latin-1: not UTF-8
const json = { 'content-type': 'application/json' };

describe('invalid UTF-8 on the wire', () => {
    const h = useServer({});
    let w; // a wired account with a follower
    let tok;
    let u;
    let openid;

    async function setup(srv) {
        if (w)
            return;
        w = await wiredAccount(srv);
        tok = (await srv.token(w.acct.appid, w.acct.secret)).access_token;
        u = await newClientUser(srv);
        assert.equal((await client.follow(srv, u, w.acct.appid)).body.errcode, 0);
        const list = await srv.get(`/cgi-bin/user/get?access_token=${tok}`);
        openid = list.body.data.openid[0];
        assert.ok(openid, list.text);
    }

    const wire = (srv, path, body) => srv.post(`${path}${path.includes('?') ? '&' : '?'}access_token=${tok}`, body, { headers: json });

    it('refuses a tag name with a raw non-UTF-8 byte or an escaped lone surrogate with 40033, and stores neither', async () => {
        const { srv } = h;
        await setup(srv);
        expectErr(await wire(srv, '/cgi-bin/tags/create', bytes('{"tag":{"name":"x', F6, '"}}')), 40033);
        expectErr(await wire(srv, '/cgi-bin/tags/create', '{"tag":{"name":"x\\ud800"}}'), 40033);
        expectErr(await wire(srv, '/cgi-bin/tags/create', '{"tag":{"name":"x\\udc00y"}}'), 40033);
        const ok = await wire(srv, '/cgi-bin/tags/create', '{"tag":{"name":"\\u4f60\\u597d \\ud83d\\ude00"}}');
        assert.equal(ok.body.tag?.name, '你好 😀', ok.text);
        const got = await srv.get(`/cgi-bin/tags/get?access_token=${tok}`);
        assert.doesNotThrow(() => JSON.parse(got.text));
        assert.deepEqual(got.body.tags.map((t) => t.name).filter((n) => n !== '星标组'), ['你好 😀']);
    });

    it('refuses menu names and keys, remarks and custom messages that are not UTF-8', async () => {
        const { srv } = h;
        await setup(srv);
        expectErr(await wire(srv, '/cgi-bin/menu/create', bytes('{"button":[{"type":"click","name":"a', F6, '","key":"k"}]}')), 40033);
        expectErr(await wire(srv, '/cgi-bin/menu/create', bytes('{"button":[{"type":"click","name":"a","key":"k', [0xc3], '"}]}')), 40033);
        expectErr(await srv.get(`/cgi-bin/menu/get?access_token=${tok}`), 46003); // no menu was made
        expectErr(await wire(srv, '/cgi-bin/user/info/updateremark', bytes(`{"openid":"${openid}","remark":"`, [0xe4, 0xbd], '"}')), 40033);
        const info = await srv.get(`/cgi-bin/user/info?access_token=${tok}&openid=${openid}`);
        assert.equal(info.body.remark, '', info.text);
        expectErr(await wire(srv, '/cgi-bin/message/custom/send', bytes(`{"touser":"${openid}","msgtype":"text","text":{"content":"hi`, [0xff], '"}}')), 40033);
        const inbox = await client.messages(srv, u, w.acct.appid, 0, 0);
        assert.equal(inbox.status, 200);
        assert.doesNotThrow(() => JSON.parse(inbox.text), 'the chat stays valid JSON');
        assert.ok(!inbox.text.includes('\ufffd'), inbox.text);
    });

    it('refuses a client menu tap whose location label is not UTF-8, and pushes nothing', async () => {
        const { srv } = h;
        await setup(srv);
        const menu = { button: [{ type: 'location_select', name: 'Where', key: 'K_LOC' }] };
        assert.equal((await wire(srv, '/cgi-bin/menu/create', menu)).body.errcode, 0);
        const before = w.dev.received.length;
        const body = bytes(`{"appid":"${w.acct.appid}","type":"location_select","key":"K_LOC","location":{"latitude":1,"longitude":2,"label":"`, F6, '","poiname":"p"}}');
        const r = await srv.post('/client/v1/menu/click', body, { headers: { ...u.auth, ...json } });
        assert.equal(r.body?.errcode, 40033, r.text);
        await new Promise((res) => setTimeout(res, 300));
        assert.equal(w.dev.received.length, before, 'no event was pushed');
    });

    it('refuses form and query values that decode to bytes that are not UTF-8', async () => {
        const { srv } = h;
        await setup(srv);
        // a query value: the token API reads appid as a malformed one
        const t = await srv.get(`/cgi-bin/token?grant_type=client_credential&appid=wx%F6&secret=${w.acct.secret}`);
        assert.notEqual(t.body.errcode, 0, t.text);
        assert.ok(!t.body.access_token);
        // a form value: sign-in refuses the name as it is, it does not look it up cut short
        const form = { 'content-type': 'application/x-www-form-urlencoded' };
        const s = await srv.post('/client/v1/login', `username=${u.username}%C3&password=pw-123456`, { headers: form });
        assert.ok(!s.body?.session, s.text);
    });

    it('refuses a multipart upload whose filename is not UTF-8 with 40033', async () => {
        const { srv } = h;
        await setup(srv);
        const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
        const boundary = 'xXcharsetXx';
        const body = bytes(`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="a`, F6, `.png"\r\nContent-Type: image/png\r\n\r\n`, png, `\r\n--${boundary}--\r\n`);
        const r = await srv.post(`/cgi-bin/media/upload?access_token=${tok}&type=image`, body, {
            headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        });
        expectErr(r, 40033);
        const okBody = bytes(`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="图.png"\r\nContent-Type: image/png\r\n\r\n`, png, `\r\n--${boundary}--\r\n`);
        const ok = await srv.post(`/cgi-bin/media/upload?access_token=${tok}&type=image`, okBody, {
            headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        });
        assert.ok(ok.body?.media_id, ok.text);
    });
});
