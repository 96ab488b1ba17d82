import type { Launch, Step } from '../model';
import { decodeUrl, getParam } from '../url';

/**
 * How to start a launch again after a fix, in the tab it ran in. A `launch` value is single-use, so the
 * app's own launch URL cannot simply be reopened: the EHR page that began the launch (Code Console's
 * `/smart/<tenant>/apps/<app>`) issues a fresh one. Without it, a standalone launch URL (iss only) or the
 * app's first page can be reopened; an EHR launch URL cannot, and the plan says why.
 */
export type RelaunchPlan =
  | { ok: true; url: string; tabId?: number; from: 'ehr-page' | 'launch-url'; note: string }
  | { ok: false; tabId?: number; reason: string };

const CONSOLE_APP = /\/smart\/[^/]+\/apps\/[^/]+\/?$/;

function tabOf(launch: Launch): number | undefined {
  return launch.steps.find((s) => s.exchange.tabId >= 0)?.exchange.tabId;
}

function pathOf(step: Step): string {
  return step.decoded?.path ?? decodeUrl(step.exchange.url).path;
}

function isHttp(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

export function relaunchPlan(launch: Launch): RelaunchPlan {
  const tabId = tabOf(launch);
  const withTab = tabId === undefined ? {} : { tabId };
  const steps = launch.steps.filter((s) => isHttp(s.exchange.url));
  const ehrPage = steps.find((s) => s.kind === 'ehr-launch' && CONSOLE_APP.test(pathOf(s)));
  if (ehrPage) {
    return {
      ok: true,
      url: ehrPage.exchange.url,
      ...withTab,
      from: 'ehr-page',
      note: 'Starts again from the EHR page that began the launch, which issues a fresh launch code.',
    };
  }
  const launchUrl = steps.find(
    (s) =>
      (s.kind === 'ehr-launch' || s.kind === 'standalone-launch') &&
      getParam(decodeUrl(s.exchange.url), 'iss'),
  );
  if (launchUrl && getParam(decodeUrl(launchUrl.exchange.url), 'launch') !== undefined) {
    return {
      ok: false,
      ...withTab,
      reason:
        "The app's launch URL carries a single-use launch code and the EHR page that issued it was not recorded: launch the app again from your EHR or Code Console.",
    };
  }
  if (launchUrl) {
    return {
      ok: true,
      url: launchUrl.exchange.url,
      ...withTab,
      from: 'launch-url',
      note: "Opens the app's standalone launch URL again.",
    };
  }
  return {
    ok: false,
    ...withTab,
    reason:
      "Neither the EHR page nor the app's launch URL was recorded for this launch: start it again from your app.",
  };
}
