// Operations: /healthz and /metrics (Prometheus text format).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENGINE, isJsonType, useServer } from './lib/server.mjs';

/** parses Prometheus text: [{name, labels, value}], checking every line's shape */
function parseMetrics(text) {
    const samples = [];
    const typed = new Map();
    for (const line of text.split('\n')) {
        if (line === '')
            continue;
        let m;
        if ((m = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line))) {
            if (m[1] === 'TYPE')
                typed.set(m[2], m[3]);
            continue;
        }
        m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$/.exec(line);
        assert.ok(m, `not a Prometheus sample line: ${JSON.stringify(line)}`);
        const labels = {};
        if (m[3]) {
            const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
            let lm;
            let consumed = 0;
            while ((lm = re.exec(m[3]))) {
                labels[lm[1]] = lm[2];
                consumed = re.lastIndex;
            }
            assert.equal(consumed, m[3].length, `bad labels in ${line}`);
        }
        samples.push({ name: m[1], labels, value: Number(m[4]) });
    }
    return { samples, typed };
}

function sum(samples, name, pred = () => true) {
    return samples.filter((s) => s.name === name && pred(s.labels)).reduce((a, s) => a + s.value, 0);
}

describe('operations endpoints', () => {
    const h = useServer({ external: true });

    it('answers /healthz with {"status":"ok"} as JSON', async () => {
        const { srv } = h;
        const res = await srv.get('/healthz');
        assert.equal(res.status, 200);
        assert.ok(isJsonType(res.headers), res.headers.get('content-type'));
        assert.deepEqual(res.body, { status: 'ok' });
        assert.ok(res.headers.get('x-request-id'), 'answers carry a request id');
    });

    it('answers HEAD /healthz with headers only', async () => {
        const { srv } = h;
        const res = await srv.fetch('/healthz', { method: 'HEAD' });
        assert.equal(res.status, 200);
        assert.equal(await res.text(), '');
    });

    it('exposes request counts by route and status, a latency histogram, tokens issued and database time', async () => {
        const { srv } = h;
        const before = parseMetrics(await (await srv.fetch('/metrics')).text()).samples;
        const bad = new URLSearchParams({ grant_type: 'client_credential', appid: 'wx0000000000000000', secret: 'x' });
        for (let i = 0; i < 3; i++)
            await srv.get(`/cgi-bin/token?${bad}`);
        for (let i = 0; i < 2; i++)
            await srv.get('/definitely/not/here');
        let issued = 0;
        if (srv.operatorKey) {
            const a = await srv.createAccount();
            for (let i = 0; i < 2; i++)
                assert.ok((await srv.token(a.appid, a.secret)).access_token);
            issued = 2;
        }

        const res = await srv.fetch('/metrics');
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type'), /^text\/plain/);
        const text = await res.text();
        const { samples, typed } = parseMetrics(text);

        assert.equal(typed.get('lianjie_requests_total'), 'counter');
        assert.equal(typed.get('lianjie_request_duration_seconds'), 'histogram');
        assert.equal(typed.get('lianjie_tokens_issued_total'), 'counter');
        assert.equal(typed.get('lianjie_db_seconds_total'), 'counter');

        const tokenReqs = (s) => sum(s, 'lianjie_requests_total', (l) => l.route === '/cgi-bin/token' && l.status === '200');
        assert.ok(tokenReqs(samples) - tokenReqs(before) >= 3 + issued, 'token requests are counted under their route');
        const none = (s) => sum(s, 'lianjie_requests_total', (l) => l.status === '404');
        assert.ok(none(samples) - none(before) >= 2, '404s are counted');
        for (const s of samples.filter((x) => x.name === 'lianjie_requests_total')) {
            assert.ok('route' in s.labels && 'status' in s.labels, JSON.stringify(s));
            assert.ok(Number.isInteger(s.value) && s.value > 0);
        }

        const buckets = samples.filter((s) => s.name === 'lianjie_request_duration_seconds_bucket');
        assert.ok(buckets.length >= 2);
        assert.equal(buckets[buckets.length - 1].labels.le, '+Inf');
        for (let i = 1; i < buckets.length; i++) {
            assert.ok(buckets[i].value >= buckets[i - 1].value, 'buckets are cumulative');
            assert.ok(Number(buckets[i].labels.le) > Number(buckets[i - 1].labels.le) || buckets[i].labels.le === '+Inf');
        }
        const count = samples.find((s) => s.name === 'lianjie_request_duration_seconds_count');
        const total = samples.find((s) => s.name === 'lianjie_request_duration_seconds_sum');
        assert.ok(count && total);
        assert.equal(buckets[buckets.length - 1].value, count.value, '+Inf bucket equals _count');
        assert.ok(total.value >= 0);
        assert.ok(count.value >= sum(samples, 'lianjie_requests_total') - 1, 'every counted request has a duration');

        const issuedNow = sum(samples, 'lianjie_tokens_issued_total');
        assert.ok(issuedNow - sum(before, 'lianjie_tokens_issued_total') >= issued);
        const db = samples.filter((s) => s.name === 'lianjie_db_seconds_total');
        assert.ok(db.length >= 1);
        assert.ok(db.every((s) => s.value >= 0));
        if (issued)
            assert.ok(sum(samples, 'lianjie_db_seconds_total') > 0, 'issuing tokens takes database time');
    });

    it('counts a wrong method and an error answer under their route', async () => {
        const { srv } = h;
        const scrape = async () => parseMetrics(await (await srv.fetch('/metrics')).text()).samples;
        const before = await scrape();
        await srv.post('/cgi-bin/getcallbackip', '{}');
        await srv.get('/cgi-bin/getcallbackip');
        const after = await scrape();
        const n = (s) => sum(s, 'lianjie_requests_total', (l) => l.route === '/cgi-bin/getcallbackip');
        assert.equal(n(after) - n(before), 2);
    });

    it('labels every HTTP status it answers with its number, 409 included', async (t) => {
        const { srv } = h;
        if (!srv.operatorKey) {
            t.skip('needs the operator key');
            return;
        }
        const username = `metrics-${Date.now()}`;
        assert.equal((await srv.op('POST', '/admin/v1/users', { username })).status, 200);
        const dup = await srv.op('POST', '/admin/v1/users', { username });
        assert.equal(dup.status, 409);
        const { samples } = parseMetrics(await (await srv.fetch('/metrics')).text());
        const users = samples.filter((s) => s.name === 'lianjie_requests_total' && s.labels.route === '/admin/v1/users');
        assert.ok(
            users.some((s) => s.labels.status === '409' && s.value >= 1),
            `want a status="409" series for /admin/v1/users, have ${JSON.stringify(users.map((s) => s.labels))}`,
        );
    });
});

describe('stopped and continued', () => {
    const h = useServer({ threads: 2 });

    it('every event loop answers again after SIGSTOP and SIGCONT under load', async () => {
        const { srv } = h;
        // fresh connections each time, so that both loops (SO_REUSEPORT) get some
        const probe = () => fetch(`${srv.url}/healthz`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(3000) })
            .then((r) => r.status).catch((e) => String(e.name));
        let stop = false;
        const load = (async () => {
            while (!stop)
                await probe();
        })();
        await new Promise((r) => setTimeout(r, 200));
        for (let i = 0; i < 3; i++) {
            process.kill(srv.pid, 'SIGSTOP');
            await new Promise((r) => setTimeout(r, 100));
            process.kill(srv.pid, 'SIGCONT');
            await new Promise((r) => setTimeout(r, 100));
        }
        stop = true;
        await load;
        const answers = await Promise.all(Array.from({ length: 40 }, probe));
        assert.deepEqual([...new Set(answers)], [200], 'no loop stopped answering');
    });
});

describe('durability setting in /metrics', () => {
    const full = useServer({});
    const normal = useServer({ sync: 'normal' });

    it('syncs every commit to disk by default, and only writes it with --sync normal (SQLite)', async () => {
        const info = async (srv) => parseMetrics(await (await srv.fetch('/metrics')).text())
            .samples.filter((x) => x.name === 'lianjie_db_info').map((x) => x.labels);
        const engine = ENGINE === 'postgres' ? 'postgresql' : 'sqlite';
        assert.deepEqual(await info(full.srv), [{ engine, commit: 'synced' }]);
        // PostgreSQL always commits durably; --sync is SQLite's
        assert.deepEqual(await info(normal.srv), [{ engine, commit: ENGINE === 'postgres' ? 'synced' : 'written' }]);
    });
});
