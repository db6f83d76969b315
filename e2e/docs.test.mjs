// The documentation page in a real browser: Debian's headless Chromium, driven by playwright-core.
//
//   DOCS_URL=http://127.0.0.1:8080/docs SCREENSHOT=../target/ci-artifacts/docs.png node --test docs.test.mjs
//
// DOCS_URL is the page (/docs on the app, or /api/docs through Caddy, then with CA_CERT naming Caddy's local CA);
// SCREENSHOT where to save the rendered page. See browser.mjs for CHROMIUM and CA_CERT.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, timeout } from './browser.mjs';

const docsUrl = new URL(process.env.DOCS_URL ?? 'http://127.0.0.1:8080/docs');
const screenshot = process.env.SCREENSHOT ?? 'docs.png';
const origin = docsUrl.origin;

let browser;
let page;
let pageResponse;
const requests = [];
const failures = [];
const consoleErrors = [];

before(async () => {
    browser = await launch();
    const context = await browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(timeout);
    page = await context.newPage();
    page.on('request', request => requests.push(request.url()));
    page.on('requestfailed', request => failures.push(`${request.url()}: ${request.failure()?.errorText}`));
    page.on('console', message => {
        if (message.type() === 'error') consoleErrors.push(message.text());
    });
    // Every Content-Security-Policy violation, collected in the page before any of its scripts runs.
    await page.addInitScript(() => {
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.cspViolations.push(
            `${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
    });
    const response = await page.goto(docsUrl.href);
    assert.equal(response.status(), 200, `GET ${docsUrl}`);
    pageResponse = response;
    await page.locator('.opblock').first().waitFor();
});

after(async () => {
    await browser?.close();
});

// The operation block for one route, e.g. operation('get', '/hello').
function operation(method, path) {
    return page.locator(`.opblock-${method}`, { has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
}

// Opens an operation, presses "Try it out", optionally replaces its JSON body, presses "Execute" and returns the
// status and body the page shows.
async function tryItOut(method, path, body) {
    const block = operation(method, path);
    await block.locator('.opblock-summary').click();
    await block.locator('button.try-out__btn').click();
    if (body !== undefined) {
        await block.locator('textarea.body-param__text').fill(JSON.stringify(body));
    }
    await block.locator('button.execute').click();
    const result = block.locator('.live-responses-table .response').first();
    await result.waitFor();
    return {
        status: Number((await result.locator('.response-col_status').textContent()).trim()),
        body: JSON.parse(await result.locator('.highlight-code code').textContent()),
    };
}

test('the page is served under a Content-Security-Policy without unsafe sources', async () => {
    const policy = await pageResponse.headerValue('content-security-policy');
    assert.ok(policy, 'no Content-Security-Policy header');
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'self'/);
    assert.doesNotMatch(policy, /unsafe-/);
});

test('lists every route of the OpenAPI document', async () => {
    // Fetched by the page itself, as Swagger UI did: same origin, same certificate trust.
    const spec = await page.evaluate(url => fetch(url).then(response => response.json()),
                                     new URL('openapi.json', docsUrl).href);
    const documented = Object.entries(spec.paths)
        .flatMap(([path, item]) => Object.keys(item).filter(key => key !== 'parameters')
            .map(method => `${method.toUpperCase()} ${path}`))
        .sort();
    const shown = (await page.locator('.opblock').evaluateAll(blocks => blocks.map(block =>
        `${block.querySelector('.opblock-summary-method').textContent} `
        + `${block.querySelector('.opblock-summary-path').getAttribute('data-path')}`))).sort();
    assert.ok(documented.length >= 13, `only ${documented.length} operations documented`);
    assert.deepEqual(shown, documented);
    assert.equal(await page.title(), 'todo-service API');
});

test('"Try it out" on GET /hello answers the greeting', async () => {
    const { status, body } = await tryItOut('get', '/hello');
    assert.equal(status, 200);
    assert.deepEqual(body, { message: 'Hello World' });
});

test('"Try it out" on POST /users/ signs a user up', async () => {
    const username = `browser${Date.now().toString(36)}`;
    const { status, body } = await tryItOut('post', '/users/', {
        username, email: `${username}@example.com`, password: 'correct-horse-battery',
    });
    assert.equal(status, 201);
    assert.equal(body.username, username);
    assert.equal(body.email, `${username}@example.com`);
    assert.equal(typeof body.id, 'number');
    assert.equal(body.password, undefined);
});

test('no request left the service, none failed, nothing was blocked', async () => {
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    const foreign = requests.filter(url => new URL(url).origin !== origin);
    assert.deepEqual(foreign, [], 'requests to other origins');
    assert.ok(!requests.some(url => /petstore/i.test(url)), 'the webjar\'s Petstore default was loaded');
    assert.ok(requests.some(url => url.endsWith('/openapi.json')), 'the service\'s own document was not loaded');
    assert.deepEqual(failures, [], 'failed requests');
    assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'Content-Security-Policy violations');
    assert.deepEqual(consoleErrors, [], 'console errors');
});
