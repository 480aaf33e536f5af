// Sign-in under attack: passwords are checked off the writer (a wrong one costs the writer
// nothing), failures are limited per username and per client address (429, a minute), and an
// unknown username takes as long as a known one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useServer } from './lib/server.mjs';
import { newUser, postForm } from './lib/oauth.mjs';

const login = (srv, username, password) => srv.post('/client/v1/login', { username, password });

async function metric(srv, name) {
    const text = await (await srv.fetch('/metrics')).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return Number(line.split(' ')[1]);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** moves the test clock to the start of a minute: the limits count failures per clock minute,
 * and a test's attempts then all fall in one */
async function freshMinute(srv) {
    const { now } = await srv.clock();
    await srv.advance(60 - (now % 60));
}

describe('sign-in limits and costs', () => {
    const h = useServer({ testClock: true });

    it('refuses a username after 10 failures in a minute with 429, also with the right password, until the minute is over', async () => {
        const { srv } = h;
        await freshMinute(srv);
        const u = await newUser(srv, 'lim');
        const other = await newUser(srv, 'oth');
        for (let i = 0; i < 10; i++) {
            const r = await login(srv, u.username, 'wrong');
            assert.equal(r.status, 401, r.text);
        }
        const r = await login(srv, u.username, u.password);
        assert.equal(r.status, 429, r.text);
        assert.equal(r.body.errcode, 429);
        assert.match(r.body.errmsg, /too many sign-in attempts/);
        assert.equal((await login(srv, other.username, other.password)).status, 200, 'another user signs in');
        const page = await postForm(srv, '/app/login', { username: u.username, password: u.password, next: '/app/' });
        assert.match(page.text, /Too many attempts/, 'the sign-in page says so');
        await srv.advance(61);
        const ok = await login(srv, u.username, u.password);
        assert.equal(ok.status, 200, ok.text);
        assert.ok(ok.body.session);
    });

    it('refuses a client address after 30 failures in a minute, whatever the usernames', async () => {
        const { srv } = h;
        await freshMinute(srv);
        const u = await newUser(srv, 'ip');
        for (let i = 0; i < 30; i++)
            assert.equal((await login(srv, `nobody${i}`, 'x')).status, 401);
        const r = await login(srv, u.username, u.password);
        assert.equal(r.status, 429, r.text);
        await srv.advance(61);
        assert.equal((await login(srv, u.username, u.password)).status, 200);
    });

    it('checks passwords off the writer: wrong ones make no write', async () => {
        const { srv } = h;
        await freshMinute(srv);
        const users = [await newUser(srv, 'wa'), await newUser(srv, 'wb'), await newUser(srv, 'wc')];
        const jobs0 = await metric(srv, 'lianjie_db_write_jobs_total');
        const answers = await Promise.all(users.flatMap((u) => Array.from({ length: 8 }, () => login(srv, u.username, 'wrong'))));
        assert.deepEqual([...new Set(answers.map((a) => a.status))], [401]);
        const jobs1 = await metric(srv, 'lianjie_db_write_jobs_total');
        // 24 wrong passwords; the server's own background jobs (a ticket push a second) are
        // all the writer ran meanwhile
        assert.ok(jobs1 - jobs0 < 8, `${jobs1 - jobs0} writer jobs ran for 24 wrong passwords`);
        assert.equal((await login(srv, users[0].username, users[0].password)).status, 200);
    });

    it('takes as long for an unknown username as for a known one, and answers the same', async () => {
        const { srv } = h;
        await freshMinute(srv);
        const u = await newUser(srv, 'tm');
        const time = async (name) => {
            const t0 = process.hrtime.bigint();
            const r = await login(srv, name, 'wrong-password');
            return { ms: Number(process.hrtime.bigint() - t0) / 1e6, r };
        };
        const known = [];
        const unknown = [];
        for (let i = 0; i < 7; i++) { // under the limits: 7 failures each, 14 from this address
            known.push(await time(u.username));
            unknown.push(await time(`no-such-user-${i}`));
        }
        assert.deepEqual(known[0].r.body, unknown[0].r.body);
        assert.equal(known[0].r.status, unknown[0].r.status);
        const k = median(known.map((x) => x.ms));
        const n = median(unknown.map((x) => x.ms));
        // both run one PBKDF2 of the same cost (milliseconds); a lookup alone would be ~0.1 ms
        assert.ok(n > k / 3 && n < k * 3, `known ${k.toFixed(2)} ms, unknown ${n.toFixed(2)} ms`);
    });
});
