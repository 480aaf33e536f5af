// One mass send of bench/mass: POST /cgi-bin/message/mass/sendall (text, is_to_all) and then
// every sampled follower reads their chat (GET /client/v1/messages, WIDTH at a time) until it
// shows this send's text (re-read every 20 ms, for at most 30 s). The server's peak RSS is
// reset (/proc/PID/clear_refs, 5) just before the send and read (VmHWM) when the call has
// returned and again after the reads.
//   node bench/mass-send.mjs URL ACCESS_TOKEN APPID SESSIONS_FILE PID CONTENT [WIDTH]
// Prints one line: send_ms visible_ms read_p50_ms read_p99_ms first_read_seen seen readers
//   rss_before_kb hwm_send_kb hwm_reads_kb msg_id anon_send_kb file_send_kb anon_reads_kb
//   file_reads_kb (RssAnon: the process's own memory; RssFile: mapped files, mostly the
//   database, which SQLite reads through mmap)
import { readFileSync, writeFileSync } from 'node:fs';
import { client, pool, pct, must } from './lib/http.mjs';

const [url, token, appid, sessionsFile, pid, content, widthStr = '32'] = process.argv.slice(2);
const sessions = readFileSync(sessionsFile, 'utf8').trim().split('\n');
const c = client(url, Number(widthStr) + 1);
const vm = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const ms = (a, b) => Number(b - a) / 1e6;
const sleep = (t) => new Promise((r) => setTimeout(r, t));

const rssBefore = vm('VmRSS');
writeFileSync(`/proc/${pid}/clear_refs`, '5');
const t0 = process.hrtime.bigint();
const sent = must(await c.post(`/cgi-bin/message/mass/sendall?access_token=${token}`,
    { filter: { is_to_all: true }, msgtype: 'text', text: { content } }), 'sendall');
const t1 = process.hrtime.bigint();
const hwmSend = vm('VmHWM'), anonSend = vm('RssAnon'), fileSend = vm('RssFile');

const reads = [];
let firstSeen = 0, seen = 0, last = t1;
const shows = (body) => (body.messages || []).some((m) => m.from === 'account' && m.body?.content === content);
await pool(sessions, Number(widthStr), async (s, i) => {
    const auth = { authorization: `Bearer ${s}` };
    const deadline = Date.now() + 30000;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
        const a = process.hrtime.bigint();
        const r = must(await c.get(`/client/v1/messages?appid=${appid}&after=0`, auth), 'messages');
        const b = process.hrtime.bigint();
        reads.push(ms(a, b));
        if (shows(r)) {
            seen++;
            if (attempt === 0) firstSeen++;
            if (b > last) last = b;
            return;
        }
        await sleep(20);
    }
});
const hwmReads = vm('VmHWM'), anonReads = vm('RssAnon'), fileReads = vm('RssFile');
reads.sort((a, b) => a - b);
console.log([ms(t0, t1).toFixed(1), seen === sessions.length ? ms(t0, last).toFixed(1) : 'nan',
    pct(reads, 50).toFixed(2), pct(reads, 99).toFixed(2), firstSeen, seen, sessions.length,
    rssBefore, hwmSend, hwmReads, sent.msg_id, anonSend, fileSend, anonReads, fileReads].join(' '));
c.close();
