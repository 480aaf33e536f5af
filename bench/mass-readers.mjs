// Sessions for bench/mass: gives each sampled seeded user a password (operator API) and signs
// them in (client API); writes one bearer session per line to OUT.
//   node bench/mass-readers.mjs URL OPERATOR_KEY IDS_FILE OUT      (IDS_FILE: "id username" lines)
import { readFileSync, writeFileSync } from 'node:fs';
import { client, pool, must } from './lib/http.mjs';

const [url, key, idsFile, out] = process.argv.slice(2);
const users = readFileSync(idsFile, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/));
const c = client(url, 16);
const op = { authorization: `Bearer ${key}` };
const t0 = Date.now();
const sessions = await pool(users, 16, async ([id, username]) => {
    must(await c.post('/admin/v1/users/password', { user_id: Number(id), password: 'bench-pw-1' }, op), 'password');
    return must(await c.post('/client/v1/login', { username, password: 'bench-pw-1' }), 'login').session;
});
writeFileSync(out, sessions.join('\n') + '\n');
c.close();
console.error(`${sessions.length} sampled followers signed in in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
