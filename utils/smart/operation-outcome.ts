/**
 * What a FHIR server says in an OperationOutcome (FHIR R4 §OperationOutcome): each issue's diagnostics,
 * else its details.text, else its code, joined. Read by the launch log (rules/fhir-refused.ts) and by the
 * companion's smoke reads (web/src/lib/smoke-run.ts).
 */
interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue?: Array<{ code?: unknown; diagnostics?: unknown; details?: { text?: unknown } }>;
}

export function isOperationOutcome(body: unknown): body is OperationOutcome {
  return (body as { resourceType?: unknown } | null | undefined)?.resourceType === 'OperationOutcome';
}

/** The issues' words, or undefined when the body is no OperationOutcome or its issues say nothing. */
export function outcomeIssues(body: unknown): string | undefined {
  if (!isOperationOutcome(body)) return undefined;
  const issues = Array.isArray(body.issue) ? body.issue : [];
  const parts = issues
    .map((i) => [i?.diagnostics, i?.details?.text, i?.code].find((x) => typeof x === 'string' && x.trim()))
    .filter((x): x is string => typeof x === 'string')
    .map((x) => x.trim());
  return parts.length ? parts.join('; ') : undefined;
}

/** outcomeIssues() of a recorded response body (JSON text); undefined for any other body. */
export function outcomeIssuesOfText(text: string | undefined): string | undefined {
  if (!text?.includes('OperationOutcome')) return undefined;
  try {
    return outcomeIssues(JSON.parse(text));
  } catch {
    return undefined;
  }
}
