import { urlLengthOf } from '../../utils/capture/bounds';
import { stepLabel } from '../../utils/launch/step-label';
import type { Step } from '../../utils/model';
import { collectWarnings, decodeUrl } from '../../utils/url';
import { LongCode } from './LongCode';
import { ParamTable } from './ParamTable';

/** A Location with parameters to read (a query, or a fragment response). */
const LOCATION_WITH_QUERY = /[?#][^=]*=/;

/** An authorization response in the fragment, which analysis reads as the query (utils/launch/classify.ts). */
const FRAGMENT_PARAMS = /#(?=(?:[^#]*[&?])?state=)(?=(?:[^#]*[&?])?(?:code|error|access_token)=)/;

/** Everything known about one step: URL, rewrite, decoded parameters, form fields, headers, body. */
export function StepDetail({ step, unanswered = false }: { step: Step; unanswered?: boolean }) {
  const { exchange } = step;
  const form = Object.entries(exchange.form ?? {}).flatMap(([name, values]) =>
    values.map((value) => ({ name, value })),
  );
  const headers = Object.entries(exchange.responseHeaders);
  const ids = stepLabel(step).title;
  const nested = step.decoded ? collectWarnings(step.decoded).filter((w) => w.includes(' › ')) : [];
  return (
    <div className="sld-step-detail">
      {ids && (
        <p className="sld-step-ids sld-muted">
          <code>{ids}</code>
        </p>
      )}
      <p className="sld-url">
        <LongCode text={exchange.url} what="URL">
          {step.decoded && <span className="sld-muted"> ({urlLengthOf(exchange.url)} characters)</span>}
        </LongCode>
      </p>
      {exchange.rewrittenFrom && (
        <p className="sld-rewritten-note">
          Rewritten by the extension from <code>{exchange.rewrittenFrom}</code>
        </p>
      )}
      {exchange.error && <p className="sld-error-text">Network error: {exchange.error}</p>}
      {exchange.partial && (
        <p className="sld-muted">Partly captured: the page that sent it is outside the watched hosts.</p>
      )}
      {unanswered && !exchange.inferred && (
        <p className="sld-muted">
          No answer was recorded for this request: its answer did not reach the extension (its background
          worker was stopped as it came), or the request never ended.
        </p>
      )}
      {exchange.inferred && (
        <p className="sld-muted">
          Known from the previous hop’s redirect only: the browser’s own events for this request did not reach
          the extension (its background worker was stopped as they were sent), so its status and headers are
          unknown.
        </p>
      )}
      {nested.length > 0 && (
        // Warnings inside nested URLs, whose tables start closed from the second level: said up front.
        <div className="sld-warning" role="note">
          ⚠ In nested URLs:
          <ul className="sld-nested-warnings">
            {nested.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      )}
      <ParamTable
        params={step.decoded?.params ?? []}
        caption={
          // An authorization response in the fragment (#code=…&state=…) is read with the query.
          FRAGMENT_PARAMS.test(exchange.url) ? 'Query and fragment (#) parameters' : 'Query parameters'
        }
      />
      {form.length > 0 && <ParamTable params={form} caption="Form fields" />}
      {exchange.requestCookies && (
        <p>
          Cookies sent: {exchange.requestCookies.count} ({exchange.requestCookies.bytes} bytes):{' '}
          {exchange.requestCookies.names.join(', ')}
        </p>
      )}
      {headers.length > 0 && (
        <ParamTable
          params={headers.map(([name, value]) =>
            // A redirect's target opens into its parameters like a URL-valued parameter: when the next
            // hop was not recorded, it is the only decoded copy.
            name === 'location' && LOCATION_WITH_QUERY.test(value)
              ? { name, value, nested: decodeUrl(value) }
              : { name, value },
          )}
          caption="Response headers"
          closed
        />
      )}
      {exchange.body && (
        <details>
          <summary>Response body{exchange.body.truncated ? ' (truncated)' : ''}</summary>
          <pre className="sld-body">{exchange.body.text}</pre>
        </details>
      )}
    </div>
  );
}
