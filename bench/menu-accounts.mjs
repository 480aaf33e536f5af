// Accounts for the menu phase of bench/token-api: creates N service accounts over the operator
// API and issues an access token for each, WIDTH requests at a time; writes one token per line
// to OUT (in creation order).
//   node bench/menu-accounts.mjs URL OPERATOR_KEY N OUT [WIDTH]
import { writeFileSync } from 'node:fs';
import { client, pool, must } from './lib/http.mjs';

const [url, key, nStr, out, widthStr] = process.argv.slice(2);
const width = Number(widthStr || 32);
const c = client(url, width);
const op = { authorization: `Bearer ${key}` };
const t0 = Date.now();
const tokens = await pool([...Array(Number(nStr)).keys()], width, async (i) => {
    const a = must(await c.post('/admin/v1/accounts', { name: `menu bench ${i}` }, op), 'create account');
    const { appid, secret } = a.account;
    const q = `grant_type=client_credential&appid=${appid}&secret=${secret}`;
    const t = must(await c.get(`/cgi-bin/token?${q}`), 'token');
    if (!t.access_token) throw new Error(`token for ${appid}: ${JSON.stringify(t)}`);
    return t.access_token;
});
writeFileSync(out, tokens.join('\n') + '\n');
c.close();
console.error(`${tokens.length} accounts created, one token each, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
