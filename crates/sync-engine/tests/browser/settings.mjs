// Drives the settings page in headless chromium, like the admin does.
// Usage: node settings.mjs <phase> <server-url> <admin-token> [client-id client-secret admin-email]
//   phase "connect": Lever toggle -> consent -> Active; Greenhouse credentials ->
//                    Update -> Sync completes -> endpoint and secret shown.
//   phase "revoked": the Lever card shows Inactive with its reason.
// Prints one "ok: ..." line per step and the endpoint/secret as JSON at the end;
// exits non-zero on the first failed step.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [phase, server, token, clientId, clientSecret, adminEmail] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const profile = mkdtempSync(join(tmpdir(), 'aspect-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const step = (what) => console.log(`ok: ${what}`);
const fail = (what) => { throw new Error(what); };
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(20000);
  await page.goto(`${server}/settings/acme`);
  await page.fill('#token', token);
  await Promise.all([page.waitForURL(`${server}/settings/acme`), page.click('#sign-in')]);
  step('signed in');
  if (phase === 'connect') {
    await Promise.all([page.waitForURL(/\/oauth\/authorize/), page.click('#lever-toggle', { noWaitAfter: true })]);
    step('Lever consent page shown');
    await page.click('#accept');
    await page.waitForURL(`${server}/settings/acme`);
    const lever = await page.textContent('#lever-state');
    if (!lever.includes('Active')) fail(`Lever is "${lever}", not Active`);
    step('Lever Active');
    await page.fill('#gh-client-id', clientId);
    await page.fill('#gh-client-secret', clientSecret);
    await page.fill('#gh-admin-email', adminEmail);
    // Update posts the form and comes back to the same URL: wait for the new page's content.
    await page.click('#greenhouse-update');
    await page.waitForSelector('#gh-endpoint, #greenhouse-error');
    if (await page.locator('#greenhouse-error').count()) fail(await page.textContent('#greenhouse-error'));
    step('Greenhouse credentials saved');
    await page.click('#greenhouse-sync');
    await page.waitForFunction(() => (document.getElementById('greenhouse-sync-text') || {}).textContent?.startsWith('Sync complete'));
    const progress = await page.getAttribute('#greenhouse-progress', 'value');
    if (progress !== '100') fail(`progress bar at ${progress}`);
    step('Greenhouse Sync complete');
    const state = await page.textContent('#greenhouse-state');
    if (!state.includes('Active')) fail(`Greenhouse is "${state}", not Active`);
    const endpoint = (await page.textContent('#gh-endpoint')).trim();
    const secret = (await page.textContent('#gh-secret')).trim();
    if (!endpoint.endsWith('/webhooks/greenhouse/acme') || secret.length < 16) fail(`endpoint ${endpoint}`);
    step('Greenhouse Active, endpoint and secret shown');
    console.log(JSON.stringify({ endpoint, secret }));
  } else if (phase === 'revoked') {
    const lever = await page.textContent('#lever-state');
    if (!lever.includes('Inactive')) fail(`Lever is "${lever}", not Inactive`);
    const reason = (await page.textContent('#lever-state .reason')).trim();
    if (!reason) fail('no reason shown');
    step(`Lever Inactive: ${reason}`);
  } else {
    fail(`unknown phase ${phase}`);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
