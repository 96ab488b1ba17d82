import type { LaunchStatus } from '../../utils/model';
import { STATUS_TEXT } from './format';
import './status.css';

const GLYPH: Record<LaunchStatus, string> = {
  succeeded: '✓',
  authorized: '➜',
  failed: '✕',
  cancelled: '⊘',
  // Not U+23F8 (⏸): many Linux installs have no font with it, and it drew as an empty box.
  abandoned: '‖',
  'in-progress': '…',
};

/** Status glyph with a text alternative, coloured through CSS by data-status (status.css). */
export function StatusIcon({ status, decorative }: { status: LaunchStatus; decorative?: boolean }) {
  // Beside words that say the status, the glyph is decoration: a name would repeat them.
  if (decorative)
    return (
      <span className="sld-status-icon" data-status={status} aria-hidden="true">
        {GLYPH[status]}
      </span>
    );
  return (
    <span className="sld-status-icon" data-status={status} role="img" aria-label={STATUS_TEXT[status]}>
      {GLYPH[status]}
    </span>
  );
}
