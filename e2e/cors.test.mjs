// CORS as a browser enforces it: scripts on an allowed origin call the API (preflights included), scripts on any
// other origin cannot read its answers.
//
//   API_URL=http://127.0.0.1:8080 ALLOWED_PAGE=http://127.0.0.1:3000/ REFUSED_PAGE=http://localhost:3000/ \
//     node --test cors.test.mjs
//
// API_URL is a service started with CORS_ALLOWED_ORIGINS naming ALLOWED_PAGE's origin; the pages may be any page
// without a Content-Security-Policy of its own on those origins (e.g. another instance's /hello).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch } from './browser.mjs';

const api = process.env.API_URL ?? 'http://127.0.0.1:8080';
const allowedPage = process.env.ALLOWED_PAGE ?? 'http://127.0.0.1:3000/';
const refusedPage = process.env.REFUSED_PAGE ?? 'http://localhost:3000/';

let browser;

before(async () => {
    browser = await launch();
});

after(async () => {
    await browser?.close();
});

// Runs fetch() calls in a page of the given origin; returns what the script could see, or the error it got.
async function fromPage(pageUrl, calls) {
    const page = await browser.browser.newPage();
    try {
        await page.goto(pageUrl);
        return await page.evaluate(calls, api);
    } finally {
        await page.close();
    }
}

test('a script on an allowed origin signs up, logs in and uses its token', async () => {
    const seen = await fromPage(allowedPage, async apiUrl => {
        const username = `cors${Date.now().toString(36)}`;
        const email = `${username}@example.com`;
        // JSON bodies and the Authorization header make these preflighted requests.
        const signUp = await fetch(`${apiUrl}/users/`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ username, email, password: 'correct-horse-battery' }),
        });
        const login = await fetch(`${apiUrl}/auth/token`, {
            method: 'POST',
            body: new URLSearchParams({ username: email, password: 'correct-horse-battery' }),
        });
        const { access_token: token } = await login.json();
        const created = await fetch(`${apiUrl}/todos/`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`,
                       'Idempotency-Key': crypto.randomUUID() },
            body: JSON.stringify({ title: 'from a browser', description: 'CORS', state: 'todo' }),
        });
        const listed = await fetch(`${apiUrl}/todos/`, { headers: { Authorization: `Bearer ${token}` } });
        const anonymous = await fetch(`${apiUrl}/todos/`);
        return {
            signUp: signUp.status, login: login.status, created: created.status,
            titles: (await listed.json()).todos.map(todo => todo.title),
            requestId: listed.headers.get('X-Request-ID'),
            anonymous: anonymous.status, anonymousDetail: (await anonymous.json()).detail,
        };
    });
    assert.equal(seen.signUp, 201);
    assert.equal(seen.login, 200);
    assert.equal(seen.created, 201);
    assert.deepEqual(seen.titles, ['from a browser']);
    assert.match(seen.requestId ?? '', /^[0-9a-f-]{36}$/, 'X-Request-ID is exposed to scripts');
    assert.equal(seen.anonymous, 401, 'error answers are readable too');
    assert.equal(seen.anonymousDetail, 'Not authenticated');
});

test('a script on another origin can neither call with a token nor read an answer', async () => {
    const seen = await fromPage(refusedPage, async apiUrl => {
        const outcome = async request => {
            try {
                return `read ${(await request).status}`;
            } catch (e) {
                return `blocked: ${e.name}`;
            }
        };
        return {
            preflighted: await outcome(fetch(`${apiUrl}/todos/`, { headers: { Authorization: 'Bearer x' } })),
            simple: await outcome(fetch(`${apiUrl}/hello`)),
        };
    });
    assert.deepEqual(seen, { preflighted: 'blocked: TypeError', simple: 'blocked: TypeError' });
});
