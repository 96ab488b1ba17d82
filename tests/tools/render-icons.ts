/**
 * Renders the icon sources (components/icons/*.svg) to the PNG sizes the browsers ask for, with Debian
 * Chromium, so the committed PNGs always match the SVGs: `npm run icons`.
 * tests/unit/icons.test.ts checks that every size exists and has the right dimensions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const DIR = fileURLToPath(new URL('../../components/icons/', import.meta.url));
export const ICON_SIZES = [16, 32, 48, 128] as const;
const JOBS: { svg: string; sizes: readonly number[]; out: (size: number) => string }[] = [
  { svg: 'icon.svg', sizes: ICON_SIZES, out: (s) => `icon-${s}.png` },
  { svg: 'favicon.svg', sizes: [32], out: () => 'favicon-32.png' },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage();
  for (const job of JOBS) {
    const svg = readFileSync(DIR + job.svg, 'utf8');
    for (const size of job.sizes) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<html><body style="margin:0;background:transparent"><img width="${size}" height="${size}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`,
      );
      await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      const png = await page.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: size, height: size },
      });
      writeFileSync(DIR + job.out(size), png);
      console.log(`${job.out(size)} (${png.length} bytes)`);
    }
  }
} finally {
  await browser.close();
}
