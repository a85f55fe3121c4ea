import { expect, type Page } from '@playwright/test';

/** Runs in the page: how far the document, or the scrolling screen area, reaches past its width. */
const OVERFLOW = `(() => {
  const d = document.documentElement;
  const main = document.querySelector('main');
  return Math.max(d.scrollWidth - d.clientWidth, main ? main.scrollWidth - main.clientWidth : 0);
})()`;

/** The screen fits the window's width (no sideways scrolling) at 1280 x 720 and 1920 x 1080. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await expect
      .poll(async () => (await page.evaluate(OVERFLOW)) as number, { message: `at ${width}px` })
      .toBe(0);
  }
}
