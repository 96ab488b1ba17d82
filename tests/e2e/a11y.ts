/**
 * Unnamed controls on a page, from Chromium's own accessibility tree (CDP Accessibility.getFullAXTree):
 * what a screen reader would announce as just "button" or "checkbox". Shared by the e2e accessibility check.
 */
import type { Page } from 'playwright-core';

/** Roles a user operates; each must have an accessible name. */
const CONTROL_ROLES = new Set([
  'button',
  'checkbox',
  'switch',
  'radio',
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'option',
  'link',
  'menuitem',
  'tab',
  'slider',
  'spinbutton',
  'treeitem',
  'separator',
]);

interface AXValue {
  value?: unknown;
}
interface AXNode {
  nodeId: string;
  ignored?: boolean;
  role?: AXValue;
  name?: AXValue;
  properties?: { name: string; value: AXValue }[];
  backendDOMNodeId?: number;
}

export interface UnnamedControl {
  role: string;
  html: string;
}

export async function unnamedControls(page: Page): Promise<UnnamedControl[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const out: UnnamedControl[] = [];
    for (const node of nodes) {
      const role = String(node.role?.value ?? '');
      if (node.ignored || !CONTROL_ROLES.has(role)) continue;
      // A plain separator (<hr>) is not a control; only a focusable one (a splitter) needs a name.
      if (role === 'separator' && !node.properties?.some((p) => p.name === 'focusable' && p.value.value))
        continue;
      if (String(node.name?.value ?? '').trim()) continue;
      let html = '';
      if (node.backendDOMNodeId !== undefined) {
        const { outerHTML } = (await cdp.send('DOM.getOuterHTML', {
          backendNodeId: node.backendDOMNodeId,
        })) as { outerHTML: string };
        html = outerHTML.slice(0, 160);
      }
      out.push({ role, html });
    }
    return out;
  } finally {
    await cdp.detach();
  }
}
