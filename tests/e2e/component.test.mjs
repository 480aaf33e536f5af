// Third-party platforms (spec/component.md), as a third-party developer sees them: the
// operator registers a component, lianjie pushes it an encrypted component_verify_ticket
// every 10 minutes of the (test) clock, the component trades it for a component token and
// asks for pre-auth codes; a merchant's administrator approves on the authorization page and
// the component trades the auth code for an authorizer token.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { expectErr, useServer } from './lib/server.mjs';
import { closeDevServers, decrypt, parseXml, randomAesKey, sha1Sorted, startDevServer } from './lib/devserver.mjs';
import { get, ids, newUser, postForm, signIn } from './lib/oauth.mjs';
import * as C from './lib/component.mjs';
import { formOf, nextTicket, pageUrl } from './lib/component.mjs';
import { client, newClientUser, nextFromAccount } from './lib/messaging.mjs';

const h = useServer({ testClock: true });
after(closeDevServers);
const srv = () => h.srv;
const newComponent = (extra) => C.newComponent(srv(), extra);
const componentToken = (c, ticket, secret) => C.componentToken(srv(), c, ticket, secret);
const authSetup = (extra) => C.authSetup(srv(), extra);
const preauth = (c) => C.preauth(srv(), c);
const queryAuth = (c, code) => C.queryAuth(srv(), c, code);
const authorized = (sets) => C.authorized(srv(), sets);
const capi = (c, name, body) => C.capi(srv(), c, name, body);

describe('operator registration', () => {
    test('creates a component with a wx appid and a secret, lists and gets it', async () => {
        const { comp } = await newComponent();
        assert.match(comp.component_appid, /^wx[0-9a-f]{16}$/);
        assert.match(comp.component_appsecret, /^[0-9a-f]{32}$/);
        assert.deepEqual(comp.func_sets, [1, 2, 15]);
        const list = await srv().op('GET', '/admin/v1/components');
        assert.equal(list.status, 200);
        assert.ok(list.body.components.some((c) => c.component_appid === comp.component_appid));
        const one = await srv().op('GET', `/admin/v1/components/get?appid=${comp.component_appid}`);
        assert.equal(one.body.component.name, 'Third Party Co');
        assert.equal(one.body.component.message_url.endsWith('/$APPID$/msg'), true);
        const none = await srv().op('GET', '/admin/v1/components/get?appid=wx0000000000000000');
        assert.equal(none.status, 404);
    });

    test('refuses bad input with 400 and needs the operator key', async () => {
        const base = { name: 'x', token: 'tok123', encoding_aes_key: randomAesKey(), auth_event_url: 'http://127.0.0.1:1/e' };
        for (const bad of [
            { ...base, name: '' },
            { ...base, token: 'a b' },
            { ...base, encoding_aes_key: 'short' },
            { ...base, auth_event_url: 'ftp://x' },
            { ...base, func_sets: ['x'] },
            { ...base, func_sets: 7 },
            { ...base, component_appid: 'nope' },
        ]) {
            const r = await srv().op('POST', '/admin/v1/components', bad);
            assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`);
        }
        const r = await srv().post('/admin/v1/components', base);
        assert.equal(r.status, 401);
    });

    test('an appid already used by an account or a component is refused', async () => {
        const acct = await srv().createAccount();
        const base = { name: 'x', token: 'tok123', encoding_aes_key: randomAesKey(), auth_event_url: 'http://127.0.0.1:1/e' };
        const r = await srv().op('POST', '/admin/v1/components', { ...base, component_appid: acct.appid });
        assert.equal(r.status, 409, r.text);
        const appid = 'wx' + Math.random().toString(16).slice(2, 10).padEnd(8, '0') + 'c0ffee00';
        const ok = await srv().op('POST', '/admin/v1/components', { ...base, component_appid: appid });
        assert.equal(ok.body.component.component_appid, appid, ok.text);
        const again = await srv().op('POST', '/admin/v1/components', { ...base, component_appid: appid });
        assert.equal(again.status, 409);
    });
});

describe('component_verify_ticket and the component token', () => {
    test('the ticket arrives encrypted with AppId outside, and again after 10 minutes', async () => {
        const c = await newComponent();
        const first = await nextTicket(c.dev);
        assert.equal(first.q.encrypt_type, 'aes');
        assert.equal(first.q.openid, undefined);
        assert.equal(first.receiveId, c.comp.component_appid);
        const outer = parseXml(first.body);
        assert.equal(outer.AppId, c.comp.component_appid);
        assert.equal(outer.ToUserName, undefined);
        assert.equal(first.msg.AppId, c.comp.component_appid);
        assert.match(first.msg.ComponentVerifyTicket, /^ticket@@@/);
        assert.match(first.msg.CreateTime, /^\d+$/);
        // an SDK re-wrapping AppId as ToUserName decrypts the same
        const enc = outer.Encrypt;
        assert.equal(sha1Sorted([c.token, first.q.timestamp, first.q.nonce, enc]), first.q.msg_signature);
        assert.equal(decrypt(c.aesKey, enc).appid, c.comp.component_appid);

        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(c.dev.received.length, 1, 'no second ticket before 10 minutes');
        await srv().advance(600);
        const second = await nextTicket(c.dev);
        assert.notEqual(second.msg.ComponentVerifyTicket, first.msg.ComponentVerifyTicket);
        // both tickets work
        for (const t of [first, second]) {
            const r = await componentToken(c, t.msg.ComponentVerifyTicket);
            assert.equal(typeof r.body.component_access_token, 'string', r.text);
            assert.equal(r.body.expires_in, 7200);
        }
    });

    test('api_start_push_ticket pushes a ticket at once', async () => {
        const c = await newComponent();
        await nextTicket(c.dev);
        const start = (secret) => srv().post('/cgi-bin/component/api_start_push_ticket',
            { component_appid: c.comp.component_appid, component_secret: secret });
        expectErr(await start('f'.repeat(32)), 40125);
        expectErr(await srv().post('/cgi-bin/component/api_start_push_ticket', { component_appid: 'wx0000000000000000', component_secret: 'x' }), 61011);
        const r = await start(c.comp.component_appsecret);
        assert.equal(r.body.errcode, 0, r.text);
        const t = await nextTicket(c.dev);
        assert.equal((await componentToken(c, t.msg.ComponentVerifyTicket)).body.expires_in, 7200);
    });

    test('api_component_token errors: appid, secret, ticket, expiry', async () => {
        const c = await newComponent();
        const t = (await nextTicket(c.dev)).msg.ComponentVerifyTicket;
        expectErr(await componentToken(c, t, 'f'.repeat(32)), 40125);
        expectErr(await componentToken(c, 'ticket@@@nope'), 61006);
        expectErr(await srv().post('/cgi-bin/component/api_component_token', {
            component_appid: 'wx0000000000000000', component_appsecret: 'x', component_verify_ticket: t,
        }), 61011);
        expectErr(await srv().post('/cgi-bin/component/api_component_token', {}), 61011);
        expectErr(await srv().post('/cgi-bin/component/api_component_token', 'not json'), 47001);
        const other = await newComponent();
        expectErr(await componentToken(other, t), 61006); // a ticket is per component
        expectErr(await srv().get('/cgi-bin/component/api_component_token'), 43002);
        await srv().advance(12 * 3600 + 1);
        expectErr(await componentToken(c, t), 61005);
    });

    test('the component token creates pre-auth codes; account tokens and bad tokens do not', async () => {
        const c = await newComponent();
        const t = (await nextTicket(c.dev)).msg.ComponentVerifyTicket;
        const tok = (await componentToken(c, t)).body.component_access_token;
        const body = { component_appid: c.comp.component_appid };
        for (const q of ['component_access_token', 'access_token']) {
            const r = await srv().post(`/cgi-bin/component/api_create_preauthcode?${q}=${encodeURIComponent(tok)}`, body);
            assert.match(r.body.pre_auth_code, /^preauthcode@@@/, r.text);
            assert.equal(r.body.expires_in, 1800);
        }
        expectErr(await srv().post('/cgi-bin/component/api_create_preauthcode', body), 41001);
        expectErr(await srv().post('/cgi-bin/component/api_create_preauthcode?component_access_token=nope', body), 40001);
        const acct = await srv().createAccount();
        const at = (await srv().token(acct.appid, acct.secret)).access_token;
        expectErr(await srv().post(`/cgi-bin/component/api_create_preauthcode?access_token=${at}`, body), 40001);
        expectErr(await srv().post(`/cgi-bin/component/api_create_preauthcode?component_access_token=${tok}`,
            { component_appid: 'wx0000000000000000' }), 61011);
        // a component token is not an account token
        expectErr(await srv().get(`/cgi-bin/getcallbackip?access_token=${tok}`), 48001);
        // a new token leaves the old one 5 minutes
        const tok2 = (await componentToken(c, t)).body.component_access_token;
        assert.notEqual(tok2, tok);
        await srv().advance(301);
        expectErr(await srv().post(`/cgi-bin/component/api_create_preauthcode?component_access_token=${tok}`, body), 42001);
        const ok = await srv().post(`/cgi-bin/component/api_create_preauthcode?component_access_token=${tok2}`, body);
        assert.match(ok.body.pre_auth_code, /^preauthcode@@@/, ok.text);
        await srv().advance(7200);
        expectErr(await srv().post(`/cgi-bin/component/api_create_preauthcode?component_access_token=${tok2}`, body), 42001);
    });
});

describe('authorization by a merchant', () => {
    test('the admin sees the sets, unticks one, approves; authorized push; api_query_auth', async () => {
        const { c, acct, cookie } = await authSetup({ domains: ['127.0.0.1'] });
        const code = await preauth(c);
        const redirect = 'http://127.0.0.1:9/back?x=1';
        const anon = await get(srv(), pageUrl(c, code, redirect));
        assert.equal(anon.status, 302);
        assert.match(anon.location, /^\/app\/login\?next=/);
        const page = await get(srv(), pageUrl(c, code, redirect), cookie);
        assert.equal(page.status, 200, page.text);
        assert.match(page.text, /Third Party Co/);
        assert.match(page.text, new RegExp(`value="${acct.appid}"`));
        for (const id of [1, 2, 15]) assert.match(page.text, new RegExp(`name="set_${id}"`));
        const form = { ...formOf(page.text), authorizer_appid: acct.appid, set_1: '1', set_15: '1' };
        const res = await postForm(srv(), '/cgi-bin/componentloginpage', form, cookie);
        assert.equal(res.status, 302, res.text);
        const loc = new URL(res.location);
        assert.equal(loc.origin + loc.pathname, 'http://127.0.0.1:9/back');
        assert.equal(loc.searchParams.get('x'), '1');
        assert.equal(loc.searchParams.get('expires_in'), '600');
        const authCode = loc.searchParams.get('auth_code');
        assert.ok(authCode);

        const ev = await c.dev.next();
        assert.equal(ev.msg.InfoType, 'authorized', ev.xml);
        assert.equal(ev.msg.AuthorizerAppid, acct.appid);
        assert.equal(ev.msg.AuthorizationCode, authCode);
        assert.equal(ev.msg.PreAuthCode, code);
        assert.equal(Number(ev.msg.AuthorizationCodeExpiredTime), Number(ev.msg.CreateTime) + 600);
        assert.equal(parseXml(ev.body).AppId, c.comp.component_appid);

        const q = await queryAuth(c, authCode);
        const info = q.body.authorization_info;
        assert.ok(info, q.text);
        assert.equal(info.authorizer_appid, acct.appid);
        assert.equal(info.expires_in, 7200);
        assert.equal(typeof info.authorizer_access_token, 'string');
        assert.equal(typeof info.authorizer_refresh_token, 'string');
        assert.deepEqual(info.func_info, [{ funcscope_category: { id: 1 } }, { funcscope_category: { id: 15 } }]);
        expectErr(await queryAuth(c, authCode), 61009); // single use
        expectErr(await queryAuth(c, 'queryauthcode@@@nope'), 61009);

        // the pre-auth code is used up
        const again = await get(srv(), pageUrl(c, code, redirect), cookie);
        assert.equal(again.status, 400);

        // re-authorizing with another set list: updateauthorized
        const code2 = await preauth(c);
        const page2 = await get(srv(), pageUrl(c, code2, redirect, { biz_appid: acct.appid }), cookie);
        const res2 = await postForm(srv(), '/cgi-bin/componentloginpage',
            { ...formOf(page2.text), authorizer_appid: acct.appid, set_1: '1', set_2: '1', set_15: '1' }, cookie);
        assert.equal(res2.status, 302, res2.text);
        const ev2 = await c.dev.next();
        assert.equal(ev2.msg.InfoType, 'updateauthorized');
        const code3 = new URL(res2.location).searchParams.get('auth_code');
        await srv().advance(601);
        expectErr(await queryAuth(c, code3), 61010);
    });

    test('a platform with no web domains sends no code anywhere', async () => {
        const { c, cookie } = await authSetup({ domains: [] });
        const code = await preauth(c);
        for (const back of ['http://127.0.0.1:9/back', 'https://anything.example/cb']) {
            const res = await get(srv(), pageUrl(c, code, back), cookie);
            assert.equal(res.status, 400, `${back}: ${res.status}`);
            assert.equal(res.location, null);
        }
        await c.dev.close();
    });

    test('the page refuses: no admin rights, bad codes, foreign redirect, forged form', async () => {
        const { c, acct, cookie } = await authSetup({ domains: ['127.0.0.1'] });
        const code = await preauth(c);
        const ok = 'http://127.0.0.1:9/back';
        assert.equal((await get(srv(), pageUrl(c, 'preauthcode@@@nope', ok), cookie)).status, 400);
        assert.equal((await get(srv(), pageUrl(c, code, 'http://evil.example/x'), cookie)).status, 400);
        assert.equal((await get(srv(), pageUrl(c, code, 'http://127.0.0.1.evil.example/x'), cookie)).status, 400);
        // a browser reads the backslash as a slash: the host would be evil.example
        assert.equal((await get(srv(), pageUrl(c, code, 'http://evil.example\\.127.0.0.1/back'), cookie)).status, 400);
        assert.equal((await get(srv(), pageUrl(c, code, ''), cookie)).status, 400);
        const other = await newUser(srv());
        const otherCookie = await signIn(srv(), other.username, other.password);
        assert.equal((await get(srv(), pageUrl(c, code, ok), otherCookie)).status, 403);
        const other2 = await srv().createAccount();
        assert.equal((await get(srv(), pageUrl(c, code, ok, { biz_appid: other2.appid }), cookie)).status, 403);
        const page = await get(srv(), pageUrl(c, code, ok), cookie);
        const form = formOf(page.text);
        const forged = await postForm(srv(), '/cgi-bin/componentloginpage', { ...form, csrf: 'f'.repeat(64), authorizer_appid: acct.appid, set_1: '1' }, cookie);
        assert.equal(forged.status, 400);
        const notMine = await postForm(srv(), '/cgi-bin/componentloginpage', { ...form, authorizer_appid: other2.appid, set_1: '1' }, cookie);
        assert.equal(notMine.status, 403);
        const noSets = await postForm(srv(), '/cgi-bin/componentloginpage', { ...form, authorizer_appid: acct.appid }, cookie);
        assert.equal(noSets.status, 400);
        // the mobile links show the same page
        for (const p of ['/safe/bindcomponent', '/wxaopen/safe/bindcomponent']) {
            const q = new URLSearchParams({ action: 'bindcomponent', no_scan: '1', component_appid: c.comp.component_appid,
                pre_auth_code: code, redirect_uri: ok, auth_type: '3' });
            const m = await get(srv(), `${p}?${q}`, cookie);
            assert.equal(m.status, 200, `${p}: ${m.text.slice(0, 200)}`);
        }
        await srv().advance(1801);
        assert.equal((await get(srv(), pageUrl(c, code, ok), cookie)).status, 400);
    });
});

describe('authorizers', () => {
    test('api_authorizer_token refreshes; info, list and options', async () => {
        const s = await authorized();
        const { c, acct, info } = s;
        const r = await capi(c, 'api_authorizer_token', { authorizer_appid: acct.appid, authorizer_refresh_token: info.authorizer_refresh_token });
        assert.equal(typeof r.body.authorizer_access_token, 'string', r.text);
        assert.notEqual(r.body.authorizer_access_token, info.authorizer_access_token);
        assert.equal(r.body.expires_in, 7200);
        assert.equal(r.body.authorizer_refresh_token, info.authorizer_refresh_token);
        expectErr(await capi(c, 'api_authorizer_token', { authorizer_appid: acct.appid, authorizer_refresh_token: 'nope' }), 61023);
        const stranger = await srv().createAccount();
        expectErr(await capi(c, 'api_authorizer_token', { authorizer_appid: stranger.appid, authorizer_refresh_token: info.authorizer_refresh_token }), 61003);

        const ai = await capi(c, 'api_get_authorizer_info', { authorizer_appid: acct.appid });
        assert.equal(ai.body.authorizer_info.nick_name, acct.name, ai.text);
        assert.equal(ai.body.authorizer_info.user_name, acct.original_id);
        assert.deepEqual(ai.body.authorizer_info.service_type_info, { id: 2 });
        assert.deepEqual(ai.body.authorizer_info.verify_type_info, { id: 0 });
        assert.equal(ai.body.authorization_info.authorizer_appid, acct.appid);
        assert.equal(ai.body.authorization_info.func_info.length, 3);
        expectErr(await capi(c, 'api_get_authorizer_info', { authorizer_appid: stranger.appid }), 61003);

        const list = await capi(c, 'api_get_authorizer_list', { offset: 0, count: 100 });
        assert.equal(list.body.total_count, 1, list.text);
        assert.equal(list.body.list[0].authorizer_appid, acct.appid);
        assert.equal(list.body.list[0].refresh_token, info.authorizer_refresh_token);
        assert.equal(typeof list.body.list[0].auth_time, 'number');
        const str = await capi(c, 'api_get_authorizer_list', { offset: '1', count: '10' });
        assert.deepEqual(str.body, { total_count: 1, list: [] });
        expectErr(await capi(c, 'api_get_authorizer_list', { offset: 0, count: 501 }), 40097);

        const opt = (name) => capi(c, 'api_get_authorizer_option', { authorizer_appid: acct.appid, option_name: name });
        assert.equal((await opt('voice_recognize')).body.option_value, '0');
        const set = await capi(c, 'api_set_authorizer_option', { authorizer_appid: acct.appid, option_name: 'voice_recognize', option_value: '1' });
        assert.equal(set.body.errcode, 0, set.text);
        assert.equal((await opt('voice_recognize')).body.option_value, '1');
        const loc = await capi(c, 'api_set_authorizer_option', { authorizer_appid: acct.appid, option_name: 'location_report', option_value: '2' });
        assert.equal(loc.body.errcode, 0, loc.text);
        const l = await opt('location_report');
        assert.equal(l.body.option_value, '2');
        assert.equal(l.body.option_name, 'location_report');
        assert.equal(l.body.authorizer_appid, acct.appid);
        expectErr(await opt('nope'), 61012);
        expectErr(await capi(c, 'api_set_authorizer_option', { authorizer_appid: acct.appid, option_name: 'voice_recognize', option_value: '2' }), 61013);
        expectErr(await capi(c, 'api_set_authorizer_option', { authorizer_appid: stranger.appid, option_name: 'voice_recognize', option_value: '1' }), 61003);

        const cq = await capi(c, 'clear_quota', {});
        assert.equal(cq.body.errcode, 0, cq.text);
    });

    test('a cancellation ends the authorization codes not yet exchanged, also after a new authorization', async () => {
        const s = await authorized({ set_1: '1' });
        const { c, acct, user } = s;
        // approved again on the page: a code that the third party has not exchanged yet
        const code = await preauth(c);
        const page = await get(srv(), pageUrl(c, code, 'http://127.0.0.1:9/back'), s.cookie);
        const res = await postForm(srv(), '/cgi-bin/componentloginpage', { ...formOf(page.text), authorizer_appid: acct.appid, set_1: '1' }, s.cookie);
        assert.equal(res.status, 302, res.text.slice(0, 300));
        const early = new URL(res.location).searchParams.get('auth_code');
        // the sets are the same as before: no updateauthorized push
        const login = await srv().post('/client/v1/login', { username: user.username, password: user.password });
        const auth = { authorization: `Bearer ${login.body.session}` };
        const r = await srv().post('/client/v1/authorizations/cancel', { appid: acct.appid, component_appid: c.comp.component_appid }, { headers: auth });
        assert.equal(r.status, 200, r.text);
        assert.equal((await c.dev.next()).msg.InfoType, 'unauthorized');
        const info = await C.approve(srv(), c, s, { set_1: '1' }); // authorized anew
        assert.ok(info.authorizer_access_token);
        const late = await queryAuth(c, early);
        assert.equal(late.body.authorization_info, undefined, `the code from before the cancellation: ${late.text}`);
        assert.ok(late.body.errcode, late.text);
    });

    test('the administrator lists and cancels: unauthorized push, refresh then fails', async () => {
        const s = await authorized({ set_1: '1' });
        const { c, acct, user, info } = s;
        const login = await srv().post('/client/v1/login', { username: user.username, password: user.password });
        const auth = { authorization: `Bearer ${login.body.session}` };
        const l = await srv().get(`/client/v1/authorizations?appid=${acct.appid}`, { headers: auth });
        assert.equal(l.status, 200, l.text);
        assert.deepEqual(l.body.authorizations.map((a) => [a.component_appid, a.func_sets]), [[c.comp.component_appid, [1]]]);
        const other = await newUser(srv());
        const ol = await srv().post('/client/v1/login', { username: other.username, password: other.password });
        const oauth = { authorization: `Bearer ${ol.body.session}` };
        assert.equal((await srv().get(`/client/v1/authorizations?appid=${acct.appid}`, { headers: oauth })).status, 403);
        const bad = await srv().post('/client/v1/authorizations/cancel', { appid: acct.appid, component_appid: c.comp.component_appid }, { headers: oauth });
        assert.equal(bad.status, 403);

        const r = await srv().post('/client/v1/authorizations/cancel', { appid: acct.appid, component_appid: c.comp.component_appid }, { headers: auth });
        assert.equal(r.status, 200, r.text);
        const ev = await c.dev.next();
        assert.equal(ev.msg.InfoType, 'unauthorized', ev.xml);
        assert.equal(ev.msg.AuthorizerAppid, acct.appid);
        assert.equal(ev.msg.AppId, c.comp.component_appid);
        expectErr(await capi(c, 'api_authorizer_token', { authorizer_appid: acct.appid, authorizer_refresh_token: info.authorizer_refresh_token }), 61003);
        const again = await srv().post('/client/v1/authorizations/cancel', { appid: acct.appid, component_appid: c.comp.component_appid }, { headers: auth });
        assert.notEqual(again.status, 200);
        const list = await capi(c, 'api_get_authorizer_list', { offset: 0, count: 10 });
        assert.equal(list.body.total_count, 0);
    });
});

describe('the merchant changes an authorization', () => {
    test('lists administered accounts with their third parties; keeps fewer sets; updateauthorized', async () => {
        const s = await authorized({ set_1: '1', set_2: '1', set_15: '1' });
        const { c, acct, user, info } = s;
        const login = await srv().post('/client/v1/login', { username: user.username, password: user.password });
        const auth = { headers: { authorization: `Bearer ${login.body.session}` } };
        const mine = await srv().get('/client/v1/administered', auth);
        assert.equal(mine.status, 200, mine.text);
        const entry = mine.body.accounts.find((a) => a.appid === acct.appid);
        assert.deepEqual(entry.authorizations.map((a) => [a.component_appid, a.component_name, a.func_sets]), [[c.comp.component_appid, 'Third Party Co', [1, 2, 15]]]);
        const update = (func_sets) => srv().post('/client/v1/authorizations/update', { appid: acct.appid, component_appid: c.comp.component_appid, func_sets }, auth);
        assert.equal((await update([1, 2, 15, 7])).status, 400, 'no set can be added here');
        assert.equal((await update([])).status, 400);
        const r = await update([1, 2]);
        assert.equal(r.status, 200, r.text);
        const ev = await c.dev.next();
        assert.equal(ev.msg.InfoType, 'updateauthorized');
        assert.equal(ev.msg.AuthorizerAppid, acct.appid);
        const tok = info.authorizer_access_token;
        expectErr(await srv().get(`/cgi-bin/menu/get?access_token=${encodeURIComponent(tok)}`), 61007);
        const other = await newUser(srv());
        const ol = await srv().post('/client/v1/login', { username: other.username, password: other.password });
        const stranger = await srv().post('/client/v1/authorizations/update', { appid: acct.appid, component_appid: c.comp.component_appid, func_sets: [1] }, { headers: { authorization: `Bearer ${ol.body.session}` } });
        assert.equal(stranger.status, 403);
        const page = await get(srv(), '/app/authorizations', s.cookie);
        assert.equal(page.status, 200);
        assert.match(page.text, /authorizations\.js/);
    });
});

describe('exclusive permission sets', () => {
    test('set 4 goes to one third party per account; another must leave it unticked', async () => {
        const a = await authSetup({ domains: ['127.0.0.1'], func_sets: [1, 4] });
        const approve = async (c, sets) => {
            const page = await get(srv(), pageUrl(c, await preauth(c), 'http://127.0.0.1:9/back'), a.cookie);
            assert.equal(page.status, 200, page.text.slice(0, 300));
            return postForm(srv(), '/cgi-bin/componentloginpage', { ...formOf(page.text), authorizer_appid: a.acct.appid, ...sets }, a.cookie);
        };
        assert.equal((await approve(a.c, { set_1: '1', set_4: '1' })).status, 302);
        const b = await newComponent({ domains: ['127.0.0.1'], func_sets: [1, 4] });
        b.ctoken = (await componentToken(b, (await nextTicket(b.dev)).msg.ComponentVerifyTicket)).body.component_access_token;
        const refused = await approve(b, { set_1: '1', set_4: '1' });
        assert.equal(refused.status, 409, refused.text.slice(0, 300));
        assert.match(refused.text, /exclusive/);
        assert.equal((await approve(b, { set_1: '1' })).status, 302, 'without the exclusive set it is fine');
    });
});

describe('calling wire APIs for the merchant', () => {
    test('an authorizer token reaches only the granted permission sets, and dies with the authorization', async () => {
        const s = await authorized({ set_1: '1', set_2: '1' });
        const { c, acct, user, info } = s;
        const tok = info.authorizer_access_token;
        const call = (method, path, body) => srv().request(method, `/cgi-bin/${path}?access_token=${encodeURIComponent(tok)}`, { body });
        // set 2 (users): granted; the answer is the merchant's own data
        const fans = await call('GET', 'user/get');
        assert.equal(fans.body.errcode, undefined, fans.text);
        assert.equal(fans.body.total, 0);
        // set 15 (menus) and set 3 (QR codes): not granted
        expectErr(await call('POST', 'menu/create', { button: [{ type: 'click', name: 'x', key: 'k' }] }), 61007);
        expectErr(await call('POST', 'qrcode/create', { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 1 } } }), 61007);
        // the merchant's own token is unaffected, and works on menus
        const own = (await srv().token(acct.appid, acct.secret)).access_token;
        const m = await srv().post(`/cgi-bin/menu/create?access_token=${own}`, { button: [{ type: 'click', name: 'x', key: 'k' }] });
        assert.equal(m.body.errcode, 0, m.text);
        // cancelling kills the authorizer token at once
        const login = await srv().post('/client/v1/login', { username: user.username, password: user.password });
        const r = await srv().post('/client/v1/authorizations/cancel', { appid: acct.appid, component_appid: c.comp.component_appid },
            { headers: { authorization: `Bearer ${login.body.session}` } });
        assert.equal(r.status, 200, r.text);
        expectErr(await call('GET', 'user/get'), 40001);
        assert.equal((await srv().get(`/cgi-bin/user/get?access_token=${own}`)).body.total, 0);
    });
});

describe('messages of an authorizing account', () => {
    test('go to the third party\'s message URL, encrypted with its key; its replies reach the user', async () => {
        const s = await authorized({ set_1: '1' });
        const { c, acct } = s;
        const u = await newClientUser(srv());
        c.dev.reply = (m) => (m.MsgType === 'text' ? c.dev.text(m, `third party for ${m.ToUserName}`) : null);
        const f = await client.follow(srv(), u, acct.appid);
        assert.equal(f.body.errcode, 0, f.text);
        const sub = await c.dev.next();
        assert.equal(sub.msg.Event, 'subscribe', sub.xml);
        assert.equal(sub.msg.ToUserName, acct.original_id);
        assert.equal(sub.path, `/wechat/${acct.appid}/msg`, 'the message URL with $APPID$ filled in');
        assert.equal(sub.q.encrypt_type, 'aes');
        assert.equal(sub.q.openid, f.body.openid);
        const sent = await client.text(srv(), u, acct.appid, 'hello merchant');
        assert.equal(sent.body.errcode, 0, sent.text);
        const push = await c.dev.next();
        assert.equal(push.msg.Content, 'hello merchant');
        const reply = await nextFromAccount(srv(), u, acct.appid, sent.body.message_id);
        assert.equal(reply.body.content, `third party for ${acct.original_id}`);
    });
});

describe('web authorization for the merchant', () => {
    test('authorize with component_appid; the third party exchanges and refreshes without a secret', async () => {
        const s = await authorized({ set_1: '1' });
        const { c, acct } = s;
        const u = await newUser(srv());
        const cookie = await signIn(srv(), u.username, u.password);
        const page = (extra = {}) => `/connect/oauth2/authorize?${new URLSearchParams({ appid: acct.appid, redirect_uri: 'http://127.0.0.1:9/cb', response_type: 'code', scope: 'snsapi_base', state: 'st', component_appid: c.comp.component_appid, ...extra })}`;
        const res = await get(srv(), page(), cookie);
        assert.equal(res.status, 302, res.text);
        const back = new URL(res.location);
        assert.equal(back.searchParams.get('state'), 'st');
        assert.equal(back.searchParams.get('appid'), acct.appid);
        const code = back.searchParams.get('code');
        const q = (path, extra) => srv().get(`/sns/oauth2/component/${path}?${new URLSearchParams({ appid: acct.appid, component_appid: c.comp.component_appid, component_access_token: c.ctoken, ...extra })}`);
        const x = await q('access_token', { code, grant_type: 'authorization_code' });
        assert.equal(x.body.errcode, undefined, x.text);
        assert.equal(x.body.openid, (await ids(srv(), acct.appid, u.id)).openid);
        const f = await q('refresh_token', { refresh_token: x.body.refresh_token, grant_type: 'refresh_token' });
        assert.ok(f.body.access_token, f.text);
        expectErr(await q('access_token', { code, grant_type: 'authorization_code' }), 40163);
        expectErr(await q('access_token', { code: 'nope', grant_type: 'authorization_code', component_access_token: 'bad' }), 40001);
        // the redirect must be on the third party's domains; the account must have authorized it
        assert.equal((await get(srv(), page({ redirect_uri: 'http://evil.example/cb' }), cookie)).status, 400);
        const stranger = await srv().createAccount({ type: 'service', verified: true });
        const refused = await get(srv(), page({ appid: stranger.appid }), cookie);
        assert.equal(refused.status, 400);
        assert.match(refused.text, /10015/);
    });
});

describe('command line', () => {
    test('lianjie admin component create / list, account admin', async () => {
        const token = 'clitok1';
        const aesKey = randomAesKey();
        const dev = await startDevServer({ token, aesKey, appid: '' });
        const r = await srv().admin('component', 'create', '--name', 'CLI Platform', '--token', token,
            '--aes-key', aesKey, '--auth-url', `${dev.url}/e`, '--sets', '1,15', '--domains', 'tp.example.com');
        assert.equal(r.code, 0, r.stderr);
        const comp = r.json[0];
        assert.match(comp.component_appid, /^wx[0-9a-f]{16}$/);
        assert.deepEqual(comp.func_sets, [1, 15]);
        dev.appid = comp.component_appid;
        const t = await dev.next();
        assert.equal(t.msg.InfoType, 'component_verify_ticket');
        const list = await srv().admin('component', 'list');
        assert.ok(list.json.some((c) => c.component_appid === comp.component_appid));
        const bad = await srv().admin('component', 'create', '--name', 'x', '--token', token, '--aes-key', 'short', '--auth-url', 'http://x/');
        assert.notEqual(bad.code, 0);

        const acct = await srv().createAccount();
        const user = await newUser(srv());
        const a = await srv().admin('account', 'admin', '--appid', acct.appid, '--user', String(user.id));
        assert.equal(a.code, 0, a.stderr);
        const nobody = await srv().admin('account', 'admin', '--appid', acct.appid, '--user', '999999');
        assert.notEqual(nobody.code, 0);
    });
});
