// Daily API quotas (spec/README.md §5, spec/accounts.md §1): the 2000-a-day cgi-bin/token
// limit, clear_quota, clear_quota/v2, openapi/quota/get and openapi/quota/clear.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectErr, secondsToCstMidnight, useServer } from './lib/server.mjs';

/** runs fn(i) for i in [0, n) with `width` calls in flight */
async function pool(n, width, fn) {
    let next = 0;
    const out = new Array(n);
    const worker = async () => {
        while (next < n) {
            const i = next++;
            out[i] = await fn(i);
        }
    };
    await Promise.all(Array.from({ length: width }, worker));
    return out;
}

async function quotaGet(srv, token, cgiPath) {
    return srv.post(`/cgi-bin/openapi/quota/get?access_token=${token}`, { cgi_path: cgiPath });
}

describe('daily quotas', () => {
    const h = useServer({ testClock: true });

    it('answers 45009 after 2000 token calls in a day, and issues again after clear_quota/v2', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const first = await srv.token(a.appid, a.secret);
        assert.ok(first.access_token);
        const answers = await pool(1999, 16, () => srv.token(a.appid, a.secret));
        const failed = answers.filter((r) => !r.access_token);
        assert.equal(failed.length, 0, `calls 2..2000 must all succeed: ${JSON.stringify(failed[0])}`);
        const last = answers[answers.length - 1].access_token;

        let q = await quotaGet(srv, last, '/cgi-bin/token');
        assert.equal(q.status, 200);
        assert.equal(q.body.errcode, 0, q.text);
        assert.deepEqual(
            { daily_limit: q.body.quota.daily_limit, used: q.body.quota.used, remain: q.body.quota.remain },
            { daily_limit: 2000, used: 2000, remain: 0 },
        );

        const q2001 = new URLSearchParams({ grant_type: 'client_credential', appid: a.appid, secret: a.secret });
        expectErr(await srv.get(`/cgi-bin/token?${q2001}`), 45009);
        expectErr(await srv.get(`/cgi-bin/token?${q2001}`), 45009);
        q = await quotaGet(srv, last, '/cgi-bin/token');
        assert.equal(q.body.quota.used, 2000, 'refused calls do not count');
        assert.ok((await srv.callbackIp(last)).ip_list, 'tokens issued before the limit keep working');

        const clear = await srv.post('/cgi-bin/clear_quota/v2', { appid: a.appid, appsecret: a.secret });
        assert.equal(clear.status, 200);
        assert.deepEqual([clear.body.errcode, clear.body.errmsg], [0, 'ok']);

        q = await quotaGet(srv, last, '/cgi-bin/token');
        assert.equal(q.body.quota.used, 0, q.text);
        assert.equal(q.body.quota.remain, 2000);
        const again = await srv.token(a.appid, a.secret);
        assert.ok(again.access_token, JSON.stringify(again));
        q = await quotaGet(srv, again.access_token, '/cgi-bin/token');
        assert.deepEqual([q.body.quota.used, q.body.quota.remain], [1, 1999]);
    });

    it("counts each account's quota separately", async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const b = await srv.createAccount();
        for (let i = 0; i < 3; i++)
            await srv.token(a.appid, a.secret);
        const tb = (await srv.token(b.appid, b.secret)).access_token;
        const ta = (await srv.token(a.appid, a.secret)).access_token;
        assert.equal((await quotaGet(srv, ta, '/cgi-bin/token')).body.quota.used, 4);
        assert.equal((await quotaGet(srv, tb, '/cgi-bin/token')).body.quota.used, 1);
    });

    it("does not count refused token calls (wrong secret) against the quota", async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        for (let i = 0; i < 3; i++)
            assert.equal((await srv.token(a.appid, 'f'.repeat(32))).errcode, 40001);
        const t = (await srv.token(a.appid, a.secret)).access_token;
        assert.equal((await quotaGet(srv, t, '/cgi-bin/token')).body.quota.used, 1);
    });

    it("clears the token's own account with clear_quota and refuses another appid with 40013", async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const b = await srv.createAccount();
        for (let i = 0; i < 2; i++)
            await srv.token(a.appid, a.secret);
        const ta = (await srv.token(a.appid, a.secret)).access_token;
        const tb = (await srv.token(b.appid, b.secret)).access_token;
        assert.equal((await quotaGet(srv, ta, '/cgi-bin/token')).body.quota.used, 3);

        expectErr(await srv.post(`/cgi-bin/clear_quota?access_token=${ta}`, { appid: b.appid }), 40013);
        assert.equal((await quotaGet(srv, tb, '/cgi-bin/token')).body.quota.used, 1, 'b untouched');

        const ok = await srv.post(`/cgi-bin/clear_quota?access_token=${ta}`, { appid: a.appid });
        assert.deepEqual([ok.status, ok.body.errcode, ok.body.errmsg], [200, 0, 'ok']);
        assert.equal((await quotaGet(srv, ta, '/cgi-bin/token')).body.quota.used, 0);
        assert.equal((await quotaGet(srv, tb, '/cgi-bin/token')).body.quota.used, 1, 'b still untouched');
        assert.ok((await srv.callbackIp(ta)).ip_list, 'clearing quota leaves tokens valid');
    });

    it('allows ten quota clears a month across clear_quota and clear_quota/v2, then answers 48006', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const t = (await srv.token(a.appid, a.secret)).access_token;
        for (let i = 0; i < 5; i++) {
            const r = await srv.post(`/cgi-bin/clear_quota?access_token=${t}`, { appid: a.appid });
            assert.equal(r.body.errcode, 0, `clear ${i + 1}: ${r.text}`);
            const r2 = await srv.post('/cgi-bin/clear_quota/v2', { appid: a.appid, appsecret: a.secret });
            assert.equal(r2.body.errcode, 0, `clear/v2 ${i + 1}: ${r2.text}`);
        }
        expectErr(await srv.post(`/cgi-bin/clear_quota?access_token=${t}`, { appid: a.appid }), 48006);
        expectErr(await srv.post('/cgi-bin/clear_quota/v2', { appid: a.appid, appsecret: a.secret }), 48006);
        const b = await srv.createAccount();
        const r = await srv.post('/cgi-bin/clear_quota/v2', { appid: b.appid, appsecret: b.secret });
        assert.equal(r.body.errcode, 0, 'the monthly budget is per account');
    });

    it('accepts clear_quota/v2 fields in the query when the body is empty', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        await srv.token(a.appid, a.secret);
        const r = await srv.post(`/cgi-bin/clear_quota/v2?appid=${a.appid}&appsecret=${a.secret}`, '');
        assert.equal(r.body.errcode, 0, r.text);
        expectErr(await srv.post(`/cgi-bin/clear_quota/v2?appid=${a.appid}&appsecret=${'0'.repeat(32)}`, ''), 40125);
    });

    it("resets one API's counter with openapi/quota/clear and leaves the others", async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        for (let i = 0; i < 2; i++)
            await srv.token(a.appid, a.secret);
        const t = (await srv.token(a.appid, a.secret)).access_token;
        for (let i = 0; i < 2; i++)
            assert.ok((await srv.get(`/cgi-bin/get_api_domain_ip?access_token=${t}`)).body.ip_list);
        let dom = await quotaGet(srv, t, '/cgi-bin/get_api_domain_ip');
        assert.equal(dom.body.errcode, 0, dom.text);
        assert.equal(dom.body.quota.used, 2);
        assert.equal(dom.body.quota.daily_limit - dom.body.quota.used, dom.body.quota.remain);
        assert.equal((await quotaGet(srv, t, '/cgi-bin/token')).body.quota.used, 3);

        const r = await srv.post(`/cgi-bin/openapi/quota/clear?access_token=${t}`, { cgi_path: '/cgi-bin/token' });
        assert.deepEqual([r.status, r.body.errcode], [200, 0], r.text);
        assert.equal((await quotaGet(srv, t, '/cgi-bin/token')).body.quota.used, 0);
        dom = await quotaGet(srv, t, '/cgi-bin/get_api_domain_ip');
        assert.equal(dom.body.quota.used, 2, 'the other API keeps its count');
    });

    it('answers 76021 for an unknown cgi_path and 76022 for /sns/ paths in quota/get and quota/clear', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        const t = (await srv.token(a.appid, a.secret)).access_token;
        for (const api of ['get', 'clear']) {
            const p = `/cgi-bin/openapi/quota/${api}?access_token=${t}`;
            expectErr(await srv.post(p, { cgi_path: '/cgi-bin/no/such/api' }), 76021);
            expectErr(await srv.post(p, { cgi_path: '/admin/v1/accounts' }), 76021);
            expectErr(await srv.post(p, { cgi_path: '/sns/oauth2/access_token' }), 76022);
            expectErr(await srv.post(p, { cgi_path: '/sns/userinfo' }), 76022);
        }
    });

    // these move the clock forward, so they come last

    it('starts a new quota day at midnight China Standard Time', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        for (let i = 0; i < 3; i++)
            await srv.token(a.appid, a.secret);
        let t = (await srv.token(a.appid, a.secret)).access_token;
        assert.equal((await quotaGet(srv, t, '/cgi-bin/token')).body.quota.used, 4);
        const { now } = await srv.clock();
        const left = secondsToCstMidnight(now);
        if (left > 30) {
            await srv.advance(left - 20);
            t = (await srv.token(a.appid, a.secret)).access_token;
            assert.equal((await quotaGet(srv, t, '/cgi-bin/token')).body.quota.used, 5, 'still the same day 20 s before midnight');
        }
        await srv.advance(40);
        t = (await srv.token(a.appid, a.secret)).access_token;
        assert.equal((await quotaGet(srv, t, '/cgi-bin/token')).body.quota.used, 1, 'a new day counts from zero');
    });

    it('gives each account a fresh quota-clear budget in a new calendar month', async () => {
        const { srv } = h;
        const a = await srv.createAccount();
        let r;
        for (let i = 0; i < 10; i++) {
            r = await srv.post('/cgi-bin/clear_quota/v2', { appid: a.appid, appsecret: a.secret });
            assert.equal(r.body.errcode, 0, r.text);
        }
        expectErr(await srv.post('/cgi-bin/clear_quota/v2', { appid: a.appid, appsecret: a.secret }), 48006);
        // to the second day of the next month, China time
        const { now } = await srv.clock();
        const cst = new Date((now + 8 * 3600) * 1000);
        const next = Date.UTC(cst.getUTCFullYear(), cst.getUTCMonth() + 1, 2) / 1000 - 8 * 3600;
        await srv.advance(next - now);
        r = await srv.post('/cgi-bin/clear_quota/v2', { appid: a.appid, appsecret: a.secret });
        assert.equal(r.body.errcode, 0, `a new month: ${r.text}`);
    });
});
