import { type FactSection, type ScopeSetDiff, withEquivalent } from '../../utils/compare';

/** The facts analysis read from each launch, one table per part of the flow; differing rows marked. */
export function FactTables({ sections, a, b }: { sections: readonly FactSection[]; a: string; b: string }) {
  return (
    <>
      {sections.map((s) => (
        <table key={s.title} className="sld-cmp-table">
          <caption>{s.title}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="sld-visually-hidden">Fact</span>
              </th>
              <th scope="col">{a}</th>
              <th scope="col">{b}</th>
            </tr>
          </thead>
          <tbody>
            {s.rows.map((r) => (
              <tr key={r.label} data-differs={r.differs || undefined}>
                <th scope="row">
                  {r.label}
                  {r.differs && (
                    <>
                      <span aria-hidden="true"> ≠</span>
                      <span className="sld-visually-hidden"> (differs)</span>
                    </>
                  )}
                </th>
                <td>{r.a}</td>
                <td>{r.b}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}

function ScopeList({ title, items }: { title: string; items: string[] }) {
  if (!items.length) return null;
  return (
    <details>
      <summary>
        {title} ({items.length})
      </summary>
      <ul className="sld-cmp-scopes">
        {items.map((s) => (
          <li key={s}>
            <code>{s}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Requested scopes as a set difference; `.read` and `.rs` of the same resource count as one. */
export function ScopeDiffList({ diff, a, b }: { diff: ScopeSetDiff; a: string; b: string }) {
  if (!diff.onlyA.length && !diff.onlyB.length && !diff.respelt.length) return null;
  return (
    <section aria-label="Requested scopes compared" className="sld-cmp-scopediff">
      <h4>Requested scopes</h4>
      <ScopeList title={`Only ${a}`} items={diff.onlyA.map(withEquivalent)} />
      <ScopeList title={`Only ${b}`} items={diff.onlyB.map(withEquivalent)} />
      <ScopeList
        title="Same permission, spelt differently"
        items={diff.respelt.map((p) => `${p.a.raw} ≈ ${p.b.raw}`)}
      />
    </section>
  );
}
