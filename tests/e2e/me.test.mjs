// The Me tab: the user renames themselves, changes their password (other sessions end, this
// one goes on with a new session), and sees and revokes the websites and accounts they let
// see them through web authorization (the grant and its tokens end).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { useServer } from './lib/server.mjs';
import { authorize, consentPage, demoWorld, exchange, get, setOauthDomain, signIn, userinfo, authorizePath } from './lib/oauth.mjs';
import { newClientUser } from './lib/messaging.mjs';

const CHROMIUM = '/usr/bin/chromium';
let playwright = null;
try {
    playwright = await import('playwright-core');
} catch {
    playwright = null;
}
const CB = 'http://127.0.0.1:9/cb';

describe('the Me tab', () => {
    const h = useServer({ demo: true });

    it('renames the user, and refuses an empty or overlong name', async () => {
        const { srv } = h;
        const u = await newClientUser(srv);
        const r = await srv.post('/client/v1/me/profile', { nickname: '新名字' }, { headers: u.auth });
        assert.equal(r.body?.user?.nickname, '新名字', r.text);
        assert.equal((await srv.get('/client/v1/me', { headers: u.auth })).body.user.nickname, '新名字');
        for (const nickname of ['', 'x'.repeat(65)])
            assert.notEqual((await srv.post('/client/v1/me/profile', { nickname }, { headers: u.auth })).body?.errcode, 0);
    });

    it('changes the password: the current one is checked, other sessions end, the caller gets a new one', async () => {
        const { srv } = h;
        const u = await newClientUser(srv);
        const other = (await srv.post('/client/v1/login', { username: u.username, password: 'pw-123456' })).body.session;
        const wrong = await srv.post('/client/v1/me/password', { password: 'nope-nope', new_password: 'fresh-pw-1' }, { headers: u.auth });
        assert.equal(wrong.status, 403, wrong.text);
        const ok = await srv.post('/client/v1/me/password', { password: 'pw-123456', new_password: 'fresh-pw-1' }, { headers: u.auth });
        assert.equal(ok.body?.errcode, 0, ok.text);
        assert.ok(ok.body.session);
        assert.equal((await srv.get('/client/v1/me', { headers: { authorization: `Bearer ${other}` } })).status, 401, 'the other session ended');
        assert.equal((await srv.get('/client/v1/me', { headers: { authorization: `Bearer ${ok.body.session}` } })).status, 200);
        assert.ok((await srv.post('/client/v1/login', { username: u.username, password: 'fresh-pw-1' })).body.session);
        assert.ok(!(await srv.post('/client/v1/login', { username: u.username, password: 'pw-123456' })).body.session);
    });

    it('lists the accounts the user authorized, and a revoke ends the grant and its tokens', async () => {
        const { srv } = h;
        const W = demoWorld(srv);
        await setOauthDomain(srv, W.service.appid, '127.0.0.1:9');
        const cookie = await signIn(srv, 'bob');
        const { code } = await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_userinfo', state: 's' });
        const grant = await exchange(srv, W.service.appid, W.service.secret, code);
        assert.ok((await userinfo(srv, grant.access_token, grant.openid)).body.nickname);
        const headers = { cookie, 'x-requested-with': 'XMLHttpRequest' };
        const list = await srv.get('/client/v1/me/authorized', { headers });
        const app = list.body.apps.find((a) => a.appid === W.service.appid);
        assert.ok(app, list.text);
        assert.equal(app.scope, 'snsapi_userinfo');
        assert.equal(app.name, W.service.name);
        const rv = await srv.post('/client/v1/me/authorized/revoke', { appid: W.service.appid }, { headers });
        assert.equal(rv.body?.errcode, 0, rv.text);
        assert.notEqual((await userinfo(srv, grant.access_token, grant.openid)).body.errcode ?? 0, 0, 'the token ended');
        assert.ok(!(await srv.get('/client/v1/me/authorized', { headers })).body.apps.some((a) => a.appid === W.service.appid));
        // the next authorization asks again
        const again = await get(srv, authorizePath({ appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_userinfo', state: 't' }), cookie);
        consentPage(again);
        assert.equal((await srv.post('/client/v1/me/authorized/revoke', { appid: W.service.appid }, { headers })).status, 404);
    });

    it('works in Chromium: the Me tab, a rename, a revoke', { skip: !existsSync(CHROMIUM) || !playwright ? 'no Chromium' : false }, async () => {
        const { srv } = h;
        const W = demoWorld(srv);
        await setOauthDomain(srv, W.service.appid, '127.0.0.1:9');
        const cookie = await signIn(srv, 'carol');
        await authorize(srv, cookie, { appid: W.service.appid, redirect_uri: CB, scope: 'snsapi_userinfo', state: 's' });
        const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
        try {
            const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
            const [name, value] = cookie.split('=');
            await context.addCookies([{ name, value, url: srv.url }]);
            const page = await context.newPage();
            await page.goto(`${srv.url}/app/`);
            await Promise.all([page.waitForURL((u) => u.pathname === '/app/me'), page.locator('#tab-me').click()]);
            await page.locator(`.lj-app[data-appid="${W.service.appid}"]`).waitFor();
            await page.locator('#nickname').fill('Carol B');
            await page.locator('#save-name').click();
            await page.locator('#me-name', { hasText: 'Carol B' }).waitFor();
            if (process.env.LIANJIE_SCREENSHOTS)
                await page.screenshot({ path: `${process.env.LIANJIE_SCREENSHOTS}/me.png`, fullPage: true });
            await page.locator(`.lj-app[data-appid="${W.service.appid}"] .lj-revoke`).click();
            await page.locator('.weui-dialog__btn_primary').click();
            await page.locator(`.lj-app[data-appid="${W.service.appid}"]`).waitFor({ state: 'detached' });
        } finally {
            await browser.close();
        }
    });
});
