import { rowDiverges, type StepCell, type StepRow } from '../../utils/compare';

function Cell({ cell }: { cell: StepCell | undefined }) {
  // "not seen" rather than "not reached": a step on an origin the extension does not watch is invisible.
  if (!cell) return <td className="sld-muted">not seen</td>;
  return (
    <td data-failed={cell.failed || undefined}>
      {cell.count > 1 && `${cell.count}× `}
      {cell.statuses.join(', ')}
      {cell.failedHere ? ' ✗ failed here' : cell.failed ? ' ✗' : ''}
    </td>
  );
}

/** Both launches' steps aligned by kind: which each reached, and with what status. */
export function StepTable({ rows, a, b }: { rows: readonly StepRow[]; a: string; b: string }) {
  return (
    <table className="sld-cmp-table">
      <caption>Steps by kind</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">{a}</th>
          <th scope="col">{b}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const differs = rowDiverges(r);
          return (
            <tr key={r.kind} data-differs={differs || undefined}>
              <th scope="row">
                {r.kind}
                {differs && <span className="sld-visually-hidden"> (differs)</span>}
              </th>
              <Cell cell={r.a} />
              <Cell cell={r.b} />
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
