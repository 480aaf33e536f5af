// A merchant's administrator authorizes a third party in a real browser (Debian's Chromium
// through playwright-core): the authorization page after a typed sign-in, one permission set
// unticked, back on the third party's site with auth_code; then the administrator's page of
// third parties cancels it. Skipped (with the reason) without /usr/bin/chromium or
// playwright-core.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startServer } from './lib/server.mjs';
import { closeDevServers, randomAesKey, startDevServer } from './lib/devserver.mjs';
import { newUser } from './lib/oauth.mjs';

const CHROMIUM = '/usr/bin/chromium';
let playwright = null;
try {
    playwright = await import('playwright-core');
} catch {
    playwright = null;
}
const SKIP = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing` : !playwright ? 'playwright-core is not installed' : '';

/** the third party's site: records the query of every page the browser lands on */
function startSite() {
    const hits = [];
    const server = http.createServer((req, res) => {
        hits.push(req.url);
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><h1 id="landed">Back at the third party</h1>');
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, hits, close: () => new Promise((r) => server.close(r)) })));
}

describe('authorizing a third party in Chromium', { skip: SKIP || false }, () => {
    let srv, browser, site;
    before(async () => {
        srv = await startServer({ testClock: true });
        site = await startSite();
        browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'], timeout: 30000 });
    });
    after(async () => {
        await browser?.close();
        await site?.close();
        await closeDevServers();
        await srv?.stop();
    });

    it('signs in, unticks a set, authorizes, lands with auth_code; cancels on the third-party page', async () => {
        const token = 'tpbrowser1';
        const aesKey = randomAesKey();
        const dev = await startDevServer({ token, aesKey, appid: '' });
        const reg = await srv.op('POST', '/admin/v1/components', {
            name: 'Browser Third Party', token, encoding_aes_key: aesKey, auth_event_url: `${dev.url}/events`,
            message_url: `${dev.url}/$APPID$`, func_sets: [1, 2, 15], domains: ['127.0.0.1'],
        });
        assert.equal(reg.body?.errcode, 0, reg.text);
        const comp = reg.body.component;
        dev.appid = comp.component_appid;
        const ticket = (await dev.next()).msg.ComponentVerifyTicket;
        const ct = await srv.post('/cgi-bin/component/api_component_token', { component_appid: comp.component_appid, component_appsecret: comp.component_appsecret, component_verify_ticket: ticket });
        const ctoken = ct.body.component_access_token;
        const pre = await srv.post(`/cgi-bin/component/api_create_preauthcode?component_access_token=${ctoken}`, { component_appid: comp.component_appid });
        const acct = await srv.createAccount({ type: 'service', verified: true });
        const admin = await newUser(srv);
        assert.equal((await srv.op('POST', '/admin/v1/accounts/admin', { appid: acct.appid, user_id: admin.id })).body.errcode, 0);

        const page = await (await browser.newContext()).newPage();
        const q = new URLSearchParams({ component_appid: comp.component_appid, pre_auth_code: pre.body.pre_auth_code, redirect_uri: `${site.url}/back`, auth_type: '3' });
        await page.goto(`${srv.url}/cgi-bin/componentloginpage?${q}`);
        assert.equal(new URL(page.url()).pathname, '/app/login');
        await page.locator('input[name="username"]').pressSequentially(admin.username);
        await page.locator('input[name="password"]').pressSequentially(admin.password);
        await Promise.all([page.waitForURL((u) => u.pathname !== '/app/login'), page.locator('button[type="submit"]').click()]);
        assert.match(await page.content(), /Browser Third Party/);
        // the boxes are WeUI's: the user ticks and unticks the row (its label)
        await page.locator('label', { has: page.locator('input[name="set_15"]') }).click();
        assert.equal(await page.locator('input[name="set_15"]').isChecked(), false);
        await Promise.all([page.waitForURL((u) => u.origin === site.url), page.locator('#approve').click()]);
        await page.locator('#landed').waitFor();
        const back = new URL(page.url());
        const code = back.searchParams.get('auth_code');
        assert.ok(code, page.url());
        assert.equal((await dev.next()).msg.InfoType, 'authorized');
        const qa = await srv.post(`/cgi-bin/component/api_query_auth?component_access_token=${ctoken}`, { component_appid: comp.component_appid, authorization_code: code });
        const sets = qa.body.authorization_info.func_info.map((f) => f.funcscope_category.id);
        assert.deepEqual(sets, [1, 2]);

        // the home page leads to the authorizations page
        await page.goto(`${srv.url}/app/`);
        await Promise.all([page.waitForURL((u) => u.pathname === '/app/authorizations'), page.locator('#to-authorizations').click()]);
        const row = page.locator(`.lj-authorization[data-component="${comp.component_appid}"]`);
        await row.waitFor();
        // its boxes show their ticks, and its buttons stand apart
        const tick = await row.locator('.weui-icon-checked').first().boundingBox();
        assert.ok(tick && tick.width >= 16, `the tick is ${tick && tick.width}px wide`);
        const [b1, b2] = [await row.locator('.lj-change').boundingBox(), await row.locator('.lj-cancel').boundingBox()];
        assert.ok(b2.x >= b1.x + b1.width + 8 || b2.y >= b1.y + b1.height + 8, 'the buttons do not touch');
        // cancelling asks first: dismissing the question keeps the authorization
        await row.locator('.lj-cancel').click();
        await page.locator('.weui-dialog').waitFor();
        await page.locator('.weui-dialog__btn_default').click();
        await page.locator('.weui-dialog').waitFor({ state: 'detached' });
        assert.equal(await row.count(), 1);
        await row.locator('.lj-cancel').click();
        await page.locator('.weui-dialog__btn_primary').click();
        assert.equal((await dev.next()).msg.InfoType, 'unauthorized');
        await page.locator('.lj-authorization').first().waitFor({ state: 'detached' });
    });
});
