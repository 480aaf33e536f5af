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
