// Fixture for the end-to-end tests: starts a lianjie binary on a fresh data directory and
// port 0, and always stops it again.
//
//   const srv = await startServer({ demo: true, testClock: true });
//   await srv.get('/healthz');
//   await srv.stop();
//
// Environment:
//   LIANJIE_BIN           the binary (default /work/main/build/asan/lianjie)
//   LIANJIE_URL           run the tests that allow it (startServer({ external: true })) against
//                         this already running server instead of starting one
//   LIANJIE_OPERATOR_KEY  the operator key of that server; without it the files that need the
//                         operator API start their own server, and ops skips its one such test
//   LIANJIE_KEEP_DATA=1   keep the temporary data directories
//   LIANJIE_PG            a PostgreSQL server's base URL (postgres://USER@HOST:PORT): every
//                         server then runs on a fresh database of its own there (--db), its
//                         data directory keeping only media files
//   LIANJIE_SERVER_LOG    a file every server's stderr is appended to when it stops
//   LIANJIE_DETECT_LEAKS=0  no LeakSanitizer check at exit (on by default for the server and
//                         the CLI; lib/lsan.supp hides h2o's event-loop allocations, never
//                         freed because the loops never stop)
//
// Sanitizers: the stderr of the server and of every CLI run is scanned for ASan, LSan and
// UBSan reports; assertClean() (run it in afterEach) and stop() throw when one appears or
// when the process died.
import { spawn, execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { after, afterEach, before } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = process.env.LIANJIE_BIN || '/work/main/build/asan/lianjie';
export const EXTERNAL_URL = process.env.LIANJIE_URL || '';
export const PG_BASE = (process.env.LIANJIE_PG || '').replace(/\/+$/, '');
/** the engine the servers of this run use */
export const ENGINE = PG_BASE ? 'postgres' : 'sqlite';

/** runs SQL on the PostgreSQL server of LIANJIE_PG (or `base`), database `db`; psql's stdout */
export function psql(db, sql, base = PG_BASE) {
    const u = new URL(base);
    const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', u.hostname, '-p', u.port || '5432',
        '-U', decodeURIComponent(u.username || 'postgres'), '-d', db, '-c', sql];
    return new Promise((resolve, reject) => {
        execFile('psql', args, { timeout: 30000 }, (err, stdout, stderr) =>
            err ? reject(new Error(`psql: ${stderr || err.message}`)) : resolve(stdout));
    });
}

/** a new, empty database on LIANJIE_PG (or `base`); answers its name and URL */
export async function newDatabase(base = PG_BASE) {
    const name = `lj_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await psql('postgres', `CREATE DATABASE ${name}`, base);
    return { name, url: `${base}/${name}` };
}

const SANITIZER_RE =
    /runtime error|AddressSanitizer|LeakSanitizer|ThreadSanitizer|MemorySanitizer|UndefinedBehaviorSanitizer/;
const LSAN_SUPP = fileURLToPath(new URL('./lsan.supp', import.meta.url));
const START_TIMEOUT_MS = 30000;
const STOP_TIMEOUT_MS = 15000;

// every child still running is killed when this test process ends, however it ends
const live = new Set();
function killAll() {
    for (const child of live) {
        try {
            child.kill('SIGKILL');
        } catch {
            /* already gone */
        }
    }
    live.clear();
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
        killAll();
        process.exit(128 + (os.constants.signals[sig] || 1));
    });
}

function sanitizerEnv() {
    const env = { ...process.env };
    const leaks = process.env.LIANJIE_DETECT_LEAKS === '0' ? 0 : 1;
    if (leaks && !/suppressions=/.test(process.env.LSAN_OPTIONS || ''))
        env.LSAN_OPTIONS = [`suppressions=${LSAN_SUPP}`, process.env.LSAN_OPTIONS || ''].filter(Boolean).join(':');
    env.ASAN_OPTIONS = [
        `detect_leaks=${leaks}`,
        'abort_on_error=0',
        'print_summary=1',
        process.env.ASAN_OPTIONS || '',
    ]
        .filter(Boolean)
        .join(':');
    env.UBSAN_OPTIONS = ['print_stacktrace=1', process.env.UBSAN_OPTIONS || '']
        .filter(Boolean)
        .join(':');
    return env;
}

/** the part of a text around the first sanitizer report, or '' */
export function sanitizerReport(text) {
    const m = SANITIZER_RE.exec(text);
    if (!m)
        return '';
    const from = Math.max(0, text.lastIndexOf('\n', Math.max(0, m.index - 200)));
    return text.slice(from, from + 4000);
}

/** parses the banner printed before the listening line */
export function parseBanner(text) {
    const out = { operatorKey: '', openAccounts: [], accounts: [], users: [] };
    for (const line of text.split('\n')) {
        let m;
        if ((m = /^\s*operator key ([0-9a-f]{64})\s*$/.exec(line))) {
            out.operatorKey = m[1];
        } else if ((m = /^\s*open platform\s+(.+?)\s+appid (wx[0-9a-f]{16})\s*$/.exec(line))) {
            out.openAccounts.push({ name: m[1], appid: m[2] });
        } else if (
            (m =
                /^\s*(service|subscription)\s+(.+?)\s+appid (wx[0-9a-f]{16})\s+secret ([0-9a-f]{32})\s+\((verified|unverified)(, open platform)?\)/.exec(
                    line,
                ))
        ) {
            out.accounts.push({
                type: m[1],
                name: m[2],
                appid: m[3],
                secret: m[4],
                verified: m[5] === 'verified',
                open: !!m[6],
            });
        } else if ((m = /^\s*user #(\d+) (\S+)\s+password (\S+)\s*$/.exec(line))) {
            out.users.push({ id: Number(m[1]), username: m[2], password: m[3] });
        }
    }
    return out;
}

/** shared HTTP helpers over a base URL */
class Client {
    constructor() {
        this.url = '';
        this.operatorKey = '';
    }

    /** fetch(url + path) */
    fetch(p, init = {}) {
        return fetch(this.url + p, { redirect: 'manual', ...init });
    }

    /**
     * One request; returns {status, headers, text, body} where body is the parsed JSON
     * (undefined when the answer is not JSON). `body` in opts: objects are sent as JSON,
     * strings and buffers as they are.
     */
    async request(method, p, opts = {}) {
        const headers = { ...(opts.headers || {}) };
        let body = opts.body;
        if (body !== undefined && typeof body === 'object' && !(body instanceof Uint8Array)) {
            body = JSON.stringify(body);
            if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
                headers['content-type'] = 'application/json';
        }
        const res = await this.fetch(p, { method, headers, body });
        const text = await res.text();
        let parsed;
        try {
            parsed = JSON.parse(text);
        } catch {
            parsed = undefined;
        }
        return { status: res.status, headers: res.headers, text, body: parsed };
    }

    get(p, opts) {
        return this.request('GET', p, opts);
    }

    post(p, body, opts = {}) {
        return this.request('POST', p, { ...opts, body });
    }

    /** operator API call with the operator key */
    op(method, p, body, headers = {}) {
        return this.request(method, p, {
            body,
            headers: { authorization: `Bearer ${this.operatorKey}`, ...headers },
        });
    }

    /** creates an official account over the operator API; returns the account object */
    async createAccount(fields = {}) {
        const r = await this.op('POST', '/admin/v1/accounts', {
            name: `acct-${Math.random().toString(36).slice(2, 10)}`,
            ...fields,
        });
        if (r.status !== 200 || !r.body || r.body.errcode !== 0)
            throw new Error(`account create failed: ${r.status} ${r.text}`);
        return r.body.account;
    }

    /** GET /cgi-bin/token for appid/secret; returns the parsed answer */
    async token(appid, secret) {
        const q = new URLSearchParams({ grant_type: 'client_credential', appid, secret });
        return (await this.get(`/cgi-bin/token?${q}`)).body;
    }

    /** POST /cgi-bin/stable_token; returns the parsed answer */
    async stableToken(appid, secret, forceRefresh = false) {
        return (
            await this.post('/cgi-bin/stable_token', {
                grant_type: 'client_credential',
                appid,
                secret,
                force_refresh: forceRefresh,
            })
        ).body;
    }

    /** GET /cgi-bin/getcallbackip with a token; returns the parsed answer */
    async callbackIp(token) {
        return (await this.get(`/cgi-bin/getcallbackip?access_token=${encodeURIComponent(token)}`))
            .body;
    }

    /** GET /admin/v1/clock -> {now, offset} (needs --test-clock) */
    async clock() {
        const r = await this.op('GET', '/admin/v1/clock');
        if (r.status !== 200)
            throw new Error(`clock: ${r.status} ${r.text}`);
        return r.body;
    }

    /** moves the server clock forward (needs --test-clock) */
    async advance(seconds) {
        const r = await this.op('POST', '/admin/v1/clock', { advance: seconds });
        if (r.status !== 200 || r.body.errcode !== 0)
            throw new Error(`clock advance: ${r.status} ${r.text}`);
        return r.body;
    }

    /** GET /healthz answers {"status":"ok"} */
    async healthy() {
        try {
            const r = await this.get('/healthz');
            return r.status === 200 && r.body && r.body.status === 'ok';
        } catch {
            return false;
        }
    }
}

export class Server extends Client {
    constructor(opts = {}) {
        super();
        this.opts = opts;
        this.bin = opts.bin || BIN;
        this.dataDir = opts.dataDir || mkdtempSync(path.join(os.tmpdir(), 'lianjie-e2e-'));
        this.ownsDataDir = !opts.dataDir;
        // on PostgreSQL: a database of its own (opts.db shares one, as nodes of one platform do)
        this.db = opts.db || '';
        this.child = null;
        this.exited = null; // {code, signal} once the process ended
        this.stdout = '';
        this.stderr = ''; // of every run of this server, in order
        this.banner = null;
        this.port = 0;
        this.runs = 0;
    }

    args() {
        const a = ['serve', '--data', this.dataDir, '--listen', '127.0.0.1:0'];
        if (this.db)
            a.push('--db', this.db);
        if (this.opts.demo)
            a.push('--demo');
        if (this.opts.testClock)
            a.push('--test-clock');
        if (this.opts.threads)
            a.push('--threads', String(this.opts.threads));
        if (this.opts.pushLease)
            a.push('--push-lease', String(this.opts.pushLease));
        if (this.opts.sync)
            a.push('--sync', this.opts.sync);
        if (this.opts.noSignup)
            a.push('--no-signup');
        a.push('--log-level', this.opts.logLevel || 'warn');
        return a;
    }

    /** starts the process and waits for its listening line */
    async start() {
        if (this.child && !this.exited)
            throw new Error('server already running');
        if (!this.db && PG_BASE && !this.opts.sqlite)
            this.db = (await newDatabase()).url;
        this.runs++;
        this.stdout = '';
        this.exited = null;
        const child = spawn(this.bin, this.args(), {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: sanitizerEnv(),
        });
        this.child = child;
        live.add(child);
        const exitedP = new Promise((resolve) => {
            child.on('exit', (code, signal) => {
                this.exited = { code, signal };
                live.delete(child);
                resolve(this.exited);
            });
        });
        this.exitedP = exitedP;
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (d) => {
            this.stderr += d;
        });
        child.stdout.setEncoding('utf8');
        await new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                cleanup();
                child.kill('SIGKILL');
                reject(new Error(`server did not start in ${START_TIMEOUT_MS} ms:\n${this.stdout}\n${this.stderr}`));
            }, START_TIMEOUT_MS);
            const onData = (d) => {
                this.stdout += d;
                const m = /lianjie listening on (http:\/\/[^\s]+) \((\d+) loops?\)/.exec(this.stdout);
                if (m) {
                    cleanup();
                    this.url = m[1];
                    this.port = Number(new URL(m[1]).port);
                    this.loops = Number(m[2]);
                    resolve();
                }
            };
            const onExit = (code, signal) => {
                cleanup();
                reject(
                    new Error(
                        `server exited before listening (code ${code}, signal ${signal}):\n${this.stdout}\n${this.stderr}`,
                    ),
                );
            };
            const cleanup = () => {
                clearTimeout(timer);
                child.stdout.off('data', onData);
                child.off('exit', onExit);
            };
            child.stdout.on('data', onData);
            child.on('exit', onExit);
        });
        // keep draining stdout
        child.stdout.on('data', (d) => {
            this.stdout += d;
        });
        this.banner = parseBanner(this.stdout);
        if (this.banner.operatorKey)
            this.operatorKey = this.banner.operatorKey;
        else
            this.operatorKey = (await this.admin('operator-key')).stdout.trim();
        return this;
    }

    get pid() {
        return this.child ? this.child.pid : 0;
    }

    /** true while the process runs */
    running() {
        return !!this.child && !this.exited;
    }

    /**
     * Throws when a sanitizer report is in the server's stderr. Each report fails one check
     * only (the next test is not blamed for it); `all` looks at the whole stderr again.
     */
    checkSanitizers(all = false) {
        const from = all ? 0 : this.checkedUpTo || 0;
        const text = this.stderr.slice(from);
        this.checkedUpTo = this.stderr.length;
        const rep = sanitizerReport(text);
        if (rep)
            throw new Error(`sanitizer report in the server's stderr (data ${this.dataDir} kept):\n${rep}`);
    }

    /**
     * Throws if the server died, printed a sanitizer report, or does not answer /healthz.
     * Use in afterEach and after every batch of hostile requests.
     */
    async assertClean(what = '') {
        // give a crashing process a moment to finish writing its report
        if (!this.running() || SANITIZER_RE.test(this.stderr.slice(this.checkedUpTo || 0)))
            await new Promise((r) => setTimeout(r, 200));
        this.checkSanitizers();
        if (!this.running())
            throw new Error(
                `server is not running${what ? ` after ${what}` : ''} (exit ${JSON.stringify(this.exited)}):\n${this.stderr.slice(-4000)}`,
            );
        if (!(await this.healthy())) {
            await new Promise((r) => setTimeout(r, 200));
            this.checkSanitizers();
            throw new Error(`/healthz does not answer ok${what ? ` after ${what}` : ''}`);
        }
    }

    async waitExit(ms) {
        if (!this.child || this.exited)
            return this.exited;
        let timer;
        const t = new Promise((resolve) => {
            timer = setTimeout(() => resolve(null), ms);
        });
        const r = await Promise.race([this.exitedP, t]);
        clearTimeout(timer);
        return r;
    }

    /** SIGTERM, wait for the exit; throws on a sanitizer report or an unclean exit */
    async terminate() {
        if (!this.running())
            return this.exited;
        this.child.kill('SIGTERM');
        const r = await this.waitExit(STOP_TIMEOUT_MS);
        if (!r) {
            this.child.kill('SIGKILL');
            await this.waitExit(STOP_TIMEOUT_MS);
            throw new Error(`server did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM`);
        }
        this.checkSanitizers();
        if (r.code !== 0)
            throw new Error(`server exited with ${JSON.stringify(r)} on SIGTERM:\n${this.stderr.slice(-4000)}`);
        return r;
    }

    /** kill -9 and wait for the process to go */
    async kill9() {
        if (!this.running())
            return this.exited;
        this.child.kill('SIGKILL');
        return this.waitExit(STOP_TIMEOUT_MS);
    }

    /** stops (SIGTERM) and starts again on the same data directory; the URL may change */
    async restart() {
        await this.terminate();
        return this.start();
    }

    /** stops the server for good and removes its data directory */
    async stop() {
        try {
            if (this.running())
                await this.terminate();
            this.checkSanitizers(true);
        } finally {
            if (this.running())
                this.child.kill('SIGKILL');
            if (process.env.LIANJIE_SERVER_LOG)
                appendFileSync(process.env.LIANJIE_SERVER_LOG, this.stderr);
            if (this.ownsDataDir && process.env.LIANJIE_KEEP_DATA !== '1' && !SANITIZER_RE.test(this.stderr))
                rmSync(this.dataDir, { recursive: true, force: true });
        }
    }

    /**
     * Runs `lianjie admin --data DIR ...args`; returns {code, stdout, stderr, json} where json
     * is the list of JSON objects printed one a line. Throws on a sanitizer report.
     */
    admin(...args) {
        return runAdmin(this.bin, this.dataDir, this.db ? ['--db', this.db, ...args] : args);
    }
}

export function runAdmin(bin, dataDir, args) {
    return new Promise((resolve, reject) => {
        execFile(
            bin,
            ['admin', '--data', dataDir, ...args],
            { env: sanitizerEnv(), timeout: 30000, maxBuffer: 16 << 20 },
            (err, stdout, stderr) => {
                const rep = sanitizerReport(stderr);
                if (rep) {
                    reject(new Error(`sanitizer report from lianjie admin ${args.join(' ')}:\n${rep}`));
                    return;
                }
                const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
                const json = [];
                for (const line of stdout.split('\n')) {
                    if (!line.trim())
                        continue;
                    try {
                        json.push(JSON.parse(line));
                    } catch {
                        /* not JSON */
                    }
                }
                resolve({ code, stdout, stderr, json });
            },
        );
    });
}

/** a server the tests did not start (LIANJIE_URL) */
export class ExternalServer extends Client {
    constructor(url) {
        super();
        this.url = url.replace(/\/+$/, '');
        this.operatorKey = process.env.LIANJIE_OPERATOR_KEY || '';
        this.external = true;
        this.dataDir = '';
        this.stderr = '';
        this.banner = { operatorKey: this.operatorKey, openAccounts: [], accounts: [], users: [] };
        const u = new URL(this.url);
        this.port = Number(u.port || 80);
    }
    running() {
        return true;
    }
    async assertClean(what = '') {
        if (!(await this.healthy()))
            throw new Error(`/healthz does not answer ok${what ? ` after ${what}` : ''}`);
    }
    async stop() {}
    checkSanitizers() {}
    async kill9() {
        throw new Error('kill9 is not available against LIANJIE_URL');
    }
    async restart() {
        throw new Error('restart is not available against LIANJIE_URL');
    }
    async admin() {
        throw new Error('the admin CLI is not available against LIANJIE_URL');
    }
}

/**
 * Starts a server: opts {demo, testClock, threads, logLevel, dataDir, external}. With
 * external: true and LIANJIE_URL set, answers a handle on that server instead (tests that
 * need the process, the data directory, --demo or --test-clock must not pass external).
 */
export async function startServer(opts = {}) {
    if (opts.external && EXTERNAL_URL)
        return new ExternalServer(EXTERNAL_URL);
    const srv = new Server(opts);
    try {
        await srv.start();
    } catch (e) {
        await srv.stop().catch(() => {});
        throw e;
    }
    return srv;
}

/**
 * Raw HTTP/1.1 over one TCP connection: send(bytes) and read whole responses (Content-Length
 * framing). For keep-alive, pipelining and malformed requests fetch cannot send.
 */
export class RawConn {
    constructor(port, host = '127.0.0.1') {
        this.port = port;
        this.host = host;
        this.buf = Buffer.alloc(0);
        this.closed = false;
        this.error = null;
        this.waiters = [];
    }

    connect() {
        return new Promise((resolve, reject) => {
            this.sock = net.connect(this.port, this.host, () => resolve(this));
            this.sock.once('error', reject);
            this.sock.on('error', (e) => {
                this.error = e;
                this.wake();
            });
            this.sock.on('data', (d) => {
                this.buf = Buffer.concat([this.buf, d]);
                this.wake();
            });
            this.sock.on('close', () => {
                this.closed = true;
                this.wake();
            });
        });
    }

    wake() {
        const w = this.waiters;
        this.waiters = [];
        for (const f of w)
            f();
    }

    send(data) {
        return new Promise((resolve) => {
            if (this.closed) {
                resolve(false);
                return;
            }
            this.sock.write(data, (err) => resolve(!err));
        });
    }

    /** waits until some bytes arrived or the connection closed, at most ms; true if bytes */
    async waitData(ms) {
        const deadline = Date.now() + ms;
        while (this.buf.length === 0 && !this.closed && Date.now() < deadline) {
            await new Promise((resolve) => {
                const t = setTimeout(resolve, deadline - Date.now());
                this.waiters.push(() => {
                    clearTimeout(t);
                    resolve();
                });
            });
        }
        return this.buf.length > 0;
    }

    /** resolves with the next complete response {status, reason, headers, body}, or null on close */
    async read(timeoutMs = 10000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const r = this.parseOne();
            if (r)
                return r;
            if (this.closed)
                return null;
            const left = deadline - Date.now();
            if (left <= 0)
                throw new Error(`no complete response within ${timeoutMs} ms; have: ${this.buf.toString('latin1').slice(0, 300)}`);
            await new Promise((resolve) => {
                const t = setTimeout(resolve, left);
                this.waiters.push(() => {
                    clearTimeout(t);
                    resolve();
                });
            });
        }
    }

    parseOne() {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0)
            return null;
        const head = this.buf.subarray(0, end).toString('latin1').split('\r\n');
        const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(head[0]);
        if (!m)
            throw new Error(`bad status line: ${head[0]}`);
        const headers = {};
        for (const line of head.slice(1)) {
            const i = line.indexOf(':');
            headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
        }
        let len = headers['content-length'] !== undefined ? Number(headers['content-length']) : -1;
        if (len < 0) {
            if (!this.closed)
                return null; // read to close
            len = this.buf.length - end - 4;
        }
        if (this.buf.length < end + 4 + len)
            return null;
        const body = this.buf.subarray(end + 4, end + 4 + len).toString('utf8');
        this.buf = this.buf.subarray(end + 4 + len);
        let json;
        try {
            json = JSON.parse(body);
        } catch {
            json = undefined;
        }
        return { status: Number(m[1]), reason: m[2], headers, text: body, body: json };
    }

    close() {
        if (this.sock)
            this.sock.destroy();
    }
}

/** one raw request on a fresh connection; returns the response (or null if the server closed) */
export async function rawRequest(port, data, timeoutMs = 10000) {
    const c = await new RawConn(port).connect();
    try {
        await c.send(data);
        return await c.read(timeoutMs);
    } finally {
        c.close();
    }
}


/**
 * Registers before/afterEach/after hooks in the current describe(): starts a server before
 * the tests, checks after every test that it is alive, clean of sanitizer reports and
 * answering /healthz, and stops it at the end whatever happened. Returns a holder whose
 * .srv is the server once started.
 */
export function useServer(opts = {}) {
    const holder = { srv: null };
    before(async () => {
        holder.srv = await startServer(opts);
    });
    afterEach(async () => {
        if (holder.srv)
            await holder.srv.assertClean();
    });
    after(async () => {
        if (holder.srv)
            await holder.srv.stop();
    });
    return holder;
}

/** asserts the answer is a WeChat error envelope with this errcode (HTTP 200 by default) */
export function expectErr(res, errcode, status = 200) {
    const where = `${res.status} ${res.text.slice(0, 300)}`;
    if (res.status !== status)
        throw new Error(`want HTTP ${status} errcode ${errcode}, got ${where}`);
    if (!res.body || typeof res.body !== 'object')
        throw new Error(`want a JSON envelope with errcode ${errcode}, got ${where}`);
    if (res.body.errcode !== errcode)
        throw new Error(`want errcode ${errcode}, got ${where}`);
    if (typeof res.body.errmsg !== 'string' || !res.body.errmsg)
        throw new Error(`want a non-empty errmsg, got ${where}`);
}

/** the JSON content type WeChat sends */
export function isJsonType(headers) {
    const ct = typeof headers.get === 'function' ? headers.get('content-type') : headers['content-type'];
    return typeof ct === 'string' && ct.startsWith('application/json');
}

/** seconds until the next midnight of China Standard Time (the quota day) */
export function secondsToCstMidnight(now) {
    return 86400 - ((now + 8 * 3600) % 86400);
}
