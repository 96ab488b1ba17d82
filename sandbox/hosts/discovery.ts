/** SMART discovery document and CapabilityStatement, shaped like the ones captured from Oracle's sandbox. */
import { AUTH_ORIGIN, authorizeUrl, fhirBase, HOSTS, issuerUrl, type Persona, tokenUrl } from '../config';
import { RESOURCE_TYPES } from '../data';

/** Resource types Oracle lists scopes for (the sandbox serves data for RESOURCE_TYPES only). */
export const SCOPED_RESOURCES = [
  'AllergyIntolerance',
  'Appointment',
  'Binary',
  'CarePlan',
  'CareTeam',
  'ChargeItem',
  'Communication',
  'Condition',
  'Consent',
  'Coverage',
  'Device',
  'DiagnosticReport',
  'DocumentReference',
  'Encounter',
  'FamilyMemberHistory',
  'Goal',
  'Immunization',
  'InsurancePlan',
  'Location',
  'Media',
  'MedicationAdministration',
  'MedicationDispense',
  'MedicationRequest',
  'NutritionOrder',
  'Observation',
  'Organization',
  'Patient',
  'Person',
  'Practitioner',
  'Procedure',
  'Provenance',
  'Questionnaire',
  'QuestionnaireResponse',
  'RelatedPerson',
  'Schedule',
  'ServiceRequest',
  'Slot',
  'Specimen',
];

function personaOf(host: string): Persona {
  return host === HOSTS.myrecord ? 'patient' : 'provider';
}

/** About 300 scopes in v1 and v2 spellings, no wildcards (as Oracle advertises). */
export function scopesSupported(host: string): string[] {
  const contexts = personaOf(host) === 'patient' ? ['patient'] : ['patient', 'user', 'system'];
  const resource = SCOPED_RESOURCES.flatMap((r) =>
    contexts.flatMap((ctx) => [
      `${ctx}/${r}.read`,
      `${ctx}/${r}.rs`,
      ...(ctx === 'system' ? [] : [`${ctx}/${r}.cruds`]),
    ]),
  );
  return [
    'openid',
    'fhirUser',
    'launch',
    'launch/patient',
    'launch/encounter',
    'offline_access',
    'online_access',
    ...resource,
  ];
}

export function smartConfiguration(host: string, tenant: string) {
  return {
    issuer: issuerUrl(tenant),
    jwks_uri: `${AUTH_ORIGIN}/jwk`,
    authorization_endpoint: authorizeUrl(tenant, personaOf(host)),
    token_endpoint: tokenUrl(tenant, host),
    revocation_endpoint: `${AUTH_ORIGIN}/tenants/${tenant}/protocols/oauth2/profiles/smart-v1/token/revoke`,
    introspection_endpoint: `${AUTH_ORIGIN}/tokeninfo`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    grant_types_supported: ['authorization_code', 'client_credentials'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: scopesSupported(host),
    capabilities: [
      'authorize-post',
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'client-confidential-asymmetric',
      'client-confidential-symmetric',
      'sso-openid-connect',
      'context-banner',
      'context-style',
      'context-ehr-patient',
      'context-ehr-encounter',
      'permission-patient',
      'permission-user',
      'permission-offline',
      'permission-online',
      'permission-v1',
      'permission-v2',
    ],
  };
}

export function capabilityStatement(host: string, tenant: string) {
  const secured = host !== HOSTS.open;
  const security = secured
    ? {
        extension: [
          {
            url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
            extension: [
              { url: 'token', valueUri: tokenUrl(tenant, host) },
              { url: 'authorize', valueUri: authorizeUrl(tenant, personaOf(host)) },
              {
                url: 'revoke',
                valueUri: `${AUTH_ORIGIN}/tenants/${tenant}/protocols/oauth2/profiles/smart-v1/token/revoke`,
              },
            ],
          },
        ],
        service: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                code: 'SMART-on-FHIR',
              },
            ],
          },
        ],
      }
    : undefined;
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2024-01-01T00:00:00Z',
    kind: 'instance',
    software: { name: 'SMART Launch Debugger sandbox' },
    implementation: { description: 'Oracle Health emulator', url: fhirBase(host, tenant) },
    fhirVersion: '4.0.1',
    format: ['json', 'application/fhir+json'],
    rest: [
      {
        mode: 'server',
        ...(security ? { security } : {}),
        resource: RESOURCE_TYPES.map((type) => ({
          type,
          interaction: [{ code: 'read' }, { code: 'search-type' }],
        })),
      },
    ],
  };
}
