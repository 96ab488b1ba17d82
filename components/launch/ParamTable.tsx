import { useState } from 'react';
import type { DecodedParam, DecodedUrl } from '../../utils/model';

/** Decoded query/form parameters; URL-valued ones (`to=`, `redirect_uri`) open into their own table. */
export function ParamTable({
  params,
  caption,
  depth = 0,
}: {
  params: readonly DecodedParam[];
  caption?: string;
  depth?: number;
}) {
  if (params.length === 0) return <p className="sld-muted">No parameters.</p>;
  return (
    <table className="sld-params" data-depth={depth}>
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {params.map((param, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: parameter names repeat; order is the URL's and fixed
          <ParamRow key={`${param.name}-${i}`} param={param} depth={depth} />
        ))}
      </tbody>
    </table>
  );
}

function ParamRow({ param, depth }: { param: DecodedParam; depth: number }) {
  // The first level of nesting is open: the interesting part of a session-api hop is inside `to=`.
  const [open, setOpen] = useState(depth === 0);
  return (
    <tr>
      <th scope="row" className="sld-param-name">
        {param.name}
      </th>
      <td className="sld-param-value">
        {param.nested ? (
          <>
            <button
              type="button"
              className="sld-tree-toggle"
              aria-expanded={open}
              onClick={() => setOpen(!open)}
            >
              {open ? '▾' : '▸'} {param.nested.base}
              <span className="sld-muted"> ({param.nested.params.length} parameters)</span>
            </button>
            {open && <NestedUrl url={param.nested} depth={depth + 1} />}
          </>
        ) : (
          <code>{param.value}</code>
        )}
        {param.warnings?.map((w) => (
          <div key={w} className="sld-warning" role="note">
            ⚠ {w}
          </div>
        ))}
      </td>
    </tr>
  );
}

function NestedUrl({ url, depth }: { url: DecodedUrl; depth: number }) {
  return (
    <fieldset className="sld-nested">
      <legend className="sld-visually-hidden">Parameters of {url.base}</legend>
      <ParamTable params={url.params} depth={depth} />
    </fieldset>
  );
}
