import { useState } from 'react';
import type { DecodedParam, DecodedUrl } from '../../utils/model';
import { findOracleUrn } from '../../utils/smart/oracle-errors';
import { LongCode } from './LongCode';

/** Decoded query/form parameters; URL-valued ones (`to=`, `redirect_uri`) open into their own table. */
export function ParamTable({
  params,
  caption,
  depth = 0,
  closed = false,
}: {
  params: readonly DecodedParam[];
  caption?: string;
  depth?: number;
  /** Nested URLs start closed at this level too (response headers: a Location is opened on demand). */
  closed?: boolean;
}) {
  if (params.length === 0) return <p className="sld-muted">No parameters.</p>;
  return (
    <table className="sld-params" data-depth={depth}>
      {caption && <caption>{caption}</caption>}
      {/* A fixed layout takes its widths from here: names narrow, values wide. */}
      <colgroup>
        <col className="sld-param-name-col" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {params.map((param, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: parameter names repeat; order is the URL's and fixed
          <ParamRow key={`${param.name}-${i}`} param={param} depth={depth} closed={closed} />
        ))}
      </tbody>
    </table>
  );
}

function ParamRow({ param, depth, closed }: { param: DecodedParam; depth: number; closed: boolean }) {
  // The first level of nesting is open: the interesting part of a session-api hop is inside `to=`.
  const [open, setOpen] = useState(depth === 0 && !closed);
  const count = param.nested?.params.filter((p) => p.name !== '' || !p.warnings).length ?? 0;
  const urn = param.nested && /%3A/i.test(param.value) ? findOracleUrn(param.value) : undefined;
  // A URL without parameters (an `aud`, an `iss`) is its value: nothing to open.
  const nested = count > 0 || param.nested?.params.length ? param.nested : undefined;
  return (
    <>
      <tr>
        <th scope="row" className="sld-param-name">
          {param.name === '' ? (
            // A pair without a name (`=x`), or the query's own warnings (too many parameters).
            <span className="sld-muted">{param.warnings && !param.value ? '(query)' : '(no name)'}</span>
          ) : (
            param.name
          )}
        </th>
        <td className="sld-param-value">
          {/* The value as sent, decoded: selectable, a URL's host case, userinfo and fragment included. */}
          {param.bare ? (
            <span className="sld-muted">(no value: the name alone, without =)</span>
          ) : (
            (param.value !== '' || !param.warnings) && <LongCode text={param.value} what="value" />
          )}
          {urn && (
            // Oracle's error pages carry their URN percent-encoded in the path: said readable.
            <div className="sld-muted">
              URN: <code>{urn}</code>
            </div>
          )}
          {nested && (
            <button
              type="button"
              className="sld-tree-toggle"
              aria-expanded={open}
              aria-label={`${open ? '▾' : '▸'} ${count} parameters of ${nested.base}`}
              onClick={() => setOpen(!open)}
            >
              {open ? '▾' : '▸'} {count} parameter{count === 1 ? '' : 's'}
            </button>
          )}
          {param.warnings?.map((w) => (
            <div key={w} className="sld-warning" role="note">
              ⚠ {w}
            </div>
          ))}
        </td>
      </tr>
      {nested && open && (
        // The nested table takes the whole width under its row, indented, not half of the value column:
        // a URL nested three or four deep stays readable.
        <tr className="sld-nested-row">
          <td colSpan={2}>
            <NestedUrl url={nested} depth={depth + 1} />
          </td>
        </tr>
      )}
    </>
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
