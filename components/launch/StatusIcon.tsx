import type { LaunchStatus } from '../../utils/model';
import { STATUS_TEXT } from './format';
import './status.css';

const GLYPH: Record<LaunchStatus, string> = {
  succeeded: '✓',
  authorized: '➜',
  failed: '✕',
  cancelled: '⊘',
  abandoned: '⏸',
  'in-progress': '…',
};

/** Status glyph with a text alternative, coloured through CSS by data-status (status.css). */
export function StatusIcon({ status }: { status: LaunchStatus }) {
  return (
    <span className="sld-status-icon" data-status={status} role="img" aria-label={STATUS_TEXT[status]}>
      {GLYPH[status]}
    </span>
  );
}
