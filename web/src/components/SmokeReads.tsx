import { useCallback, useEffect, useState } from 'react';
import type { SmokeRead } from '../lib/smoke-plan';
import { type FhirFetchDeps, runSmokeRead, type SmokeResult } from '../lib/smoke-run';

const STATUS = {
  ok: ['ok', 'OK'],
  denied: ['bad', 'denied'],
  'expected-denial': ['warn', 'denied (not granted)'],
  error: ['bad', 'failed'],
  skipped: ['muted', 'skipped'],
} as const;

function ResultCell({ result }: { result: SmokeResult | undefined }) {
  if (!result) return <span aria-busy="true">running…</span>;
  const [cls, text] = STATUS[result.status];
  return (
    <>
      <span className={`badge ${cls}`}>
        {text}
        {result.httpStatus ? ` ${result.httpStatus}` : ''}
      </span>{' '}
      {result.count !== undefined ? <span>{result.count} resource(s)</span> : null}
      {result.outcome ? <div className="hint">{result.outcome}</div> : null}
      {result.explanation ? <div className="hint">{result.explanation}</div> : null}
    </>
  );
}

/** One read or search per resource type; runs on mount and on demand. */
export function SmokeReads({ plan, fhir }: { plan: SmokeRead[]; fhir: FhirFetchDeps }) {
  const [results, setResults] = useState<Array<SmokeResult | undefined>>([]);
  const run = useCallback(() => {
    setResults(plan.map(() => undefined));
    plan.forEach((read, i) => {
      void runSmokeRead(read, fhir).then((r) => setResults((prev) => prev.map((p, j) => (j === i ? r : p))));
    });
  }, [plan, fhir]);
  useEffect(run, [run]);
  const done = results.filter(Boolean).length;
  return (
    <section className="card" aria-labelledby="smoke-title">
      <div className="toolbar">
        <h2 id="smoke-title">Smoke reads</h2>
        <button type="button" onClick={run}>
          Run again
        </button>
      </div>
      <p className="hint" role="status">
        {plan.length === 0
          ? 'No resource scopes were requested or granted.'
          : `${done} of ${plan.length} done.`}
      </p>
      {plan.length > 0 && (
        <table>
          <caption className="visually-hidden">One request per resource type</caption>
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Request</th>
              <th scope="col">Scope</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {plan.map((read, i) => (
              <tr
                key={read.resourceType}
                data-resource={read.resourceType}
                data-status={results[i]?.status ?? 'running'}
              >
                <th scope="row">{read.resourceType}</th>
                <td>
                  <code>{read.path ? `GET ${read.path}` : `(${read.interaction})`}</code>
                </td>
                <td>{read.granted ? 'granted' : <span className="warn">not granted</span>}</td>
                <td>
                  <ResultCell result={results[i]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
