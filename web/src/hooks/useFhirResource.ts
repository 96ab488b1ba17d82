import { useEffect, useState } from 'react';
import { type FhirGet, fhirGet } from '../lib/fhir-get';
import type { FhirFetchDeps } from '../lib/smoke-run';

/** Load one resource; `undefined` while loading. A new path or token reloads it. */
export function useFhirResource<T>(deps: FhirFetchDeps | undefined, path: string | undefined) {
  const [result, setResult] = useState<FhirGet<T> | undefined>();
  useEffect(() => {
    setResult(undefined);
    if (!deps || !path) return;
    let live = true;
    void fhirGet<T>(deps, path).then((r) => {
      if (live) setResult(r);
    });
    return () => {
      live = false;
    };
  }, [deps, path]);
  return result;
}
