// The web client as it looks and answers the keyboard, in Chromium: every text it draws keeps
// 4.5:1 against its ground in light and dark mode (account and user bubbles, notices, cards,
// primary buttons), a focused control shows a ring, and Escape closes the menu popup.
// Screenshots go to $LIANJIE_SCREENSHOTS when it is set.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer } from './lib/server.mjs';
import { client, newClientUser, uploadMedia, wiredAccount } from './lib/messaging.mjs';
import { get, newUser, postForm, sessionCookie, signIn } from './lib/oauth.mjs';
import { pageUrl, preauth, tokenedComponent } from './lib/component.mjs';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = process.env.LIANJIE_SCREENSHOTS || '';

let playwright = null;
try {
    playwright = await import('playwright-core');
} catch {
    playwright = null;
}
const SKIP = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing` : !playwright ? 'playwright-core is not installed' : '';

/**
 * In the page: the contrast ratio of an element's text against what is drawn behind it (its
 * own background, else its ancestors', composited; the page's ground at the end).
 */
function contrastOf(selector) {
    const parse = (c) => {
        const m = /rgba?\(([^)]+)\)/.exec(c);
        if (!m)
            return [0, 0, 0, 0];
        const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, below) => {
        const a = top[3];
        return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat(1);
    };
    const lum = (c) => {
        const l = c.slice(0, 3).map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    };
    const el = document.querySelector(selector);
    if (!el)
        return null;
    const layers = [];
    for (let e = el; e; e = e.parentElement)
        layers.push(parse(getComputedStyle(e).backgroundColor));
    let ground = [255, 255, 255, 1];
    for (const layer of layers.reverse())
        ground = over(layer, ground);
    let opacity = 1;
    for (let e = el; e; e = e.parentElement)
        opacity *= Number(getComputedStyle(e).opacity);
    const fg = parse(getComputedStyle(el).color);
    fg[3] *= opacity;
    const text = over(fg, ground);
    const [a, b] = [lum(text), lum(ground)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
}

describe('web client look and keyboard', { skip: SKIP || false }, () => {
    let srv;
    let browser;
    let w;
    let u;

    before(async () => {
        srv = await startServer({});
        browser = await playwright.chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS, timeout: 30000 });
        if (SHOTS)
            mkdirSync(SHOTS, { recursive: true });
        // an account that answers, with a menu, a user who follows it and has talked to it
        w = await wiredAccount(srv);
        w.dev.reply = (m) => (m.MsgType === 'text' ? w.dev.text(m, `echo: ${m.Content}`) : null);
        const tok = (await srv.token(w.acct.appid, w.acct.secret)).access_token;
        const menu = { button: [{ name: 'More', sub_button: [{ type: 'click', name: 'Today', key: 'K1' }, { type: 'click', name: 'News', key: 'K2' }] }] };
        assert.equal((await srv.post(`/cgi-bin/menu/create?access_token=${tok}`, menu)).body.errcode, 0);
        u = await newClientUser(srv);
        await client.follow(srv, u, w.acct.appid);
        await client.text(srv, u, w.acct.appid, 'hello there');
        const res = await postForm(srv, '/app/login', { username: u.username, password: 'pw-123456', next: '/app/' });
        u.cookie = sessionCookie(res);
    });
    after(async () => {
        if (browser)
            await browser.close();
        await srv.stop();
    });

    async function chatPage(colorScheme, width = 390) {
        const context = await browser.newContext({ viewport: { width, height: 780 }, colorScheme });
        const [name, value] = u.cookie.split('=');
        await context.addCookies([{ name, value, url: srv.url }]);
        const page = await context.newPage();
        await page.goto(`${srv.url}/app/chat?appid=${w.acct.appid}`);
        await page.waitForSelector('.lj-msg_account .lj-bubble');
        await page.waitForSelector('.lj-msg_user .lj-bubble');
        return { page, context };
    }

    for (const scheme of ['light', 'dark']) {
        it(`keeps 4.5:1 for bubbles, notices, buttons and the menu in ${scheme} mode`, async () => {
            const { page, context } = await chatPage(scheme);
            try {
                if (SHOTS)
                    await page.screenshot({ path: path.join(SHOTS, `chat-${scheme}.png`) });
                const checks = {
                    'account bubble': '.lj-msg_account .lj-bubble',
                    'user bubble': '.lj-msg_user .lj-bubble',
                    'message time': '.lj-time',
                    'menu button': '.lj-menu__button',
                    'composer': '.lj-composer__text',
                };
                for (const [what, sel] of Object.entries(checks)) {
                    const c = await page.evaluate(contrastOf, sel);
                    assert.ok(c !== null, `${what}: no ${sel} on the page`);
                    assert.ok(c >= 4.5, `${scheme}: ${what} (${sel}) has contrast ${c.toFixed(2)}:1`);
                }
                await page.locator('.lj-menu__button').first().click();
                await page.waitForSelector('.lj-menu__popup:not([hidden])');
                const sub = await page.evaluate(contrastOf, '.lj-menu__sub');
                assert.ok(sub >= 4.5, `${scheme}: menu entries have contrast ${sub.toFixed(2)}:1`);
                const primary = await page.evaluate(() => {
                    const b = document.createElement('a');
                    b.className = 'weui-btn weui-btn_primary';
                    b.id = 'probe-primary';
                    b.textContent = 'Follow';
                    document.body.append(b);
                    return true;
                });
                assert.ok(primary);
                const pc = await page.evaluate(contrastOf, '#probe-primary');
                assert.ok(pc >= 4.5, `${scheme}: a primary button's text has contrast ${pc.toFixed(2)}:1`);
            } finally {
                await context.close();
            }
        });
    }

    it('shows a focus ring on the control the keyboard reached, and Escape closes the menu popup', async () => {
        const { page, context } = await chatPage('light');
        try {
            await page.locator('.lj-menu__button').first().focus();
            await page.keyboard.press('Enter');
            await page.waitForSelector('.lj-menu__popup:not([hidden])');
            await page.keyboard.press('Tab');
            const ring = await page.evaluate(() => {
                const s = getComputedStyle(document.activeElement);
                return { tag: document.activeElement.className, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
            });
            assert.notEqual(ring.style, 'none', `the focused ${ring.tag} has no outline`);
            assert.ok(ring.width >= 2, `outline ${ring.width}px`);
            await page.keyboard.press('Escape');
            await page.waitForSelector('.lj-menu__popup', { state: 'hidden', timeout: 2000 });
            const back = await page.evaluate(() => document.activeElement.className);
            assert.match(back, /lj-menu__button/, 'focus goes back to the menu button');
            if (SHOTS)
                await page.screenshot({ path: path.join(SHOTS, 'chat-focus.png') });
        } finally {
            await context.close();
        }
    });

    it('answers a browser at / and at a missing page with pages that lead back, not JSON', async () => {
        const context = await browser.newContext({ viewport: { width: 390, height: 780 } });
        try {
            const page = await context.newPage();
            await page.goto(`${srv.url}/`);
            assert.equal(new URL(page.url()).pathname, '/app/login', 'the root leads to the client');
            const res = await page.goto(`${srv.url}/app/nope`);
            assert.equal(res.status(), 404);
            assert.match(res.headers()['content-type'], /^text\/html/);
            assert.match(await page.locator('h1').textContent(), /Error 404/);
            const back = page.locator('a[href="/app/"]');
            assert.equal(await back.count(), 1);
            assert.ok(await page.evaluate(() => getComputedStyle(document.body).fontFamily.length > 0));
            if (SHOTS)
                await page.screenshot({ path: path.join(SHOTS, 'not-found.png') });
            // API clients keep the JSON envelope
            const api = await srv.get('/app/nope');
            assert.equal(api.body?.errcode, 404);
        } finally {
            await context.close();
        }
    });

    it('shows the third-party authorization page with small choices, no account chosen for the user, and a cancel', async () => {
        const c = await tokenedComponent(srv);
        const admin = await newUser(srv, 'adm');
        for (const name of ['First shop', 'Second shop']) {
            const a = await srv.createAccount({ name, type: 'service', verified: true });
            const r = await srv.op('POST', '/admin/v1/accounts/admin', { appid: a.appid, user_id: admin.id });
            assert.equal(r.body?.errcode, 0, r.text);
        }
        const cookie = await signIn(srv, admin.username, admin.password);
        const code = await preauth(srv, c);
        const context = await browser.newContext({ viewport: { width: 390, height: 780 } });
        try {
            const [name, value] = cookie.split('=');
            await context.addCookies([{ name, value, url: srv.url }]);
            const page = await context.newPage();
            await page.goto(`${srv.url}${pageUrl(c, code, 'http://tp.example.com/back')}`);
            const radios = page.locator('input[name="authorizer_appid"]');
            assert.equal(await radios.count(), 2);
            assert.equal(await page.locator('input[name="authorizer_appid"]:checked').count(), 0, 'no account is chosen for the user');
            for (const box of await page.locator('.weui-check__label').all()) {
                const b = await box.boundingBox();
                assert.ok(b.height < 80, `a choice is ${b.height}px high`);
            }
            const boxes = await page.locator('input[type="checkbox"]').all();
            for (const box of boxes)
                assert.ok(await box.isChecked());
            assert.equal(await page.locator('#cancel').count(), 1, 'the page has a cancel');
            if (SHOTS)
                await page.screenshot({ path: path.join(SHOTS, 'component-consent.png'), fullPage: true });
            // the form cannot go without an account
            await page.locator('#approve').click();
            assert.equal(new URL(page.url()).pathname, '/cgi-bin/componentloginpage', 'still on the page');
            await page.locator('.weui-check__label', { hasText: 'Second shop' }).click();
            await Promise.all([page.waitForRequest((q) => q.url().startsWith('http://tp.example.com/back')), page.locator('#approve').click()]);
        } finally {
            await context.close();
        }
        assert.equal((await get(srv, '/app/', cookie)).status, 200);
    });

    it('shows a template message as a card: title, label and value rows, and Details to its url', async () => {
        const tok = (await srv.token(w.acct.appid, w.acct.secret)).access_token;
        const add = await srv.post(`/cgi-bin/template/api_add_template?access_token=${tok}`, { template_id_short: 'TM00015' });
        assert.equal(add.body?.errcode, 0, add.text);
        const openid = (await srv.get(`/cgi-bin/user/get?access_token=${tok}`)).body.data.openid[0];
        const sent = await srv.post(`/cgi-bin/message/template/send?access_token=${tok}`, {
            touser: openid,
            template_id: add.body.template_id,
            url: 'http://shop.example/order/7',
            data: { first: { value: '我们已收到您的货款' }, orderMoneySum: { value: '30.00元' }, orderProductName: { value: '巧克力' }, Remark: { value: '欢迎再次购买！' } },
        });
        assert.equal(sent.body?.errcode, 0, sent.text);
        const { page, context } = await chatPage('light');
        try {
            const card = page.locator('.lj-msg[data-msgtype="template"] .lj-template');
            await card.waitFor();
            assert.equal(await card.locator('.lj-card__title').textContent(), '订单支付成功');
            assert.equal(await card.locator('.lj-card__title').getAttribute('lang'), 'zh-CN', 'Chinese text is marked as such on the English page');
            const rows = await card.locator('.lj-template__row').allTextContents();
            assert.ok(rows.some((r) => r.includes('支付金额') && r.includes('30.00元')), JSON.stringify(rows));
            assert.match(await card.textContent(), /我们已收到您的货款/);
            assert.equal(await card.getAttribute('href'), 'http://shop.example/order/7');
            assert.equal(await card.locator('.lj-template__more').textContent(), 'Details');
            assert.doesNotMatch(await page.locator('#messages').textContent(), /\[template\]/);
            if (SHOTS)
                await card.screenshot({ path: path.join(SHOTS, 'template-card.png') });
        } finally {
            await context.close();
        }
    });

    it('opens a long chat with pictures at its bottom, and tells of new messages below instead of moving', async () => {
        const pic = `${srv.url}/app/static/icons/lianjie.svg`;
        const prev = w.dev.reply;
        w.dev.reply = (m) => {
            if (m.MsgType !== 'text')
                return null;
            if (!m.Content.startsWith('pic'))
                return w.dev.text(m, `echo: ${m.Content}`);
            return w.dev.passive(m, 'news', `<ArticleCount>1</ArticleCount><Articles><item><Title><![CDATA[A picture]]></Title><Description><![CDATA[d]]></Description><PicUrl><![CDATA[${pic}?${m.Content}]]></PicUrl><Url><![CDATA[http://shop.example/]]></Url></item></Articles>`);
        };
        try {
            for (let i = 0; i < 12; i++)
                await client.text(srv, u, w.acct.appid, i % 3 === 2 ? `pic${i}` : `line ${i}`);
            const { page, context } = await chatPage('light');
            try {
                await page.waitForFunction(() => [...document.querySelectorAll('.lj-card__pic')].every((i) => i.complete));
                await page.waitForTimeout(200);
                const gap = await page.evaluate(() => { const b = document.getElementById('messages'); return b.scrollHeight - b.scrollTop - b.clientHeight; });
                assert.ok(gap < 4, `the chat opened ${gap}px above its bottom`);
                // the reader scrolls up; a new message arrives below
                await page.evaluate(() => { document.getElementById('messages').scrollTop = 0; });
                await client.text(srv, u, w.acct.appid, 'one more');
                await page.locator('#new-messages').waitFor({ state: 'visible' });
                assert.equal(await page.evaluate(() => document.getElementById('messages').scrollTop), 0, 'the chat did not move');
                await page.locator('#new-messages').click();
                const gap2 = await page.evaluate(() => { const b = document.getElementById('messages'); return b.scrollHeight - b.scrollTop - b.clientHeight; });
                assert.ok(gap2 < 4, `${gap2}px above the bottom after the tap`);
                assert.ok(await page.locator('#new-messages').isHidden());
            } finally {
                await context.close();
            }
        } finally {
            w.dev.reply = prev;
        }
    });

    it('shows the pictures and voice the account sent by media_id, and sends a picture from the chat', async () => {
        const tok = (await srv.token(w.acct.appid, w.acct.secret)).access_token;
        const openid = (await srv.get(`/cgi-bin/user/get?access_token=${tok}`)).body.data.openid[0];
        const PNG1 = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
        const form = new FormData();
        form.append('media', new Blob([PNG1]), 'dot.png');
        const up = await (await srv.fetch(`/cgi-bin/media/upload?access_token=${tok}&type=image`, { method: 'POST', body: form })).json();
        assert.ok(up.media_id, JSON.stringify(up));
        for (const type of ['image', 'voice']) {
            const media_id = type === 'image' ? up.media_id : await uploadMedia(srv, tok, type);
            const r = await srv.post(`/cgi-bin/message/custom/send?access_token=${tok}`, { touser: openid, msgtype: type, [type]: { media_id } });
            assert.equal(r.body?.errcode, 0, r.text);
        }
        // the media of the account is the account's followers' to see, nobody else's
        const stranger = await newClientUser(srv);
        const probe = await srv.get(`/client/v1/media?appid=${w.acct.appid}&media_id=nope`, { headers: stranger.auth });
        assert.notEqual(probe.status, 200);
        const { page, context } = await chatPage('light');
        const dir = mkdtempSync(path.join(os.tmpdir(), 'lj-look-'));
        try {
            const img = page.locator('.lj-msg_account .lj-image img').last();
            await img.waitFor();
            await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
            assert.match(await img.getAttribute('src'), /^\/client\/v1\/media\?appid=/);
            assert.equal(await page.locator('.lj-msg_account .lj-voice audio').count() > 0, true, 'the voice plays in the chat');
            assert.doesNotMatch(await page.locator('#messages').textContent(), /\[Image\]|\[Voice\]/);
            // the user sends a picture, and the account receives it as an image message
            const png = path.join(dir, 'p.png');
            writeFileSync(png, PNG1);
            const before = w.dev.received.length;
            await page.locator('#to-composer').click(); // the account has a menu: to the keyboard
            await page.locator('#more').click();
            await page.locator('#send-image').setInputFiles(png);
            await page.locator('.lj-msg_user .lj-image img').last().waitFor();
            for (let i = 0; w.dev.received.length === before && i < 100; i++)
                await page.waitForTimeout(50);
            const got = w.dev.received.slice(before).map((x) => x.msg.MsgType);
            assert.ok(got.includes('image'), JSON.stringify(got));
        } finally {
            rmSync(dir, { recursive: true, force: true });
            await context.close();
        }
    });

    it('fits a 320 px screen without sideways scrolling', async () => {
        const { page, context } = await chatPage('dark', 320);
        try {
            const wide = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(wide <= 320, `the page is ${wide}px wide`);
            if (SHOTS)
                await page.screenshot({ path: path.join(SHOTS, 'chat-320-dark.png') });
        } finally {
            await context.close();
        }
    });
});
