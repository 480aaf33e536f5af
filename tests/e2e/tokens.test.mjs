// Access tokens (spec/accounts.md §1): cgi-bin/token issue and overlap, expiry on the test
// clock, and the stable_token rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectErr, isJsonType, secondsToCstMidnight, useServer } from './lib/server.mjs';

const TOKEN_RE = /^[A-Za-z0-9_-]{16,512}$/;

describe('cgi-bin/token', () => {
    const h = useServer({ testClock: true });

    it('issues a URL-safe token of at most 512 characters that lasts 7200 seconds', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const q = new URLSearchParams({ grant_type: 'client_credential', appid: a.appid, secret: a.secret });
        const res = await srv.get(`/cgi-bin/token?${q}`);
        assert.equal(res.status, 200);
        assert.ok(isJsonType(res.headers), res.headers.get('content-type'));
        assert.match(res.body.access_token, TOKEN_RE);
        assert.equal(res.body.expires_in, 7200);
        assert.equal(res.body.errcode, undefined, 'a token answer carries no errcode');
    });

    it('lets the token call getcallbackip and get_api_domain_ip', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const t = await srv.token(a.appid, a.secret);
        const cb = await srv.get(`/cgi-bin/getcallbackip?access_token=${t.access_token}`);
        assert.equal(cb.status, 200);
        assert.ok(Array.isArray(cb.body.ip_list) && cb.body.ip_list.length > 0, cb.text);
        const dom = await srv.get(`/cgi-bin/get_api_domain_ip?access_token=${t.access_token}`);
        assert.equal(dom.status, 200);
        assert.ok(Array.isArray(dom.body.ip_list) && dom.body.ip_list.length > 0, dom.text);
    });

    it('issues a new token on every call and keeps the previous one working for five minutes', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const t1 = (await srv.token(a.appid, a.secret)).access_token;
        const t2 = (await srv.token(a.appid, a.secret)).access_token;
        assert.notEqual(t1, t2);
        assert.ok((await srv.callbackIp(t1)).ip_list, 'the previous token works right after the refresh');
        assert.ok((await srv.callbackIp(t2)).ip_list);
        await srv.advance(280);
        assert.ok((await srv.callbackIp(t1)).ip_list, 'the previous token still works within 5 minutes');
        await srv.advance(30);
        assert.equal((await srv.callbackIp(t1)).errcode, 40001, 'superseded and past its 5 minutes: 40001');
        assert.ok((await srv.callbackIp(t2)).ip_list, 'the newest token still works');
    });

    it('leaves only the newest token working five minutes after a burst of refreshes', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const toks = [];
        for (let i = 0; i < 4; i++)
            toks.push((await srv.token(a.appid, a.secret)).access_token);
        assert.equal(new Set(toks).size, 4);
        for (const t of toks)
            assert.ok((await srv.callbackIp(t)).ip_list, 'every token of the burst works at first');
        await srv.advance(301);
        for (const t of toks.slice(0, 3))
            assert.equal((await srv.callbackIp(t)).errcode, 40001);
        assert.ok((await srv.callbackIp(toks[3])).ip_list);
    });

    it("does not touch another account's tokens when one account refreshes", async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const b = await srv.createAccount();
        const ta = (await srv.token(a.appid, a.secret)).access_token;
        await srv.token(b.appid, b.secret);
        await srv.token(b.appid, b.secret);
        await srv.advance(301);
        assert.ok((await srv.callbackIp(ta)).ip_list);
    });

    it('answers 42001 once a token reached its 7200 seconds', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const t = await srv.token(a.appid, a.secret);
        await srv.advance(7100);
        assert.ok((await srv.callbackIp(t.access_token)).ip_list, 'valid before its end');
        await srv.advance(101);
        assert.equal((await srv.callbackIp(t.access_token)).errcode, 42001);
        const dom = await srv.get(`/cgi-bin/get_api_domain_ip?access_token=${t.access_token}`);
        expectErr(dom, 42001);
        const fresh = await srv.token(a.appid, a.secret);
        assert.ok((await srv.callbackIp(fresh.access_token)).ip_list, 'a new token works');
        assert.equal(fresh.expires_in, 7200);
    });

    it('answers 40001 for a token nobody issued', async () => {
        const { srv } = h;
        const res = await srv.get('/cgi-bin/getcallbackip?access_token=AT_this-token-was-never-issued');
        expectErr(res, 40001);
    });
});

describe('cgi-bin/stable_token', () => {
    const h = useServer({ testClock: true });

    /** moves the clock past CST midnight when fewer than `need` seconds are left of today */
    async function dayHeadroom(srv, need) {
        const { now } = await srv.clock();
        const left = secondsToCstMidnight(now);
        if (left < need)
            await srv.advance(left + 60);
    }

    it('returns the same token while it has more than five minutes left, with a shrinking expires_in', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const s1 = await srv.stableToken(a.appid, a.secret);
        assert.match(s1.access_token, TOKEN_RE);
        assert.ok(s1.expires_in > 7190 && s1.expires_in <= 7200, JSON.stringify(s1));
        const s2 = await srv.stableToken(a.appid, a.secret);
        assert.equal(s2.access_token, s1.access_token);
        await srv.advance(1000);
        const s3 = await srv.stableToken(a.appid, a.secret);
        assert.equal(s3.access_token, s1.access_token);
        assert.ok(s3.expires_in <= s1.expires_in - 1000 && s3.expires_in > s1.expires_in - 1010, JSON.stringify(s3));
        assert.ok((await srv.callbackIp(s1.access_token)).ip_list);
    });

    it('issues a new token in the last five minutes and keeps the old one valid to its end', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const s1 = await srv.stableToken(a.appid, a.secret);
        await srv.advance(s1.expires_in - 250);
        const s2 = await srv.stableToken(a.appid, a.secret);
        assert.notEqual(s2.access_token, s1.access_token, 'a new token within the last 5 minutes');
        assert.ok(s2.expires_in > 7190, JSON.stringify(s2));
        assert.ok((await srv.callbackIp(s1.access_token)).ip_list, 'the old token lives to its end');
        assert.ok((await srv.callbackIp(s2.access_token)).ip_list);
        const s3 = await srv.stableToken(a.appid, a.secret);
        assert.equal(s3.access_token, s2.access_token, 'then the new one is the current one');
        await srv.advance(260);
        assert.equal((await srv.callbackIp(s1.access_token)).errcode, 42001, 'the old one expires naturally');
        assert.ok((await srv.callbackIp(s2.access_token)).ip_list);
    });

    it('issues a new token on force_refresh and invalidates the old one at once', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const s1 = await srv.stableToken(a.appid, a.secret);
        assert.ok((await srv.callbackIp(s1.access_token)).ip_list);
        const s2 = await srv.stableToken(a.appid, a.secret, true);
        assert.notEqual(s2.access_token, s1.access_token);
        assert.equal(s2.expires_in, 7200);
        assert.equal((await srv.callbackIp(s1.access_token)).errcode, 40001);
        assert.ok((await srv.callbackIp(s2.access_token)).ip_list);
        const s3 = await srv.stableToken(a.appid, a.secret);
        assert.equal(s3.access_token, s2.access_token, 'normal mode then returns the forced token');
    });

    it('returns the current token unchanged on a second forced refresh within 30 seconds', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        await srv.stableToken(a.appid, a.secret);
        const f1 = await srv.stableToken(a.appid, a.secret, true);
        const f2 = await srv.stableToken(a.appid, a.secret, true);
        assert.equal(f2.access_token, f1.access_token);
        assert.ok((await srv.callbackIp(f1.access_token)).ip_list, 'not invalidated by the refused refresh');
        await srv.advance(31);
        const f3 = await srv.stableToken(a.appid, a.secret, true);
        assert.notEqual(f3.access_token, f1.access_token, '30 s later a forced refresh works again');
        assert.equal((await srv.callbackIp(f1.access_token)).errcode, 40001);
    });

    it('allows a forced refresh of an account that has no stable token yet', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const f = await srv.stableToken(a.appid, a.secret, true);
        assert.match(f.access_token, TOKEN_RE);
        assert.ok((await srv.callbackIp(f.access_token)).ip_list);
    });

    it('allows at most 20 forced refreshes a day, then answers 45009', async () => {
        const { srv } = h;
        await dayHeadroom(srv, 21 * 31 + 600);
        const a = await srv.createAccount();
        const seen = new Set();
        for (let i = 0; i < 20; i++) {
            const f = await srv.stableToken(a.appid, a.secret, true);
            assert.ok(f.access_token, `forced refresh ${i + 1}: ${JSON.stringify(f)}`);
            seen.add(f.access_token);
            await srv.advance(31);
        }
        assert.equal(seen.size, 20, 'each forced refresh 30 s apart gives a new token');
        const res = await srv.post('/cgi-bin/stable_token', {
            grant_type: 'client_credential',
            appid: a.appid,
            secret: a.secret,
            force_refresh: true,
        });
        expectErr(res, 45009);
        const normal = await srv.stableToken(a.appid, a.secret);
        assert.ok(seen.has(normal.access_token), 'normal mode still returns the current token');
        assert.ok((await srv.callbackIp(normal.access_token)).ip_list);
    });

    it('keeps stable tokens and cgi-bin/token tokens independent of each other', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const p1 = (await srv.token(a.appid, a.secret)).access_token;
        const s1 = (await srv.stableToken(a.appid, a.secret)).access_token;
        assert.notEqual(p1, s1);
        const p2 = (await srv.token(a.appid, a.secret)).access_token;
        assert.equal((await srv.stableToken(a.appid, a.secret)).access_token, s1, 'a plain refresh leaves the stable token current');
        assert.ok((await srv.callbackIp(s1)).ip_list);
        const s2 = (await srv.stableToken(a.appid, a.secret, true)).access_token;
        assert.ok((await srv.callbackIp(p2)).ip_list, 'a forced stable refresh leaves plain tokens alone');
        assert.ok((await srv.callbackIp(p1)).ip_list, 'including the previous plain token in its 5 minutes');
        await srv.advance(301);
        assert.ok((await srv.callbackIp(s2)).ip_list, 'plain overlap rules do not end the stable token');
        assert.ok((await srv.callbackIp(p2)).ip_list);
        assert.equal((await srv.callbackIp(p1)).errcode, 40001);
    });

    it('invalidates every earlier stable token on force_refresh, also one still in its last five minutes', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const s1 = await srv.stableToken(a.appid, a.secret);
        await srv.advance(s1.expires_in - 250);
        const s2 = await srv.stableToken(a.appid, a.secret);
        assert.notEqual(s2.access_token, s1.access_token);
        assert.ok((await srv.callbackIp(s1.access_token)).ip_list, 'the old one is still valid before the force');
        const s3 = await srv.stableToken(a.appid, a.secret, true);
        assert.notEqual(s3.access_token, s2.access_token);
        assert.equal((await srv.callbackIp(s2.access_token)).errcode, 40001, 'the current one is invalid at once');
        assert.equal((await srv.callbackIp(s1.access_token)).errcode, 40001, 'the older one is invalid at once too');
        assert.ok((await srv.callbackIp(s3.access_token)).ip_list);
    });

    it('accepts a stable_token body whatever its Content-Type, and numeric or string booleans', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const body = JSON.stringify({ grant_type: 'client_credential', appid: a.appid, secret: a.secret });
        for (const ct of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8']) {
            const headers = ct ? { 'content-type': ct } : {};
            const res = await srv.request('POST', '/cgi-bin/stable_token', { body, headers });
            assert.match(res.body.access_token, TOKEN_RE, `${ct}: ${res.text}`);
        }
        const f = await srv.post('/cgi-bin/stable_token', {
            grant_type: 'client_credential',
            appid: a.appid,
            secret: a.secret,
            force_refresh: 0,
        });
        assert.ok(f.body.access_token, f.text);
    });
});
