// Opens the dashboard in Debian's headless Chromium and waits until every panel shows live data that the
// page's own EventSource brought: a training row, a backtest row, a portfolio card, the four stream badges
// live, and an alert in the feed (run it once the alerts stream has carried one: the risk simulator raises
// them only on a breach).
//   node dashboard-check.mjs http://localhost:8080/
import { chromium } from 'playwright-core';

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  // This machine's network is closed: without these Chromium keeps dialling Google's services.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
});
try {
  const page = await browser.newPage();
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
} catch (e) {
  console.error(`dashboard check failed: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
