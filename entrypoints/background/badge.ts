import { badgeText } from '../../utils/dnr/rewrites';
import type { TabOutcome } from '../../utils/launch/tab-outcome';
import { createSerialQueue } from '../../utils/serial-queue';

/*
 * The toolbar badge: "on" while the strip rule is installed, the number of rewrites in a tab once it
 * fired there. Counts live in storage.session so a restarted worker keeps them (browser restart clears).
 */

type Counts = Record<string, number>;

let countsItem: ReturnType<typeof defineCounts> | undefined;
function defineCounts() {
  return storage.defineItem<Counts>('session:stripForceAuthn.rewrites', { fallback: {} });
}
let shownItem: ReturnType<typeof defineShown> | undefined;
function defineShown() {
  return storage.defineItem<boolean>('session:stripForceAuthn.badgeOn', { fallback: false });
}
/** Last rule state shown (read from getDynamicRules by the caller), for re-applying after navigations. */
function shown() {
  shownItem ??= defineShown();
  return shownItem;
}

/** tabId → the cause of the failed launch marked on that tab ('' when none was named). */
let failuresItem: ReturnType<typeof defineFailures> | undefined;
function defineFailures() {
  return storage.defineItem<Record<string, string>>('session:launchOutcome.failedTabs', { fallback: {} });
}
function failures() {
  failuresItem ??= defineFailures();
  return failuresItem;
}

/** Created on first use: WXT imports this module at build time, where no extension API exists. */
function counts() {
  countsItem ??= defineCounts();
  return countsItem;
}

const ON_COLOR = '#1a7f37';
/** A failed launch in the tab: the same red as the pages' "failed" status (theme.css --sld-bad, light). */
const FAIL_COLOR = '#c5221f';

/** `null` for a tab falls back to the global value (Chrome and Firefox); the polyfill types omit it. */
interface ActionApi {
  setBadgeText(details: { text: string | null; tabId?: number }): Promise<void>;
  setTitle(details: { title: string | null; tabId?: number }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string; tabId?: number }): Promise<void>;
}

function action(): ActionApi {
  // Firefox MV2 builds expose browserAction instead of action.
  return (browser.action ?? browser.browserAction) as unknown as ActionApi;
}

const writes = createSerialQueue();
/** Serializes read-modify-write of the counts so concurrent rewrites are all counted. */
function updateCounts(change: (c: Counts) => Counts): Promise<Counts> {
  return writes.run(async () => {
    const next = change({ ...(await counts().getValue()) });
    await counts().setValue(next);
    return next;
  });
}

function title(enabled: boolean, rewrites: number): string {
  if (!enabled) return 'SMART Launch Debugger — Strip forceAuthn is off';
  return `SMART Launch Debugger — Strip forceAuthn is on, ${rewrites} rewrite${rewrites === 1 ? '' : 's'} in this tab`;
}

/** Shows the rule state on the global badge and re-applies every tab's count. */
export async function showRuleState(enabled: boolean): Promise<void> {
  const a = action();
  await shown().setValue(enabled);
  await a.setBadgeBackgroundColor({ color: ON_COLOR });
  await a.setBadgeText({ text: badgeText(enabled, 0) });
  await a.setTitle({ title: title(enabled, 0) });
  for (const [tab, n] of Object.entries(await counts().getValue())) {
    const tabId = Number(tab);
    await a.setBadgeText({ tabId, text: enabled ? badgeText(true, n) : null });
    await a.setTitle({ tabId, title: enabled ? title(true, n) : null });
  }
}

/** Counts one rewrite by our rule in a tab and shows the new number there. */
export async function recordRewrite(tabId: number): Promise<number> {
  if (tabId < 0) return 0;
  const next = await updateCounts((c) => ({ ...c, [tabId]: (c[tabId] ?? 0) + 1 }));
  const n = next[tabId] ?? 0;
  await action().setBadgeText({ tabId, text: badgeText(true, n) });
  await action().setTitle({ tabId, title: title(true, n) });
  return n;
}

/**
 * The outcome of the newest launch in a tab, where the user is: a failed launch gets a red "!" and a title
 * naming the cause; any other outcome puts the tab's strip-rule badge back. Chromium drops a tab's own
 * badge when the tab navigates, so a relaunch in that tab clears the mark by itself.
 */
export async function showLaunchOutcome(tabId: number, outcome: TabOutcome): Promise<void> {
  if (tabId < 0) return;
  // Kept, so the mark survives the tab's own navigation (a commit after it was set clears it).
  await writes.run(async () => {
    const marks = { ...(await failures().getValue()) };
    if (outcome.failed) marks[tabId] = outcome.cause ?? '';
    else delete marks[tabId];
    await failures().setValue(marks);
  });
  if (outcome.failed) {
    await showFailure(tabId, outcome.cause);
    return;
  }
  const a = action();
  await a.setBadgeBackgroundColor({ tabId, color: ON_COLOR });
  await a.setBadgeText({ tabId, text: null });
  await a.setTitle({ tabId, title: null });
  await refreshTab(tabId);
}

async function showFailure(tabId: number, cause: string | undefined): Promise<void> {
  const a = action();
  await a.setBadgeBackgroundColor({ tabId, color: FAIL_COLOR });
  await a.setBadgeText({ tabId, text: '!' });
  await a.setTitle({ tabId, title: `SMART launch failed${cause ? `: ${cause}` : ''}` });
}

/**
 * Chromium drops a tab's own badge values whenever the tab navigates, so the count is put back after
 * each top-level navigation of that tab.
 */
export async function refreshTab(tabId: number): Promise<void> {
  // One storage read for the three values: this runs on every top-level navigation in the browser.
  const [marks, tabCounts, on] = await storage.getItems([failures(), counts(), shown()]);
  const cause = ((marks?.value ?? {}) as Record<string, string>)[tabId];
  if (cause !== undefined) return showFailure(tabId, cause || undefined);
  const n = ((tabCounts?.value ?? {}) as Counts)[tabId];
  if (!n || !(on?.value as boolean)) return;
  await action().setBadgeText({ tabId, text: badgeText(true, n) });
  await action().setTitle({ tabId, title: title(true, n) });
}

export async function rewritesInTab(tabId: number): Promise<number> {
  return (await counts().getValue())[tabId] ?? 0;
}

export async function forgetTab(tabId: number): Promise<void> {
  await updateCounts((c) => {
    delete c[tabId];
    return c;
  });
  await writes.run(async () => {
    const marks = { ...(await failures().getValue()) };
    delete marks[tabId];
    await failures().setValue(marks);
  });
}
