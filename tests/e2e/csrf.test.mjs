// Cross-site forms: a page on another port or host of the same site posts the forms that act
// as the signed-in user (website QR login, sign-in, OAuth consent, a third party's authorization
// page) with the victim's cookie. SameSite=Lax lets such same-site posts through, so every one
// of these forms must come from a page of this server (its Origin), and is refused otherwise.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useServer } from './lib/server.mjs';
import {
    authorizePath, consentPage, demoWorld, get, poll, postForm, qrconnectPath,
    qrUuid, sessionCookie, setOauthDomain, signIn,
} from './lib/oauth.mjs';
import { administered, formOf, pageUrl, preauth, tokenedComponent } from './lib/component.mjs';

const CB = 'http://127.0.0.1:9/cb';
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('cross-site form posts', () => {
    const h = useServer({ demo: true });
    let W;
    let foreign; // origins of pages that are not this server's

    before(() => {
        W = demoWorld(h.srv);
        const port = Number(new URL(h.srv.url).port);
        foreign = [`http://127.0.0.1:${port + 1}`, 'http://evil.example', `http://sub.127.0.0.1:${port}`, 'null'];
    });

    /** posts a form as a foreign page would: {origin} or {'sec-fetch-site'}, never both */
    const post = (path, fields, cookie, headers) =>
        h.srv.request('POST', path, { body: new URLSearchParams(fields).toString(), headers: { ...form, ...(cookie ? { cookie } : {}), ...headers } });

    it('refuses a foreign website-QR confirmation, so the attacker\'s desktop is not signed in as the victim', async () => {
        const { srv } = h;
        const uuid = qrUuid((await get(srv, qrconnectPath({ appid: W.website.appid, redirect_uri: CB, state: 'x' }))).text);
        const victim = await signIn(srv, 'carol');
        // the victim's phone opened the confirmation page once (or the attacker made it do so)
        assert.equal((await get(srv, `/app/qrconnect?uuid=${uuid}`, victim)).status, 200);
        for (const origin of foreign) {
            const r = await post('/app/qrconnect', { uuid, decision: 'allow' }, victim, { origin });
            assert.equal(r.status, 403, `${origin}: ${r.status} ${r.text.slice(0, 200)}`);
        }
        const noOrigin = await post('/app/qrconnect', { uuid, decision: 'allow' }, victim, {});
        assert.equal(noOrigin.status, 403, 'a POST without Origin or Sec-Fetch-Site is refused');
        const sameSite = await post('/app/qrconnect', { uuid, decision: 'allow' }, victim, { 'sec-fetch-site': 'same-site' });
        assert.equal(sameSite.status, 403);
        assert.notEqual((await poll(srv, uuid)).status, 2, 'the desktop was not logged in');
        // the page's own form works, by Origin or, without one, by Sec-Fetch-Site
        const own = await post('/app/qrconnect', { uuid, decision: 'allow' }, victim, { 'sec-fetch-site': 'same-origin' });
        assert.equal(own.status, 200, own.text.slice(0, 200));
        assert.equal((await poll(srv, uuid)).status, 2);
    });

    it('refuses a foreign sign-in form, so nobody is signed into the attacker\'s account', async () => {
        const { srv } = h;
        for (const origin of foreign) {
            const r = await post('/app/login', { username: 'alice', password: 'lianjie-demo', next: '/app/' }, '', { origin });
            assert.equal(r.status, 403, origin);
            assert.equal(sessionCookie(r), '', 'no session cookie is set');
        }
        const ok = await postForm(srv, '/app/login', { username: 'alice', password: 'lianjie-demo', next: '/app/' });
        assert.equal(ok.status, 302);
        assert.ok(sessionCookie(ok));
    });

    it('refuses a foreign OAuth consent', async () => {
        const { srv } = h;
        await setOauthDomain(srv, W.service.appid, '127.0.0.1:9');
        const cookie = await signIn(srv, 'dave');
        const res = await get(srv, authorizePath({ appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_userinfo', state: 's' }), cookie);
        const page = consentPage(res);
        for (const origin of foreign) {
            const r = await post(page.action, { ...page.fields, decision: 'allow' }, cookie, { origin });
            assert.equal(r.status, 403, origin);
            assert.equal(r.headers.get('location'), null, 'no code is sent anywhere');
        }
        const ok = await postForm(srv, page.action, { ...page.fields, decision: 'allow' }, cookie);
        assert.equal(ok.status, 302);
        assert.ok(new URL(ok.location).searchParams.get('code'));
    });

    it('refuses a foreign third-party authorization', async () => {
        const { srv } = h;
        const c = await tokenedComponent(srv);
        const s = await administered(srv);
        const code = await preauth(srv, c);
        const page = await get(srv, pageUrl(c, code, 'http://tp.example.com/back'), s.cookie);
        assert.equal(page.status, 200, page.text.slice(0, 300));
        const fields = { ...formOf(page.text), authorizer_appid: s.acct.appid, set_1: '1' };
        for (const origin of foreign) {
            const r = await post('/cgi-bin/componentloginpage', fields, s.cookie, { origin });
            assert.equal(r.status, 403, origin);
        }
        const ok = await postForm(srv, '/cgi-bin/componentloginpage', fields, s.cookie);
        assert.equal(ok.status, 302, ok.text.replace(/<style>.*<\/style>/s, '').slice(0, 600));
        assert.ok(new URL(ok.location).searchParams.get('auth_code'));
    });

    it('refuses cookie-authenticated client calls (the authorizations page) from a foreign page', async () => {
        const { srv } = h;
        const cookie = await signIn(srv, 'erin');
        const body = JSON.stringify({ component_appid: 'wx0000000000000000', authorizer_appid: 'wx0000000000000001' });
        for (const headers of [{}, { 'x-requested-with': 'XMLHttpRequest', origin: foreign[0] }]) {
            const r = await srv.request('POST', '/client/v1/authorizations/cancel', { body, headers: { cookie, 'content-type': 'application/json', ...headers } });
            assert.equal(r.status, 403, JSON.stringify(headers));
        }
    });
});
