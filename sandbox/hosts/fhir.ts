/**
 * fhir-ehr-code / fhir-myrecord / fhir-open `/r4/<tenant>`: discovery (not on fhir-open), metadata, and
 * read/search over the synthetic data. CORS: any origin may call (credentials are never used).
 */
import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { fhirBase, HOSTS, TENANTS } from '../config';
import { type FhirResource, isResourceType, patientOf, type ResourceType } from '../data';
import type { SandboxState } from '../state';
import { capabilityStatement, smartConfiguration } from './discovery';
import { checkBearer, fhirJson, outcome, scopeFor } from './fhir-auth';

const MAX_COUNT = 100;

function matches(r: FhirResource, query: URLSearchParams): boolean {
  const id = query.get('_id');
  if (id !== null && !id.split(',').includes(r.id)) return false;
  const patient = query.get('patient') ?? query.get('subject');
  if (patient !== null && patientOf(r) !== patient.replace(/^Patient\//, '')) return false;
  const category = query.get('category');
  if (category !== null) {
    const cats = (r.category as { coding?: { code?: string }[] }[] | undefined) ?? [];
    if (!cats.some((cat) => cat.coding?.some((code) => category.split(',').includes(code.code ?? ''))))
      return false;
  }
  return true;
}

function resourceRoute(sandbox: SandboxState, host: string) {
  return (c: Context) => {
    const tenant = c.req.param('tenant') ?? '';
    const type = c.req.param('type') ?? '';
    const id = c.req.param('id');
    if (!isResourceType(type))
      return fhirJson(c, outcome('not-supported', `Resource type ${type} is not supported.`), 404);
    let onlyPatient: string | undefined;
    if (host !== HOSTS.open) {
      const bearer = checkBearer(c, sandbox, host, tenant);
      if (!bearer.ok) return bearer.response;
      const scoped = scopeFor(c, bearer.token, host, type, id === undefined ? 's' : 'r');
      if (!scoped.ok) return scoped.response;
      onlyPatient = scoped.patient;
    }
    return id === undefined
      ? search(c, sandbox, host, tenant, type, onlyPatient)
      : read(c, sandbox, type, id, onlyPatient);
  };
}

function read(c: Context, sandbox: SandboxState, type: ResourceType, id: string, onlyPatient?: string) {
  const resource = sandbox.data.read(type, id);
  if (!resource) return fhirJson(c, outcome('not-found', `${type}/${id} was not found.`), 404);
  const owner = patientOf(resource);
  if (onlyPatient && owner !== undefined && owner !== onlyPatient)
    return fhirJson(c, outcome('forbidden', 'The resource is outside the patient in context.'), 403);
  return fhirJson(c, resource);
}

function search(
  c: Context,
  sandbox: SandboxState,
  host: string,
  tenant: string,
  type: ResourceType,
  only?: string,
) {
  const url = new URL(c.req.url);
  const count = Math.min(
    Math.max(Number.parseInt(url.searchParams.get('_count') ?? '', 10) || MAX_COUNT, 1),
    MAX_COUNT,
  );
  const hits = sandbox.data
    .all(type)
    .filter((r) => matches(r, url.searchParams))
    .filter((r) => !only || patientOf(r) === undefined || patientOf(r) === only);
  const base = fhirBase(host, tenant);
  return fhirJson(c, {
    resourceType: 'Bundle',
    id: randomUUID(),
    type: 'searchset',
    total: hits.length,
    link: [{ relation: 'self', url: `${base}/${type}${url.search}` }],
    entry: hits
      .slice(0, count)
      .map((r) => ({ fullUrl: `${base}/${type}/${r.id}`, resource: r, search: { mode: 'match' } })),
  });
}

export function fhirHost(sandbox: SandboxState, host: string): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    const origin = c.req.header('origin');
    const cors: Record<string, string> = {
      'Access-Control-Allow-Origin': origin ?? '*',
      'Access-Control-Expose-Headers': 'Cerner-Correlation-Id, WWW-Authenticate, Location',
      Vary: 'Origin',
    };
    if (c.req.method === 'OPTIONS') {
      const asked = c.req.header('access-control-request-headers') ?? 'Authorization, Accept, Content-Type';
      return c.body(null, 204, {
        ...cors,
        'Access-Control-Allow-Methods': 'GET, POST, PUT, OPTIONS',
        'Access-Control-Allow-Headers': asked,
        'Access-Control-Max-Age': '600',
      });
    }
    await next();
    for (const [k, v] of Object.entries(cors)) c.res.headers.set(k, v);
  });
  app.use('/r4/:tenant/*', async (c, next) => {
    if (!TENANTS.has(c.req.param('tenant') ?? ''))
      return fhirJson(c, outcome('not-found', 'Unknown tenant.'), 404);
    await next();
  });
  app.get('/r4/:tenant/.well-known/smart-configuration', (c) =>
    host === HOSTS.open
      ? fhirJson(c, outcome('not-found', 'Not found.'), 404)
      : c.json(smartConfiguration(host, c.req.param('tenant'))),
  );
  app.get('/r4/:tenant/metadata', (c) => fhirJson(c, capabilityStatement(host, c.req.param('tenant'))));
  app.get('/r4/:tenant/:type/:id', resourceRoute(sandbox, host));
  app.get('/r4/:tenant/:type', resourceRoute(sandbox, host));
  app.notFound((c) => fhirJson(c, outcome('not-found', 'Not found.'), 404));
  return app;
}
