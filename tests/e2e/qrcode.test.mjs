// Scene QR codes, short keys and JS-SDK tickets (spec/accounts.md §5-§7): qrcode/create with
// every action, its limits and errcodes (the 100 000 permanent codes of an account included),
// showqrcode answering a PNG that decodes to the code's url, expiry on the test clock,
// shorten/gen + shorten/fetch round trips, the legacy shorturl, and ticket/getticket keeping
// one ticket per account and type until it expires, across a restart.
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { expectErr, useServer } from './lib/server.mjs';
import { decodeQrPng, pngInfo } from './lib/oauth.mjs';

const TICKET_RE = /^gQ[A-Za-z0-9+/]{32}==$/;
const CODE_RE = /^[A-Za-z0-9_-]{22}$/;

async function newAccount(srv) {
    const a = await srv.createAccount();
    const t = await srv.token(a.appid, a.secret);
    assert.ok(t.access_token, JSON.stringify(t));
    return { ...a, token: t.access_token };
}

/** a fresh token for an account (after the clock moved past the old one) */
async function retoken(srv, a) {
    a.token = (await srv.token(a.appid, a.secret)).access_token;
    return a;
}

const create = (srv, a, body) => srv.post(`/cgi-bin/qrcode/create?access_token=${a.token}`, body);
const scene = (action, sc, extra = {}) => ({ action_name: action, action_info: { scene: sc }, ...extra });
const showPath = (ticket) => `/cgi-bin/showqrcode?ticket=${encodeURIComponent(ticket)}`;

/** creates a code and checks the shape of the answer */
async function createOk(srv, a, body) {
    const r = await create(srv, a, body);
    assert.equal(r.status, 200);
    assert.ok(r.body && r.body.ticket, r.text);
    assert.match(r.body.ticket, TICKET_RE);
    const u = new URL(r.body.url);
    assert.equal(u.origin, srv.url, 'the url is on the host the request named');
    assert.match(u.pathname, /^\/q\//);
    assert.match(u.pathname.slice(3), CODE_RE);
    assert.equal(r.body.errcode, undefined, 'a created code has no errcode, as WeChat answers it');
    return r.body;
}

/** GET showqrcode: the PNG decoded, or the status of the refusal */
async function show(srv, ticket) {
    const res = await srv.fetch(showPath(ticket));
    const buf = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200)
        return { status: res.status, type: res.headers.get('content-type'), text: buf.toString() };
    assert.equal(res.headers.get('content-type'), 'image/png');
    const info = pngInfo(buf);
    assert.equal(info.width, info.height, 'a QR code is square');
    const text = await decodeQrPng(buf);
    assert.notEqual(text, undefined, 'jsqr and pngjs are installed (make e2e)');
    return { status: 200, text, width: info.width };
}

/** POSTs JSON bodies with keep-alive connections (much faster than fetch for many calls) */
function fastPoster(srv) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const u = new URL(srv.url);
    const post = (path, obj) =>
        new Promise((resolve, reject) => {
            const body = JSON.stringify(obj);
            const req = http.request(
                { host: u.hostname, port: u.port, path, method: 'POST', agent, headers: { 'content-length': Buffer.byteLength(body) } },
                (res) => {
                    let d = '';
                    res.setEncoding('utf8');
                    res.on('data', (c) => (d += c));
                    res.on('end', () => resolve(JSON.parse(d)));
                },
            );
            req.on('error', reject);
            req.end(body);
        });
    return { post, close: () => agent.destroy() };
}

describe('qrcode/create and showqrcode', () => {
    const h = useServer({ testClock: true });

    it('creates a temporary integer-scene code whose image decodes to its url', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const c = await createOk(srv, a, scene('QR_SCENE', { scene_id: 123 }, { expire_seconds: 604800 }));
        assert.equal(c.expire_seconds, 604800);
        const img = await show(srv, c.ticket);
        assert.equal(img.status, 200, img.text);
        assert.equal(img.text, c.url);
        assert.ok(img.width >= 200, `a usable image: ${img.width} px`);
    });

    it('creates temporary string-scene codes, each one new', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const body = scene('QR_STR_SCENE', { scene_str: '商品-42' }, { expire_seconds: 3600 });
        const c1 = await createOk(srv, a, body);
        const c2 = await createOk(srv, a, body);
        assert.equal(c1.expire_seconds, 3600);
        assert.notEqual(c1.ticket, c2.ticket);
        assert.notEqual(c1.url, c2.url);
        assert.equal((await show(srv, c2.ticket)).text, c2.url);
    });

    it('creates permanent codes without expire_seconds, and the same code again for the same scene', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const b = await newAccount(srv);
        const p1 = await createOk(srv, a, scene('QR_LIMIT_SCENE', { scene_id: 100000 }));
        assert.equal('expire_seconds' in p1, false, JSON.stringify(p1));
        const again = await createOk(srv, a, scene('QR_LIMIT_SCENE', { scene_id: '100000' }, { expire_seconds: 60 }));
        assert.deepEqual(again, p1, 'the same scene answers the same ticket and url');
        const s1 = await createOk(srv, a, scene('QR_LIMIT_STR_SCENE', { scene_str: '100000' }));
        assert.equal('expire_seconds' in s1, false);
        assert.notEqual(s1.ticket, p1.ticket, 'a string scene is another scene');
        assert.deepEqual(await createOk(srv, a, scene('QR_LIMIT_STR_SCENE', { scene_str: '100000' })), s1);
        const other = await createOk(srv, b, scene('QR_LIMIT_SCENE', { scene_id: 100000 }));
        assert.notEqual(other.ticket, p1.ticket, "another account's scene is its own");
        assert.equal((await show(srv, p1.ticket)).text, p1.url);
        assert.equal((await show(srv, s1.ticket)).text, s1.url);
    });

    it('gives temporary codes 60 s when expire_seconds is absent and 30 days at most', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const cases = [
            [undefined, 60],
            [null, 60],
            [0, 60],
            [1, 1],
            ['300', 300],
            [2592000, 2592000],
            [2592001, 2592000],
            [99999999, 2592000],
        ];
        for (const [asked, got] of cases) {
            const extra = asked === undefined ? {} : { expire_seconds: asked };
            const c = await createOk(srv, a, scene('QR_SCENE', { scene_id: 9 }, extra));
            assert.equal(c.expire_seconds, got, `expire_seconds ${JSON.stringify(asked)}`);
        }
    });

    it('takes scene values at their limits and refuses others with 40053', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        await createOk(srv, a, scene('QR_SCENE', { scene_id: 4294967295 }));
        await createOk(srv, a, scene('QR_SCENE', { scene_id: 1 }));
        await createOk(srv, a, scene('QR_STR_SCENE', { scene_str: 'x'.repeat(64) }));
        await createOk(srv, a, scene('QR_LIMIT_STR_SCENE', { scene_str: 'y'.repeat(64) }));
        await createOk(srv, a, scene('QR_LIMIT_SCENE', { scene_id: 1 }));
        const bad = [
            scene('QR_SCENE', { scene_id: 0 }),
            scene('QR_SCENE', { scene_id: -1 }),
            scene('QR_SCENE', { scene_id: 4294967296 }),
            scene('QR_SCENE', { scene_id: 1.5 }),
            scene('QR_SCENE', { scene_id: 'abc' }),
            scene('QR_SCENE', { scene_str: '12' }),
            scene('QR_SCENE', {}),
            scene('QR_LIMIT_SCENE', { scene_id: 0 }),
            scene('QR_LIMIT_SCENE', { scene_id: 100001 }),
            scene('QR_STR_SCENE', { scene_str: '' }),
            scene('QR_STR_SCENE', { scene_str: 'x'.repeat(65) }),
            scene('QR_STR_SCENE', { scene_str: 111 }),
            scene('QR_STR_SCENE', { scene_id: 5 }),
            scene('QR_LIMIT_STR_SCENE', { scene_str: 'z'.repeat(65) }),
            { action_name: 'QR_SCENE' },
            { action_name: 'QR_SCENE', action_info: { scene_id: 5 } },
            { action_name: 'QR_SCENE', action_info: 'scene' },
            { action_name: 'QR_SCENE', action_info: { scene: [5] } },
        ];
        for (const body of bad)
            expectErr(await create(srv, a, body), 40053);
    });

    it('refuses unknown action names with 40052 and malformed bodies with 44002 / 47001', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        for (const action of ['QR_CARD', 'qr_scene', '', 'QR_SCENE ', 'QR_LIMIT_SCENE_X'])
            expectErr(await create(srv, a, scene(action, { scene_id: 1 })), 40052);
        expectErr(await create(srv, a, { action_info: { scene: { scene_id: 1 } } }), 40052);
        expectErr(await create(srv, a, scene(7, { scene_id: 1 })), 40052);
        expectErr(await create(srv, a, ''), 44002);
        expectErr(await create(srv, a, '{"action_name":'), 47001);
        expectErr(await create(srv, a, '[1,2]'), 47001);
        expectErr(await create(srv, a, scene('QR_SCENE', { scene_id: 1 }, { expire_seconds: 'soon' })), 47001);
        expectErr(await create(srv, a, scene('QR_SCENE', { scene_id: 1 }, { expire_seconds: 60.5 })), 47001);
        // a permanent code has no lifetime to get wrong
        await createOk(srv, a, scene('QR_LIMIT_SCENE', { scene_id: 3 }, { expire_seconds: 'never' }));
    });

    it('wants a valid access token and POST', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const body = scene('QR_SCENE', { scene_id: 1 });
        expectErr(await srv.post('/cgi-bin/qrcode/create', body), 41001);
        expectErr(await srv.post('/cgi-bin/qrcode/create?access_token=nope', body), 40001);
        expectErr(await srv.get(`/cgi-bin/qrcode/create?access_token=${a.token}`), 43002);
        const put = await srv.request('PUT', `/cgi-bin/qrcode/create?access_token=${a.token}`, { body });
        expectErr(put, 43002);
    });

    it('answers HTTP 404 for unknown, missing and mangled tickets, 405 for POST', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const c = await createOk(srv, a, scene('QR_SCENE', { scene_id: 5 }));
        const tries = [
            '/cgi-bin/showqrcode',
            '/cgi-bin/showqrcode?ticket=',
            '/cgi-bin/showqrcode?ticket=gQnope',
            `/cgi-bin/showqrcode?ticket=${encodeURIComponent(c.ticket.slice(0, -3))}`,
            `/cgi-bin/showqrcode?ticket=${encodeURIComponent(c.ticket + 'x')}`,
            `/cgi-bin/showqrcode?ticket=${encodeURIComponent('x'.repeat(5000))}`,
            `/cgi-bin/showqrcode?ticket=%zz`,
            `/cgi-bin/showqrcode?ticket=${new URL(c.url).pathname.slice(3)}`,
        ];
        for (const p of tries) {
            const r = await srv.get(p);
            assert.equal(r.status, 404, `${p}: ${r.status} ${r.text.slice(0, 100)}`);
            assert.ok(r.body && r.body.errmsg, `a clear body: ${r.text}`);
        }
        const post = await srv.post(showPath(c.ticket), '');
        assert.equal(post.status, 405);
        // needs no token: an <img src> works for anyone holding the ticket
        assert.equal((await show(srv, c.ticket)).status, 200);
    });

    it('answers garbage bodies on every POST path of this family with an errcode, never a crash', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const bodies = [
            '{}',
            'null',
            '"x"',
            '{"action_name":null,"action_info":null,"long_data":null,"short_key":null,"long_url":null}',
            '{"action_info":{"scene":{"scene_id":1e999,"scene_str":{"a":1}}},"action_name":"QR_SCENE"}',
            '{"action_name":"QR_SCENE","action_info":{"scene":{"scene_id":"9999999999999999999999"}}}',
            '{"expire_seconds":-1e308,"action_name":"QR_STR_SCENE","action_info":{"scene":{"scene_str":"\\ud800"}}}',
            '{"long_data":"\\u0000"}',
            '{"a":' + '['.repeat(5000),
            '{"action_name":"' + 'x'.repeat(200000) + '"}',
            '\ufeff{"a":1}',
        ];
        for (const p of ['/cgi-bin/qrcode/create', '/cgi-bin/shorten/gen', '/cgi-bin/shorten/fetch', '/cgi-bin/shorturl']) {
            for (const body of bodies) {
                const res = await srv.post(`${p}?access_token=${a.token}`, body, { headers: { 'content-type': 'application/json' } });
                assert.equal(res.status, 200, `${p}: ${res.status} ${res.text.slice(0, 200)}`);
                assert.ok(res.body && res.body.errcode, `${p} ${body.slice(0, 60)}: ${res.text.slice(0, 200)}`);
            }
            await srv.assertClean(`garbage bodies on ${p}`);
        }
    });

    it("reads a ticket sent with its '+' unencoded", async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        let c;
        for (let i = 0; i < 40 && !(c && c.ticket.includes('+')); i++)
            c = await createOk(srv, a, scene('QR_SCENE', { scene_id: 77 }));
        assert.ok(c.ticket.includes('+'), 'some ticket holds a +');
        const sloppy = c.ticket.replaceAll('/', '%2F').replaceAll('=', '%3D');
        const res = await srv.fetch(`/cgi-bin/showqrcode?ticket=${sloppy}`);
        assert.equal(res.status, 200);
        await res.arrayBuffer();
    });

    it('stops showing a temporary code once it expired, and keeps permanent ones', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const t = await createOk(srv, a, scene('QR_SCENE', { scene_id: 1 }, { expire_seconds: 60 }));
        const long = await createOk(srv, a, scene('QR_STR_SCENE', { scene_str: 'later' }, { expire_seconds: 120 }));
        const p = await createOk(srv, a, scene('QR_LIMIT_STR_SCENE', { scene_str: 'forever' }));
        // the test clock runs on with the real one: 2 s of room for a slow run
        await srv.advance(57);
        assert.equal((await show(srv, t.ticket)).status, 200, 'alive 57 s in');
        await srv.advance(3);
        const gone = await show(srv, t.ticket);
        assert.equal(gone.status, 404, 'expired at 60 s');
        assert.match(gone.text, /expired/);
        assert.equal((await show(srv, long.ticket)).status, 200);
        await srv.advance(3 * 86400);
        assert.equal((await show(srv, long.ticket)).status, 404);
        assert.equal((await show(srv, p.ticket)).text, p.url, 'a permanent code never expires');
        await retoken(srv, a);
        assert.deepEqual(await createOk(srv, a, scene('QR_LIMIT_STR_SCENE', { scene_str: 'forever' })), p);
    });
});

describe('the 100 000 permanent codes of an account', () => {
    const h = useServer();

    it('answers 45029 for the 100 001st scene, still answers existing scenes, and counts per account', { timeout: 300000 }, async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const b = await newAccount(srv);
        const fast = fastPoster(srv);
        try {
            const path = `/cgi-bin/qrcode/create?access_token=${a.token}`;
            let next = 1;
            const failures = [];
            const worker = async () => {
                while (next <= 100000) {
                    const id = next++;
                    const r = await fast.post(path, scene('QR_LIMIT_SCENE', { scene_id: id }));
                    if (!r.ticket)
                        failures.push([id, r]);
                }
            };
            await Promise.all(Array.from({ length: 48 }, worker));
            assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of 100000 failed`);
        } finally {
            fast.close();
        }
        expectErr(await create(srv, a, scene('QR_LIMIT_STR_SCENE', { scene_str: 'one more' })), 45029);
        const old = await createOk(srv, a, scene('QR_LIMIT_SCENE', { scene_id: 777 }));
        assert.equal((await show(srv, old.ticket)).text, old.url);
        await createOk(srv, a, scene('QR_SCENE', { scene_id: 1 }));
        await createOk(srv, a, scene('QR_STR_SCENE', { scene_str: 'temporary ones are not counted' }));
        await createOk(srv, b, scene('QR_LIMIT_STR_SCENE', { scene_str: 'another account' }));
    });
});

describe('short keys and long2short', () => {
    const h = useServer({ testClock: true });

    const gen = (srv, a, body) => srv.post(`/cgi-bin/shorten/gen?access_token=${a.token}`, body);
    const fetchKey = (srv, a, key) => srv.post(`/cgi-bin/shorten/fetch?access_token=${a.token}`, { short_key: key });
    const shorturl = (srv, a, body) => srv.post(`/cgi-bin/shorturl?access_token=${a.token}`, body);

    async function genOk(srv, a, body) {
        const r = await gen(srv, a, body);
        assert.deepEqual([r.status, r.body.errcode, r.body.errmsg], [200, 0, 'ok'], r.text);
        assert.match(r.body.short_key, /^[0-9a-zA-Z]{15}$/);
        return r.body.short_key;
    }

    it('round-trips long data, unicode included, with its creation time and the seconds left', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const { now } = await srv.clock();
        const data = JSON.stringify({ page: '/pages/item?id=42&from=扫码', emoji: '🎉', quote: '"\\' });
        const key = await genOk(srv, a, { long_data: data, expire_seconds: 86400 });
        const r = await fetchKey(srv, a, key);
        assert.deepEqual([r.body.errcode, r.body.errmsg, r.body.long_data], [0, 'ok', data], r.text);
        assert.ok(Math.abs(r.body.create_time - now) <= 2, `create_time ${r.body.create_time} vs ${now}`);
        assert.ok(r.body.expire_seconds <= 86400 && r.body.expire_seconds >= 86398, r.text);
        const key2 = await genOk(srv, a, { long_data: data, expire_seconds: 86400 });
        assert.notEqual(key2, key, 'every gen is a new key');
    });

    it('keeps data 30 days when expire_seconds is absent, and takes exactly 4 KB', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const big = 'é'.repeat(2048); // 4096 bytes
        const key = await genOk(srv, a, { long_data: big });
        const r = await fetchKey(srv, a, key);
        assert.equal(r.body.long_data, big);
        assert.ok(r.body.expire_seconds > 2591990 && r.body.expire_seconds <= 2592000, r.text);
        await genOk(srv, a, { long_data: 'x', expire_seconds: 2592000 });
        await genOk(srv, a, { long_data: 'x', expire_seconds: '60' });
    });

    it('answers 9410010 for data over 4 KB, 9410011 for a bad lifetime, 47003 for no data', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        expectErr(await gen(srv, a, { long_data: 'x'.repeat(4097) }), 9410010);
        expectErr(await gen(srv, a, { long_data: 'é'.repeat(2048) + 'x' }), 9410010);
        expectErr(await gen(srv, a, { long_data: 'x', expire_seconds: 2592001 }), 9410011);
        expectErr(await gen(srv, a, { long_data: 'x', expire_seconds: -5 }), 9410011);
        expectErr(await gen(srv, a, { expire_seconds: 60 }), 47003);
        expectErr(await gen(srv, a, { long_data: '' }), 47003);
        expectErr(await gen(srv, a, { long_data: 42 }), 47001);
        expectErr(await gen(srv, a, { long_data: 'x', expire_seconds: 'tomorrow' }), 47001);
        expectErr(await gen(srv, a, ''), 44002);
        expectErr(await gen(srv, a, 'long_data=x'), 47001);
    });

    it("answers 9410012 for unknown keys and another account's keys", async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const b = await newAccount(srv);
        const key = await genOk(srv, a, { long_data: 'mine' });
        expectErr(await fetchKey(srv, b, key), 9410012);
        expectErr(await fetchKey(srv, a, 'iTqRJFSEqk9RvPk'), 9410012);
        expectErr(await fetchKey(srv, a, key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase()), 9410012);
        expectErr(await fetchKey(srv, a, 'x'.repeat(500)), 9410012);
        expectErr(await fetchKey(srv, a, ''), 47003);
        expectErr(await srv.post(`/cgi-bin/shorten/fetch?access_token=${a.token}`, {}), 47003);
        expectErr(await fetchKey(srv, a, 12345), 47001);
        assert.equal((await fetchKey(srv, a, key)).body.long_data, 'mine');
    });

    it('wants POST on both short-key paths and on shorturl', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        for (const p of ['/cgi-bin/shorten/gen', '/cgi-bin/shorten/fetch', '/cgi-bin/shorturl'])
            expectErr(await srv.get(`${p}?access_token=${a.token}`), 43002);
    });

    it('turns a long URL into a short one on this host, the same one for the same URL', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const b = await newAccount(srv);
        const long = 'http://wap.example.com/v2/showcase/goods?alias=128wi9shh&spm=h56083&redirect_count=1';
        const r = await shorturl(srv, a, { action: 'long2short', long_url: long });
        assert.deepEqual([r.status, r.body.errcode, r.body.errmsg], [200, 0, 'ok'], r.text);
        const u = new URL(r.body.short_url);
        assert.equal(u.origin, srv.url);
        assert.match(u.pathname, /^\/s\/[0-9A-Za-z]{7}$/);
        assert.equal((await shorturl(srv, a, { action: 'long2short', long_url: long })).body.short_url, r.body.short_url);
        const other = await shorturl(srv, b, { action: 'long2short', long_url: long });
        assert.notEqual(other.body.short_url, r.body.short_url, 'each account has its own');
        const pay = await shorturl(srv, a, { action: 'long2short', long_url: 'weixin://wxpay/bizpayurl?pr=abc123' });
        assert.equal(pay.body.errcode, 0, pay.text);
        const s2 = await shorturl(srv, a, { action: 'long2short', long_url: 'https://example.com/other' });
        assert.notEqual(s2.body.short_url, r.body.short_url);
    });

    it('refuses long2short without its action (40035) or with a bad URL (40066)', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        for (const body of [{ long_url: 'http://example.com' }, { action: 'short2long', long_url: 'http://example.com' }, { action: 1 }])
            expectErr(await shorturl(srv, a, body), 40035);
        for (const long_url of [undefined, '', 'ftp://example.com/x', 'example.com', 'http://', 'http://a b.com', 'http://x.com/' + 'a'.repeat(5000), 42])
            expectErr(await shorturl(srv, a, { action: 'long2short', long_url }), 40066);
        expectErr(await shorturl(srv, a, ''), 44002);
    });

    it('forgets keys when they expire', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const short = await genOk(srv, a, { long_data: 'brief', expire_seconds: 60 });
        const longer = await genOk(srv, a, { long_data: 'longer', expire_seconds: 7000 });
        await srv.advance(30);
        const mid = await fetchKey(srv, a, short);
        assert.equal(mid.body.long_data, 'brief');
        assert.ok(mid.body.expire_seconds <= 30 && mid.body.expire_seconds >= 28, mid.text);
        await srv.advance(30);
        expectErr(await fetchKey(srv, a, short), 9410012);
        assert.equal((await fetchKey(srv, a, longer)).body.long_data, 'longer');
        await srv.advance(7000);
        await retoken(srv, a);
        expectErr(await fetchKey(srv, a, longer), 9410012);
    });
});

describe('ticket/getticket', () => {
    const h = useServer({ testClock: true });

    const getticket = (srv, a, type) =>
        srv.get(`/cgi-bin/ticket/getticket?access_token=${a.token}${type === undefined ? '' : `&type=${type}`}`);

    async function ticketOk(srv, a, type) {
        const r = await getticket(srv, a, type);
        assert.deepEqual([r.status, r.body.errcode, r.body.errmsg], [200, 0, 'ok'], r.text);
        assert.match(r.body.ticket, /^[A-Za-z0-9_-]{86}$/);
        assert.ok(r.body.expires_in > 0 && r.body.expires_in <= 7200, r.text);
        return r.body;
    }

    // before the clock moves: a restart brings the clock back to real time
    it('keeps the ticket across a restart', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const t = await ticketOk(srv, a, 'jsapi');
        await srv.restart();
        assert.equal((await ticketOk(srv, a, 'jsapi')).ticket, t.ticket);
    });

    it('answers one jsapi ticket per account until it expires, then a new one', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const b = await newAccount(srv);
        const t1 = await ticketOk(srv, a, 'jsapi');
        assert.ok(t1.expires_in >= 7199, 'a full lifetime');
        const card = await ticketOk(srv, a, 'wx_card');
        assert.notEqual(card.ticket, t1.ticket, 'the card ticket is another ticket');
        const tb = await ticketOk(srv, b, 'jsapi');
        assert.notEqual(tb.ticket, t1.ticket, 'each account has its own');

        await srv.advance(7000);
        await retoken(srv, a);
        const same = await ticketOk(srv, a, 'jsapi');
        assert.equal(same.ticket, t1.ticket, 'not rotated on every call');
        assert.ok(same.expires_in <= 200, `the seconds left: ${same.expires_in}`);
        assert.equal((await ticketOk(srv, a, 'wx_card')).ticket, card.ticket);

        await srv.advance(200);
        await retoken(srv, a);
        const renewed = await ticketOk(srv, a, 'jsapi');
        assert.notEqual(renewed.ticket, t1.ticket, 'expired: a new ticket');
        assert.ok(renewed.expires_in >= 7199, 'a full lifetime');
        assert.equal((await ticketOk(srv, a, 'jsapi')).ticket, renewed.ticket);
        assert.notEqual((await ticketOk(srv, a, 'wx_card')).ticket, card.ticket);
    });

    it('gives concurrent first calls one ticket', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        const all = await Promise.all(Array.from({ length: 12 }, () => ticketOk(srv, a, 'jsapi')));
        assert.equal(new Set(all.map((t) => t.ticket)).size, 1);
    });

    it('answers 40097 for an unknown or missing type, 43001 for POST', async () => {
        const { srv } = h;
        const a = await newAccount(srv);
        for (const type of [undefined, '', 'JSAPI', 'card', 'jsapi%00', 'x'.repeat(100)])
            expectErr(await getticket(srv, a, type), 40097);
        expectErr(await srv.post(`/cgi-bin/ticket/getticket?access_token=${a.token}&type=jsapi`, ''), 43001);
        expectErr(await srv.get('/cgi-bin/ticket/getticket?type=jsapi'), 41001);
    });
});
