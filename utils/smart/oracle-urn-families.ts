import type { UrnEntry } from './oracle-urn-types';

/** Authorization-server URNs: `urn:cerner:error:authorization-server:oauth2:grant:unknown-client`… */
export const ORACLE_URN_PREFIX = 'urn:cerner:error:authorization-server:';
/** FHIR-server URNs: `urn:cerner:error:oauth2:resource-access:insufficient-scopes`. */
export const RESOURCE_ACCESS_URN_PREFIX = 'urn:cerner:error:oauth2:resource-access:';

const A = ORACLE_URN_PREFIX;

/**
 * What a URN of each family means when the exact URN is not in the catalogue (Oracle adds and renames
 * URNs: the published list predates forms such as `oauth2:token:code-invalid-or-expired`).
 * Longest prefix first, so the most specific family wins.
 */
export const URN_FAMILIES: ReadonlyArray<readonly [prefix: string, entry: UrnEntry]> = [
  [
    `${A}oauth2:token:refresh-token:`,
    [
      'Refresh rejected',
      'The token endpoint rejected the refresh token (invalid, expired, revoked, or its session ended).',
      'Relaunch the app to get new tokens.',
    ],
  ],
  [
    `${A}oauth2:token:code:`,
    [
      'Authorization code rejected',
      'The token endpoint rejected the authorization code, or the client or tenant it was presented for.',
      'Exchange the fresh code once, with the same client_id, redirect_uri and tenant as the authorize request.',
    ],
  ],
  [
    `${A}oauth2:token:`,
    [
      'Token request rejected',
      'The token endpoint rejected the token request.',
      'Check grant_type, code, redirect_uri, client_id, code_verifier and client credentials, then relaunch.',
    ],
  ],
  [
    `${A}smart-v1:grant:launch:`,
    [
      'EHR launch rejected',
      'The authorization server could not resolve the EHR launch (launch value, aud, or the EHR session).',
      'Relaunch from the EHR; pass launch unchanged and send aud equal to iss.',
    ],
  ],
  [
    `${A}oauth2:grant:`,
    [
      'Authorize request rejected',
      'The authorization server refused the authorize request (client, redirect_uri, tenant, scopes or patient).',
      'Compare the authorize request with the app registration in Code Console, then relaunch.',
    ],
  ],
  [
    `${A}grant:session-service:`,
    [
      'Sign-in problem',
      'The session service could not sign the user in.',
      'Sign in again; clear the authorization.cerner.com session if it keeps failing.',
    ],
  ],
  [
    A,
    [
      'Authorization server error',
      'The authorization server reported an error.',
      'Relaunch; if it persists give Oracle support the URN and the Cerner-Correlation-Id.',
    ],
  ],
  [
    RESOURCE_ACCESS_URN_PREFIX,
    [
      'FHIR access denied',
      'The FHIR server refused the request for a reason tied to the access token or its scopes.',
      'Compare the granted scopes with the request; relaunch if the token has expired.',
    ],
  ],
];

/** Persona mismatch (reported as `client-persona-mismatch`, spelling unconfirmed). */
export const PERSONA_MISMATCH_URN = /persona[-_]?mismatch/i;
/** No patient in context (reported as `missing-patient`, spelling unconfirmed). */
export const MISSING_PATIENT_URN = /missing[-_]?patient|patient[-_]?(context[-_]?)?(missing|required)/i;

/**
 * URNs seen in reports but missing from Oracle's published list, spellings unconfirmed: matched on the
 * tell-tale words anywhere after the authorization-server prefix.
 */
export const LOOSE_URNS: ReadonlyArray<readonly [pattern: RegExp, entry: UrnEntry]> = [
  [
    PERSONA_MISMATCH_URN,
    [
      'Persona mismatch',
      'The app was launched with a persona (provider/patient) it is not registered for.',
      'Use the authorize endpoint of the persona the app is registered for (provider vs patient).',
    ],
  ],
  [
    MISSING_PATIENT_URN,
    [
      'No patient in context',
      'Patient scopes were requested but the launch has no patient context.',
      'Launch from a patient chart, request launch/patient, or use user/ scopes.',
    ],
  ],
];
