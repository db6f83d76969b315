// Debian's Chromium, headless, for the browser tests: playwright-core drives it, nothing is downloaded.
//
// CHROMIUM overrides /usr/bin/chromium. CA_CERT names a CA certificate (PEM) to trust, e.g. Caddy's local CA: it goes
// into an NSS database under a throw-away HOME, where Chromium on Linux looks for trusted roots.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const timeout = 15_000;

function run(command, args) {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) {
        throw new Error(`${command} ${args.join(' ')} failed: ${result.error ?? result.stderr}`);
    }
}

/** Launches the browser; close() also removes its throw-away HOME. */
export async function launch() {
    const home = mkdtempSync(join(tmpdir(), 'e2e-chromium-'));
    if (process.env.CA_CERT) {
        const nssdb = join(home, '.pki', 'nssdb');
        mkdirSync(nssdb, { recursive: true });
        run('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password']);
        run('certutil', ['-d', `sql:${nssdb}`, '-A', '-n', 'test-ca', '-t', 'C,,', '-i', process.env.CA_CERT]);
    }
    const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        // A closed network: no background traffic of Chromium's own to be refused or to confuse the checks.
        args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
               '--no-first-run', '--disable-gpu', '--disable-quic'],
        env: { ...process.env, HOME: home },
        timeout,
    });
    return {
        browser,
        async close() {
            await browser.close();
            rmSync(home, { recursive: true, force: true });
        },
    };
}
