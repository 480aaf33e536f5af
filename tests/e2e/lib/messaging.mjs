// Helpers for the messaging tests: an account wired to a developer server, a signed-in
// user, and the client-API calls a user makes.
import assert from 'node:assert/strict';
import { startDevServer, randomAesKey } from './devserver.mjs';

let seq = 0;

/** a new user with a client session: {id, username, auth} */
export async function newClientUser(srv) {
    const username = `m${process.pid}x${++seq}x${Math.random().toString(36).slice(2, 7)}`;
    const r = await srv.op('POST', '/admin/v1/users', { username, password: 'pw-123456' });
    assert.equal(r.body?.errcode, 0, r.text);
    const s = await srv.post('/client/v1/login', { username, password: 'pw-123456' });
    assert.equal(s.body?.errcode, 0, s.text);
    return { id: r.body.user.id, username, auth: { authorization: `Bearer ${s.body.session}` } };
}

/** a verified service account whose message server is a fresh DevServer in `mode` */
export async function wiredAccount(srv, mode = 'plaintext', extra = {}) {
    const acct = await srv.createAccount({ type: 'service', verified: true });
    const token = `tok${Math.random().toString(36).slice(2, 10)}`;
    const aesKey = randomAesKey();
    const dev = await startDevServer({ token, aesKey, appid: acct.appid });
    const r = await srv.op('POST', '/admin/v1/accounts/server', {
        appid: acct.appid,
        url: dev.url,
        token,
        encoding_aes_key: aesKey,
        mode,
        ...extra,
    });
    assert.equal(r.body?.errcode, 0, r.text);
    return { acct, dev, token, aesKey };
}

export const client = {
    follow: (srv, u, appid) => srv.post('/client/v1/follow', { appid }, { headers: u.auth }),
    unfollow: (srv, u, appid) => srv.post('/client/v1/unfollow', { appid }, { headers: u.auth }),
    send: (srv, u, appid, msg) =>
        srv.post('/client/v1/messages/send', { appid, ...msg }, { headers: u.auth }),
    text: (srv, u, appid, content) =>
        srv.post('/client/v1/messages/send', { appid, msgtype: 'text', content }, { headers: u.auth }),
    messages: (srv, u, appid, after = 0, wait = 0) =>
        srv.get(`/client/v1/messages?appid=${appid}&after=${after}&wait=${wait}`, { headers: u.auth }),
};

/** waits until the chat has a message from the account after `after`; returns it */
export async function nextFromAccount(srv, u, appid, after = 0) {
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
        const r = await client.messages(srv, u, appid, after, 10);
        assert.equal(r.body?.errcode, 0, r.text);
        const m = r.body.messages.find((x) => x.from === 'account');
        if (m) return m;
        after = r.body.last_id || after;
    }
    throw new Error('no message from the account');
}

/** the push log of an account */
export async function pushes(srv, appid) {
    const r = await srv.op('GET', `/admin/v1/pushes?appid=${appid}&limit=100`);
    assert.equal(r.body?.errcode, 0, r.text);
    return r.body.pushes;
}

/** what a user sees when the account's server fails (spec/messaging.md §2) */
export const FAILURE_NOTICE = '该公众号暂时无法提供服务，请稍后再试';

/** POST /admin/v1/accounts/server for appid with these fields */
export function setServer(srv, appid, fields) {
    return srv.op('POST', '/admin/v1/accounts/server', { appid, ...fields });
}

/**
 * Waits until the push log of appid has a push for which pred(push) holds and that is no
 * longer pending; returns it.
 */
export async function settled(srv, appid, pred = () => true, timeoutMs = 30000) {
    const deadline = Date.now() + timeoutMs;
    let log = [];
    while (Date.now() < deadline) {
        log = await pushes(srv, appid);
        const p = log.find((x) => pred(x) && x.state !== 'pending');
        if (p) return p;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no settled push; log: ${JSON.stringify(log.map((p) => [p.kind, p.state, p.outcome]))}`);
}

/** the messages of the chat from the account after message id `after` */
export async function accountMessages(srv, u, appid, after = 0) {
    const r = await client.messages(srv, u, appid, after);
    assert.equal(r.body?.errcode, 0, r.text);
    return r.body.messages.filter((m) => m.from === 'account');
}

/** an access token of acct */
export async function wireToken(srv, acct) {
    const t = await srv.token(acct.appid, acct.secret);
    assert.ok(t.access_token, JSON.stringify(t));
    return t.access_token;
}

function withHead(head, size) {
    const b = Buffer.alloc(size);
    for (let i = 0; i < size; i++) b[i] = (i * 131 + 7) & 0xff;
    Buffer.from(head).copy(b);
    return b;
}

/** small sample files the media API takes for each type */
export const samples = {
    image: () => ({ data: withHead([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46], 600), filename: 'a.jpg' }),
    thumb: () => ({ data: withHead([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46], 400), filename: 't.jpg' }),
    voice: () => {
        const b = Buffer.alloc(6 + 50 * 32, 0x55);
        b.write('#!AMR\n', 0, 'latin1');
        for (let i = 0; i < 50; i++) b[6 + i * 32] = (7 << 3) | 0x04;
        return { data: b, filename: 'v.amr' };
    },
    video: () => ({ data: withHead([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d], 2000), filename: 'v.mp4' }),
};

/** uploads a temporary medium of `type` (a sample) with /cgi-bin/media/upload; its media_id */
export async function uploadMedia(srv, token, type) {
    const { data, filename } = samples[type]();
    const form = new FormData();
    form.append('media', new Blob([data]), filename);
    const res = await srv.fetch(`/cgi-bin/media/upload?access_token=${token}&type=${type}`, { method: 'POST', body: form });
    const body = await res.json();
    assert.ok(body.media_id || body.thumb_media_id, JSON.stringify(body));
    return body.media_id || body.thumb_media_id;
}
