import type { CookieInfo } from '../../utils/session/types';

interface Props {
  cookies: CookieInfo[];
  caption: string;
  /** When given, each row gets a checkbox (for parent-domain cookies the user may opt in to removing). */
  selectable?: { selected: ReadonlySet<string>; onToggle: (id: string) => void };
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`;
}

/** Cookies by name, domain, partition and size. Values are never part of CookieInfo, so never shown. */
export function CookieList({ cookies, caption, selectable }: Props) {
  return (
    <table className="sld-cookies">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {selectable && (
            <th scope="col">
              <span className="sld-visually-hidden">Remove</span>
            </th>
          )}
          <th scope="col">Name</th>
          <th scope="col">Domain</th>
          <th scope="col">Size</th>
        </tr>
      </thead>
      <tbody>
        {cookies.map((c) => (
          <tr key={c.id}>
            {selectable && (
              <td>
                <input
                  type="checkbox"
                  aria-label={`Also remove ${c.name} (${c.domain})`}
                  checked={selectable.selected.has(c.id)}
                  onChange={() => selectable.onToggle(c.id)}
                />
              </td>
            )}
            <th scope="row">
              <code>{c.name}</code>
            </th>
            <td>
              {c.domain}
              {c.path !== '/' && <span className="sld-muted"> {c.path}</span>}
              {c.partitionSite && <span className="sld-muted"> (partitioned under {c.partitionSite})</span>}
            </td>
            <td>{formatBytes(c.size)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
