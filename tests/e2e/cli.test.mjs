// The command line itself: --help for every command, unknown options and commands refused
// with the usage and exit status 2, and no data directory made unless one was asked for.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { BIN, sanitizerReport } from './lib/server.mjs';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'lianjie-cli-'));
after(() => rmSync(cwd, { recursive: true, force: true }));

/** runs lianjie with args in an empty directory: {code, stdout, stderr} */
function run(...args) {
    return new Promise((resolve) => {
        execFile(BIN, args, { cwd, timeout: 10000 }, (err, stdout, stderr) => {
            assert.equal(sanitizerReport(stderr), '', stderr);
            resolve({ code: err ? err.code : 0, stdout, stderr });
        });
    });
}

function nothingMade() {
    assert.equal(existsSync(path.join(cwd, 'lianjie-data')), false, 'no data directory was made');
}

describe('command line', () => {
    it('prints the commands for lianjie --help and -h, and exits 0', async () => {
        for (const h of ['--help', '-h', 'help']) {
            const r = await run(h);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /serve/);
            assert.match(r.stdout, /admin/);
        }
        const none = await run();
        assert.equal(none.code, 2);
        assert.match(none.stderr, /usage: lianjie/);
    });

    it('serve --help prints its options and starts nothing', async () => {
        const r = await run('serve', '--help');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /--db URL/);
        assert.match(r.stdout, /--push-lease/);
        assert.doesNotMatch(r.stdout, /listening/);
        nothingMade();
    });

    it('serve refuses an unknown option, a missing value and a stray word with exit status 2', async () => {
        for (const args of [['--bogus'], ['--listen'], ['--demo', 'extra'], ['-x']]) {
            const r = await run('serve', ...args);
            assert.equal(r.code, 2, `${args}: ${r.stderr}`);
            assert.match(r.stderr, /usage: lianjie serve/);
        }
        nothingMade();
    });

    it('serve refuses a bad --sync value with exit status 2', async () => {
        const r = await run('serve', '--sync', 'sometimes');
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /bad --sync 'sometimes' \(full or normal\)/);
        nothingMade();
    });

    it('admin --help, also after a noun, and unknown nouns, verbs and options refused', async () => {
        for (const args of [['--help'], ['account', '--help'], ['-h']]) {
            const r = await run('admin', ...args);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /seed-followers/);
        }
        for (const args of [[], ['accont', 'list'], ['account'], ['account', 'lst'], ['account', 'list', '--bogus', '1'],
            ['operator-key', 'extra', 'words']]) {
            const r = await run('admin', ...args);
            assert.equal(r.code, 2, `${args}: ${r.stderr}`);
            assert.match(r.stderr, /usage: lianjie admin/);
        }
        nothingMade();
    });

    it('an unknown command is refused with the list of commands', async () => {
        const r = await run('srve');
        assert.equal(r.code, 2);
        assert.match(r.stderr, /unknown command 'srve'/);
        assert.match(r.stderr, /serve/);
    });
});
