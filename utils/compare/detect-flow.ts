import { REQUEST_SIZE_LIMIT_BYTES } from '../diagnose/session-api';
import type { SessionHopFacts } from './facts';
import { rowDiverges, type StepCell, type StepRow } from './steps';
import { cap, launchOf, plural, possessive } from './text';
import type { RawDifference, SideLabels } from './types';

/** Requests closer in size than this, and less than twice as large, are not worth naming. */
const SIZE_NOTICE_BYTES = 2048;

const statusText = (c: StepCell) => c.statuses.join(', ');

/** Where the two launches part ways: the first step kind one failed at, or reached alone. */
export function stepsDifference(rows: StepRow[], l: SideLabels): RawDifference[] {
  const failing = rows.find((r) => rowDiverges(r) && (r.a?.failed || r.b?.failed));
  const row = failing ?? rows.find(rowDiverges);
  if (!row) return [];
  const say = (c: StepCell | undefined, other: StepCell | undefined, label: string, first: boolean) => {
    const who = first ? cap(launchOf(label)) : launchOf(label);
    if (!c) return `${who} never reached ${row.kind}`;
    if (c.failed) return `${who} failed at ${row.kind} (${statusText(c)})`;
    return other?.failed ? `${who} passed it (${statusText(c)})` : `${who} reached it (${statusText(c)})`;
  };
  const ids: { a?: string; b?: string } = {};
  if (row.a) ids.a = row.a.exchangeId;
  if (row.b) ids.b = row.b.exchangeId;
  return [
    {
      kind: 'steps',
      base: 40,
      ruleIds: [],
      text: `${say(row.a, row.b, l.a, true)}; ${say(row.b, row.a, l.b, false)}.`,
      exchangeIds: ids,
    },
  ];
}

const forced = (h: SessionHopFacts) => h.forceAuthn || h.nestedForceAuthn;
const cookieCount = (h: SessionHopFacts) => h.cookies?.count;

function cookiesText(h: SessionHopFacts, withNames: boolean): string {
  if (!h.cookies) return 'cookies not recorded';
  if (!h.cookies.count) return 'no cookies';
  const names = withNames && h.cookies.names.length ? ` (${h.cookies.names.join(', ')})` : '';
  return `${plural(h.cookies.count, 'cookie')}${names}`;
}

/** forceAuthn and an existing session at Oracle's session-api hop: the usual cause of its HTTP 400. */
export function sessionHopDifference(
  a: SessionHopFacts | undefined,
  b: SessionHopFacts | undefined,
  l: SideLabels,
): RawDifference[] {
  if (!a || !b) return [];
  const hasSession = (h: SessionHopFacts) => (cookieCount(h) ?? 0) > 0;
  if (forced(a) === forced(b) && hasSession(a) === hasSession(b) && a.status === b.status) return [];
  const sayA = `${cap(l.a)} hit session-api with forceAuthn=${forced(a)} and ${cookiesText(a, true)}, and got ${a.status}`;
  const hopB = `${possessive(l.b)} hop`;
  const sayB = !b.cookies
    ? `${hopB}'s cookies were not recorded, and it got ${b.status}`
    : forced(a) === forced(b)
      ? `${hopB} had ${hasSession(b) ? cookiesText(b, true) : 'none'}, and got ${b.status}`
      : `${hopB} had forceAuthn=${forced(b)} and ${cookiesText(b, true)}, and got ${b.status}`;
  return [
    {
      kind: 'session-hop',
      base: 80,
      ruleIds: ['force-authn-session', 'redirect-loop', 'unexplained-failure'],
      text: `${sayA}; ${sayB}.`,
      exchangeIds: { a: a.exchangeId, b: b.exchangeId },
    },
  ];
}

/** Request line plus Cookie header at the session-api hop. */
export function requestSizeDifference(
  a: SessionHopFacts | undefined,
  b: SessionHopFacts | undefined,
  l: SideLabels,
): RawDifference[] {
  if (!a || !b) return [];
  const big = Math.max(a.requestBytes, b.requestBytes);
  const small = Math.min(a.requestBytes, b.requestBytes);
  if (a.overLimit === b.overLimit && (big - small < SIZE_NOTICE_BYTES || big < 2 * small)) return [];
  const say = (h: SessionHopFacts) =>
    `${h.requestBytes.toLocaleString('en-US')} bytes (URL ${h.urlLength.toLocaleString('en-US')} characters + Cookie ${(h.cookies?.bytes ?? 0).toLocaleString('en-US')} bytes)`;
  const limit =
    a.overLimit || b.overLimit ? `; ${REQUEST_SIZE_LIMIT_BYTES / 1024} KB is a common server limit` : '';
  return [
    {
      kind: 'request-size',
      base: a.overLimit !== b.overLimit ? 75 : 45,
      ruleIds: ['request-too-large', 'force-authn-session'],
      text: `${cap(possessive(l.a))} session-api request was ${say(a)}; ${possessive(l.b)} was ${say(b)}${limit}.`,
      exchangeIds: { a: a.exchangeId, b: b.exchangeId },
    },
  ];
}
