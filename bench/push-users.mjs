// Users for bench/push: creates N users over the operator API, signs each in (client API,
// bearer session) and has them follow every APPID; writes one session per line to OUT.
//   node bench/push-users.mjs URL OPERATOR_KEY N OUT APPID...
import { writeFileSync } from 'node:fs';
import { client, pool, must } from './lib/http.mjs';

const [url, key, nStr, out, ...appids] = process.argv.slice(2);
const c = client(url, 16);
const op = { authorization: `Bearer ${key}` };
const tag = `p${process.pid}${Date.now().toString(36)}`;
const t0 = Date.now();
const sessions = await pool([...Array(Number(nStr)).keys()], 16, async (i) => {
    const username = `${tag}u${i}`;
    must(await c.post('/admin/v1/users', { username, password: 'bench-pw-1' }, op), 'create user');
    const s = must(await c.post('/client/v1/login', { username, password: 'bench-pw-1' }), 'login');
    const auth = { authorization: `Bearer ${s.session}` };
    for (const appid of appids) must(await c.post('/client/v1/follow', { appid }, auth), 'follow');
    return s.session;
});
writeFileSync(out, sessions.join('\n') + '\n');
c.close();
console.error(`${sessions.length} users signed in, following ${appids.length} accounts, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
