/**
 * jsdom has no layout: every element is 0×0 and scrollTo is missing, so a virtualized list would render
 * no rows. Give scroll containers a fixed viewport so the virtualizer behaves as in a 600 px tall window.
 */
export function installLayout(viewport = { width: 800, height: 600 }): void {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get: () => viewport.height,
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get: () => viewport.width,
  });
  // Content height is what the virtualizer's sizer asks for (its inline style), so scrolling can reach the end.
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      const sizer = this.firstElementChild as HTMLElement | null;
      return Math.max(viewport.height, Number.parseFloat(sizer?.style.height ?? '') || 0);
    },
  });
  HTMLElement.prototype.scrollTo = function scrollTo(this: HTMLElement, options?: ScrollToOptions | number) {
    const top = typeof options === 'number' ? options : (options?.top ?? 0);
    this.scrollTop = top;
    this.dispatchEvent(new Event('scroll'));
  } as HTMLElement['scrollTo'];
}
