/**
 * Hostnames, tenant and quirk modes of the sandbox. The hostnames are Oracle Health's real ones so that a
 * browser started with `--host-resolver-rules` sees exactly the URLs a real launch produces.
 */

/** Oracle's public sandbox tenant (Code Console). */
export const TENANT = 'ec2458f2-1e24-41c8-b71b-0e701af7583d';

export const HOSTS = {
  smart: 'smart.cerner.com',
  authorization: 'authorization.cerner.com',
  ehr: 'fhir-ehr-code.cerner.com',
  myrecord: 'fhir-myrecord.cerner.com',
  open: 'fhir-open.cerner.com',
  companion: 'companion.smartdebugger.test',
} as const;

export const ALL_HOSTS: string[] = Object.values(HOSTS);
export const FHIR_HOSTS: string[] = [HOSTS.ehr, HOSTS.myrecord, HOSTS.open];
/** FHIR hosts that sit behind the authorization server (fhir-open does not). */
export const SECURED_FHIR_HOSTS: string[] = [HOSTS.ehr, HOSTS.myrecord];

export const AUTH_ORIGIN = `https://${HOSTS.authorization}`;
export const SMART_ORIGIN = `https://${HOSTS.smart}`;

export const QUIRKS = ['forceauthn-session', 'header-size', 'redirect-loop', 'none'] as const;
export type Quirk = (typeof QUIRKS)[number];
export const DEFAULT_QUIRK: Quirk = 'forceauthn-session';

export function isQuirk(value: unknown): value is Quirk {
  return typeof value === 'string' && (QUIRKS as readonly string[]).includes(value);
}

/** What each quirk reproduces, shown on the console page and by the CLI. */
export const QUIRK_DESCRIPTIONS: Record<Quirk, string> = {
  'forceauthn-session':
    'session-api answers 400 when forceAuthn=true and an authorization.cerner.com session cookie is present (the reported bug)',
  'header-size': 'authorization.cerner.com answers 400 when the URL plus the Cookie header exceed 8 KiB',
  'redirect-loop':
    'with an authorization.cerner.com session cookie present, session-api and /my-session/status redirect to each other until the browser gives up',
  none: 'no quirk: an existing session is reused',
};

/** Front-end buffer of the header-size quirk. */
export const HEADER_LIMIT_BYTES = 8 * 1024;

/** Oracle's sandbox access tokens live 570 seconds. */
export const ACCESS_TOKEN_SECONDS = 570;
export const CODE_TTL_SECONDS = 120;

export type Persona = 'provider' | 'patient';

/** Session realm: the tenant for providers, `<tenant>-ch` (consumer health) for patients. */
export function realmFor(tenant: string, persona: Persona): string {
  return persona === 'patient' ? `${tenant}-ch` : tenant;
}

export function fhirBase(host: string, tenant: string): string {
  return `https://${host}/r4/${tenant}`;
}

/** The FHIR host a persona's tokens are meant for. */
export function fhirHostFor(persona: Persona): string {
  return persona === 'patient' ? HOSTS.myrecord : HOSTS.ehr;
}

export function authorizeUrl(tenant: string, persona: Persona): string {
  return `${AUTH_ORIGIN}/tenants/${tenant}/protocols/oauth2/profiles/smart-v1/personas/${persona}/authorize`;
}

export function tokenUrl(tenant: string, fhirHost: string): string {
  return `${AUTH_ORIGIN}/tenants/${tenant}/hosts/${fhirHost}/protocols/oauth2/profiles/smart-v1/token`;
}

export function issuerUrl(tenant: string): string {
  return `${AUTH_ORIGIN}/tenants/${tenant}`;
}

export const TENANTS: ReadonlySet<string> = new Set([TENANT]);
