// Opens the dashboard in Debian's headless Chromium and waits until every panel shows live data that the
// page's own stream (the client library) brought: a training row, a backtest row, a portfolio card, the four stream badges
// live, and an alert in the feed (run it once the alerts stream has carried one: the risk simulator raises
// them only on a breach). Then, for each demo user the page offers (/demo-users.json, when served), that the page
// picked for that user shows a card for each of the user's portfolios and for no other.
//   node dashboard-check.mjs http://localhost:8080/
import { chromium } from 'playwright-core';

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // This machine's network is closed: without these Chromium keeps dialling Google's services.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
// What the page asked for and got, for the message when a check fails (a flake in CI could not be reproduced by
// hand: the next one should say which request or stream held the page up). Paths only: queries carry tokens.
const traffic = [];
let page = null;
try {
  page = await browser.newPage();
  const path = (u) => new URL(u).pathname;
  page.on('request', (r) => traffic.push(`${new Date().toISOString()} -> ${path(r.url())}`));
  page.on('response', (r) => traffic.push(`${new Date().toISOString()} <- ${r.status()} ${path(r.url())}`));
  page.on('requestfailed', (r) => traffic.push(`${new Date().toISOString()} failed ${path(r.url())}: ${r.failure()?.errorText}`));
  page.on('console', (m) => traffic.push(`${new Date().toISOString()} console ${m.type()}: ${m.text()}`));
  await page.goto(url);
  const wait = { timeout: 60_000 };
  await page.waitForSelector('#training-rows tr[data-task]', wait);
  await page.waitForSelector('#backtest-rows tr[data-backtest]', wait);
  await page.waitForSelector('#portfolio-cards [data-portfolio]', wait);
  await page.waitForSelector('#alert-feed li', wait);
  await page.waitForFunction(() => document.querySelectorAll('.stream.live').length === 4, null, wait);
  const seen = await page.evaluate(() => ({
    trainings: document.querySelectorAll('#training-rows tr[data-task]').length,
    backtests: document.querySelectorAll('#backtest-rows tr[data-backtest]').length,
    alerts: document.querySelectorAll('#alert-feed li').length,
    portfolios: document.querySelectorAll('#portfolio-cards [data-portfolio]').length,
  }));
  console.log(`dashboard: ${JSON.stringify(seen)}`);

  const demo = await fetch(new URL('demo-users.json', url)).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  for (const user of demo?.users ?? []) {
    await page.goto(`${url}?user=${user.name}`);
    await page.waitForFunction((ids) => ids.every((id) => document.querySelector(
      `#portfolio-cards [data-portfolio='${id}']`)), user.portfolios, wait);
    const shown = await page.evaluate(() => [...document.querySelectorAll('#portfolio-cards [data-portfolio]')]
      .map((card) => card.dataset.portfolio).sort());
    if (JSON.stringify(shown) !== JSON.stringify([...user.portfolios].sort())) {
      throw new Error(`${user.name} should see portfolios ${user.portfolios}, the page shows ${shown}`);
    }
    console.log(`dashboard for ${user.name}: portfolios ${shown}`);
  }
} catch (e) {
  console.error(`dashboard check failed: ${e.message}`);
  const badges = await page?.evaluate(() => [...document.querySelectorAll('[data-stream]')]
    .map((b) => `${b.dataset.stream}: ${b.className}`)).catch(() => []);
  console.error(`stream badges: ${JSON.stringify(badges)}`);
  console.error(`the page's requests:\n  ${traffic.join('\n  ')}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
