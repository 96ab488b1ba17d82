import { isOidcConfig } from '../../launch/classify';
import { askedForAuthorization, isOk, wentOnPastDiscovery } from '../../launch/correlate';
import type { Step } from '../../model';
import { getParam } from '../../url';
import { splitUrl } from '../../url/split';
import { advice, relaunch } from '../fixes';
import { ev, finding, type Rule, type RuleContext } from '../types';

/**
 * A failed discovery read: an error when the launch stopped there, or when the app went on from fhir-open
 * without ever asking for authorization; a warning when the app went on
 * without it (fhirclient reads the CapabilityStatement's OAuth URIs when `.well-known/smart-configuration`
 * answers 404, which SMART App Launch 1.0 servers may do). An OpenID configuration read after the
 * callback is the app validating its id_token, not discovery (launch/correlate.ts, wentOnPastDiscovery).
 */
export const discoveryFailure: Rule = {
  id: 'discovery-failure',
  severity: 'error',
  title: 'SMART discovery failed',
  detect(launch, ctx) {
    const steps = launch.steps;
    // A failed OpenID configuration read the launch went on past says nothing about SMART discovery.
    const i = steps.findIndex(
      (s, j) => s.kind === 'discovery' && s.failed && !(isOidcConfig(s) && wentOnPastDiscovery(steps, j)),
    );
    if (i === -1) return [];
    const step = steps[i]!;
    const answered = step.exchange.status ?? step.exchange.error;
    const evidence = [ev('discovery URL', step.exchange.url, step), ev('status', answered, step)];
    // Live and nothing after it yet: the app's fallback read may still come (status.ts, awaitingFallback).
    if (!ctx.settled && i === steps.length - 1 && !isOpenEndpoint(step)) {
      return [
        finding(
          this,
          `${step.exchange.url} answered ${answered}. Nothing has followed yet: apps may go on without it (fhirclient reads the CapabilityStatement, /metadata, next).`,
          evidence,
          [],
          { severity: 'warning', title: 'SMART discovery failed; waiting for the app' },
        ),
      ];
    }
    const openEndpoint = isOpenEndpoint(step);
    // On fhir-open the CapabilityStatement names no OAuth endpoints: fhirclient then treats the server as
    // open and skips authorization, so the launch loses its user and context without any error.
    const wentOn = wentOnPastDiscovery(steps, i);
    if (
      openEndpoint &&
      wentOn &&
      !steps.some((s, j) => j > i && (askedForAuthorization(s.kind) || s.kind === 'error-page'))
    ) {
      return [
        finding(
          this,
          `${onOpen(ctx)} fhir-open, Oracle's open read-only endpoint, which has no SMART configuration (HTTP ${answered}). ${
            steps.some((s, j) => j > i && s.kind === 'fhir')
              ? 'The app went on reading FHIR without any authorization (as for an open server)'
              : 'The app read the CapabilityStatement and asked for no authorization (as for an open server)'
          }: no sign-in, no token, no launch context.`,
          evidence,
          [advice('Use the secure FHIR base (fhir-ehr-code / fhir-myrecord) as iss.'), ...relaunch(ctx)],
          { title: 'iss points at the open (non-SMART) endpoint' },
        ),
      ];
    }
    // An answer the page could not read (CORS, network) says nothing of what the server publishes.
    const unreadable = step.exchange.status === undefined;
    const what = unreadable
      ? `could not be read (${answered}: blocked by CORS for the app's origin, or unreachable)`
      : `answered ${answered}`;
    // A server error (502 from a gateway, 503…) is no sign of a wrong iss.
    const serverFault = (step.exchange.status ?? 0) >= 500;
    const metadata = steps.find((s, j) => j > i && s.kind === 'metadata' && isOk(s.exchange.status));
    // The launch got further than reading about the server: it asked for authorization, or read FHIR.
    const proceeded = steps.some((s, j) => j > i && (askedForAuthorization(s.kind) || s.kind === 'fhir'));
    if (wentOn && proceeded) {
      return [
        finding(
          this,
          metadata
            ? `${step.exchange.url} ${what}${unreadable ? '' : ': the server publishes no SMART configuration'}, and the app read the CapabilityStatement (/metadata) for its authorize and token endpoints instead, then went on.`
            : `${step.exchange.url} ${what}, but the app went on to authorize without it (it knew the endpoints otherwise).`,
          metadata ? [...evidence, ev('fallback', metadata.exchange.url, metadata)] : evidence,
          [
            advice(
              'Nothing stopped this launch. SMART App Launch 2.0 requires .well-known/smart-configuration; apps that rely on it (capabilities, PKCE methods) need the server to publish it.',
            ),
          ],
          {
            severity: 'warning',
            title: metadata
              ? 'No SMART configuration: app used the CapabilityStatement'
              : 'SMART discovery failed; app went on',
          },
        ),
      ];
    }
    if (metadata && !ctx.settled) {
      return [
        finding(
          this,
          `${step.exchange.url} ${what}, and the app read the CapabilityStatement (/metadata) instead. Nothing has followed yet.`,
          [...evidence, ev('fallback', metadata.exchange.url, metadata)],
          [],
          { severity: 'warning', title: 'SMART discovery failed; waiting for the app' },
        ),
      ];
    }
    if (metadata) {
      return [
        finding(
          this,
          `${step.exchange.url} ${what}. The app read the CapabilityStatement (/metadata) instead, and nothing followed: it asked for no authorization, so it found no authorize endpoint there (or stopped).`,
          [...evidence, ev('fallback', metadata.exchange.url, metadata)],
          [
            advice(
              unreadable
                ? "Server side: serve .well-known/smart-configuration with CORS open to the app's origin; SMART discovery is read by the page."
                : serverFault
                  ? retryLater(answered)
                  : 'Server side: publish .well-known/smart-configuration (SMART App Launch 2.0 requires it), or name the OAuth endpoints in the CapabilityStatement’s security extension.',
            ),
            advice('Check that iss is the FHIR base URL of a SMART-enabled server.'),
            ...relaunch(ctx),
          ],
          { title: 'SMART discovery failed; the app stopped' },
        ),
      ];
    }
    // `iss` ending in "/" joined with "/.well-known/…": a path the server does not know.
    const doubled = !openEndpoint && /[^:/]\/\/+\.well-known\//.test(splitUrl(step.exchange.url).base);
    return [
      finding(
        this,
        openEndpoint
          ? `${onOpen(ctx)} fhir-open, Oracle's open read-only endpoint, which has no SMART configuration (HTTP ${answered}).`
          : `${step.exchange.url} ${what}${serverFault ? ': the server (or a gateway in front of it) failed' : ''}; without the discovery document the app cannot find the authorize and token endpoints.${doubled ? ' Its path has a double slash before .well-known: the iss ends with "/", and the app added another.' : ''}`,
        evidence,
        [
          ...(serverFault ? [advice(retryLater(answered))] : []),
          advice(
            openEndpoint
              ? 'Use the secure FHIR base (fhir-ehr-code / fhir-myrecord) as iss.'
              : doubled
                ? 'Remove the trailing "/" from iss before appending /.well-known/smart-configuration (or join the two without doubling the slash).'
                : 'Check that iss is the FHIR base URL of a SMART-enabled server.',
          ),
          ...relaunch(ctx),
        ],
        openEndpoint ? { title: 'iss points at the open (non-SMART) endpoint' } : {},
      ),
    ];
  },
};

/**
 * Discovery on fhir-open, Oracle's open read-only endpoint: it has no SMART configuration and its
 * CapabilityStatement names no OAuth endpoints, so no fallback read can save the launch.
 */
export function isOpenEndpoint(step: Step): boolean {
  return /^fhir-open\./.test(step.decoded?.host ?? '');
}

/** The fix of a discovery read the server failed (5xx). */
function retryLater(answered: string | number | undefined): string {
  return `Launch again in a while: HTTP ${answered} is a fault of the server (or a gateway in front of it), not of the launch. If it persists, report it to the server’s operators with the time of the request.`;
}

/** How the app came to the open endpoint: the iss of its launch URL, or its own configuration (standalone). */
function onOpen(ctx: RuleContext): string {
  return ctx.launchUrl && getParam(ctx.launchUrl.decoded, 'iss') !== undefined
    ? 'The app was launched with an iss on'
    : "The app's FHIR server is on";
}
