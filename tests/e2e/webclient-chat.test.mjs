// The chat as WeChat users know it, in Chromium: links in text are links, a time stands
// between messages instead of under each, unfollowing takes away the menu and the composer,
// and an account that asks for its followers' location gets LOCATION events.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startServer } from './lib/server.mjs';
import { client, newClientUser, wiredAccount } from './lib/messaging.mjs';
import { postForm, sessionCookie } from './lib/oauth.mjs';

const CHROMIUM = '/usr/bin/chromium';
let playwright = null;
try {
    playwright = await import('playwright-core');
} catch {
    playwright = null;
}
const SKIP = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing` : !playwright ? 'playwright-core is not installed' : '';

describe('the chat in the web client', { skip: SKIP || false }, () => {
    let srv;
    let browser;

    before(async () => {
        srv = await startServer({});
        browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    });
    after(async () => {
        if (browser)
            await browser.close();
        await srv.stop();
    });

    /** a follower of a new wired account, its chat open in a page; opts: server extras, context options */
    async function chat(extra = {}, contextOpts = {}) {
        const w = await wiredAccount(srv, 'plaintext', extra);
        const tok = (await srv.token(w.acct.appid, w.acct.secret)).access_token;
        const menu = { button: [{ type: 'click', name: 'Today', key: 'K1' }] };
        assert.equal((await srv.post(`/cgi-bin/menu/create?access_token=${tok}`, menu)).body.errcode, 0);
        const u = await newClientUser(srv);
        await client.follow(srv, u, w.acct.appid);
        assert.equal((await w.dev.next()).msg.Event, 'subscribe');
        const res = await postForm(srv, '/app/login', { username: u.username, password: 'pw-123456', next: '/app/' });
        const [name, value] = sessionCookie(res).split('=');
        const context = await browser.newContext({ viewport: { width: 390, height: 780 }, ...contextOpts });
        await context.addCookies([{ name, value, url: srv.url }]);
        const page = await context.newPage();
        return { w, u, context, page, open: () => page.goto(`${srv.url}/app/chat?appid=${w.acct.appid}`) };
    }

    it('makes links in text links, and puts one time before messages minutes apart, not one under each', async () => {
        const c = await chat();
        c.w.dev.reply = (m) => c.w.dev.text(m, `see https://shop.example/a?x=1. or http://b.example`);
        try {
            for (let i = 0; i < 3; i++)
                await client.text(srv, c.u, c.w.acct.appid, `hi ${i}`);
            await c.open();
            await c.page.locator('.lj-msg').nth(5).waitFor();
            const links = await c.page.locator('.lj-msg_account .lj-text a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
            assert.deepEqual(links.slice(0, 2), ['https://shop.example/a?x=1', 'http://b.example/']);
            assert.match(await c.page.locator('.lj-msg_account .lj-text').first().textContent(), /^see https:\/\/shop\.example\/a\?x=1\. or http:\/\/b\.example$/);
            assert.equal(await c.page.locator('#messages .lj-time').count(), 1, 'six messages within a minute: one time');
        } finally {
            await c.context.close();
        }
    });

    it('shows the menu first and toggles to the keyboard and back, as WeChat does', async () => {
        const c = await chat();
        try {
            await c.open();
            await c.page.locator('.lj-menu__button').waitFor();
            assert.ok(await c.page.locator('#composer').isHidden(), 'the menu comes first');
            await c.page.locator('#to-composer').click();
            await c.page.locator('#text').waitFor();
            assert.ok(await c.page.locator('#menu').isHidden());
            assert.equal(await c.page.evaluate(() => document.activeElement.id), 'text', 'the keyboard is ready');
            await c.page.locator('#text').fill('typed');
            await c.page.locator('#send').click();
            await c.page.locator('.lj-msg_user', { hasText: 'typed' }).waitFor();
            await c.page.locator('#to-menu').click();
            await c.page.locator('.lj-menu__button').waitFor();
            assert.ok(await c.page.locator('#composer').isHidden());
        } finally {
            await c.context.close();
        }
    });

    it('takes away the menu and the composer when the user unfollows, and gives them back on follow', async () => {
        const c = await chat();
        try {
            await c.open();
            await c.page.locator('.lj-menu__button').waitFor();
            await c.page.locator('#follow').click(); // Unfollow
            await c.page.locator('#menu').waitFor({ state: 'hidden' });
            assert.equal(await c.page.locator('#text').isDisabled(), true);
            assert.equal(await c.page.locator('#send').isDisabled(), true);
            await c.page.locator('#follow').click(); // Follow
            await c.page.locator('.lj-menu__button').waitFor();
            assert.equal(await c.page.locator('#text').isDisabled(), false);
        } finally {
            await c.context.close();
        }
    });

    it('shows an account\'s profile: picture, name, kind, Follow, then Send a message; the chat title leads back to it', async () => {
        const a = await srv.createAccount({ name: 'Profile Bakery', type: 'service', verified: true });
        const u = await newClientUser(srv);
        const res = await postForm(srv, '/app/login', { username: u.username, password: 'pw-123456', next: '/app/' });
        const [name, value] = sessionCookie(res).split('=');
        const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
        try {
            await context.addCookies([{ name, value, url: srv.url }]);
            const page = await context.newPage();
            await page.goto(`${srv.url}/app/accounts?q=Profile%20Bakery`);
            await page.locator(`.lj-account[data-appid="${a.appid}"] .lj-account__pic`).click();
            await page.locator('#profile').waitFor();
            assert.equal(new URL(page.url()).pathname, '/app/account');
            assert.equal(await page.locator('#profile-name').textContent(), 'Profile Bakery');
            assert.equal(await page.locator('#profile-kind').textContent(), 'Service account · verified');
            assert.ok(await page.locator('#open-chat').isHidden(), 'no chat before following');
            await page.locator('#toggle').click();
            await page.locator('#open-chat').waitFor();
            assert.equal(await page.locator('#toggle').textContent(), 'Unfollow');
            await Promise.all([page.waitForURL((x) => x.pathname === '/app/chat'), page.locator('#open-chat').click()]);
            await Promise.all([page.waitForURL((x) => x.pathname === '/app/account'), page.locator('#to-profile').click()]);
            // unfollowing asks first
            await page.locator('#toggle').click();
            await page.locator('.weui-dialog').waitFor();
            await page.locator('.weui-dialog__btn_primary').click();
            await page.locator('#open-chat').waitFor({ state: 'hidden' });
            assert.equal(await page.locator('#toggle').textContent(), 'Follow');
            if (process.env.LIANJIE_SCREENSHOTS)
                await page.screenshot({ path: `${process.env.LIANJIE_SCREENSHOTS}/account-profile.png` });
        } finally {
            await context.close();
        }
    });

    it('lists chats newest first with their last message, time and unread count, kept fresh while open', async () => {
        const c = await chat();
        const other = await wiredAccount(srv);
        await client.follow(srv, c.u, other.acct.appid);
        const tok = (await srv.token(c.w.acct.appid, c.w.acct.secret)).access_token;
        const openid = (await srv.get(`/cgi-bin/user/get?access_token=${tok}`)).body.data.openid[0];
        await client.text(srv, c.u, c.w.acct.appid, 'hello'); // opens the window for custom sends
        const send = (content) => srv.post(`/cgi-bin/message/custom/send?access_token=${tok}`, { touser: openid, msgtype: 'text', text: { content } });
        assert.equal((await send('first news')).body.errcode, 0);
        assert.equal((await send('second news')).body.errcode, 0);
        // over the API
        const api = await srv.get('/client/v1/chats', { headers: c.u.auth });
        const mine = api.body.accounts.find((a) => a.appid === c.w.acct.appid);
        assert.equal(mine.unread, 2, api.text);
        assert.equal(mine.last.body.content, 'second news');
        assert.equal(api.body.accounts.find((a) => a.appid === other.acct.appid).last, null);
        try {
            await c.page.goto(`${srv.url}/app/`);
            const row = c.page.locator(`.lj-chatrow[data-appid="${c.w.acct.appid}"]`);
            await row.waitFor();
            assert.equal(await c.page.locator('.lj-chatrow').first().getAttribute('data-appid'), c.w.acct.appid, 'the newest chat comes first');
            assert.equal(await row.locator('.lj-chatrow__badge').textContent(), '2');
            assert.equal(await row.locator('.lj-chatrow__last').textContent(), 'second news');
            assert.ok((await row.locator('.lj-chatrow__time').textContent()).length > 0);
            // reading the chat clears the count
            await Promise.all([c.page.waitForURL((x) => x.pathname === '/app/chat'), row.click()]);
            await c.page.locator('.lj-msg_account').last().waitFor();
            await c.page.goto(`${srv.url}/app/`);
            await row.waitFor();
            for (let i = 0; (await row.locator('.lj-chatrow__badge').count()) > 0 && i < 40; i++)
                await c.page.waitForTimeout(100);
            assert.equal(await row.locator('.lj-chatrow__badge').count(), 0, 'read: no count');
            // a message arriving while the list is open shows up by itself
            assert.equal((await send('third news')).body.errcode, 0);
            await row.locator('.lj-chatrow__badge', { hasText: '1' }).waitFor({ timeout: 10000 });
            assert.equal(await row.locator('.lj-chatrow__last').textContent(), 'third news');
            if (process.env.LIANJIE_SCREENSHOTS)
                await c.page.screenshot({ path: `${process.env.LIANJIE_SCREENSHOTS}/chats.png` });
        } finally {
            await c.context.close();
        }
    });

    it('sends LOCATION once on entering for location_report 1, and every 5 s for 2', async () => {
        const geo = { geolocation: { latitude: 23.1291, longitude: 113.2644, accuracy: 30 }, permissions: ['geolocation'] };
        const once = await chat({ location_report: 1 }, geo);
        try {
            await once.open();
            const p = await once.w.dev.next();
            assert.deepEqual([p.msg.MsgType, p.msg.Event], ['event', 'LOCATION']);
            assert.equal(Number(p.msg.Latitude), 23.1291);
            assert.equal(Number(p.msg.Longitude), 113.2644);
            await new Promise((r) => setTimeout(r, 6000));
            assert.equal(once.w.dev.received.length, once.w.dev.taken, 'location_report 1 reports once');
        } finally {
            await once.context.close();
        }
        const every = await chat({ location_report: 2 }, geo);
        try {
            await every.open();
            for (let i = 0; i < 2; i++)
                assert.equal((await every.w.dev.next(8000)).msg.Event, 'LOCATION');
        } finally {
            await every.context.close();
        }
    });
});
