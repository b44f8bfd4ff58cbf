import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// antd reads media queries and element sizes that jsdom does not have.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false }) as MediaQueryList;
}
if (!('ResizeObserver' in window)) {
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}
window.getComputedStyle = ((original) => (element: Element) => original(element))(window.getComputedStyle);

afterEach(() => cleanup());
