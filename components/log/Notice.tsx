export interface NoticeValue {
  kind: 'info' | 'error';
  text: string;
  /**
   * What a failure notice is about, when a later success takes it away: a read of the launch list
   * (`load`) or of the strip rule (`rule-read`); `relaunch`: a relaunch after a fix, which the log goes on
   * to follow (what it came to is added to the text).
   */
  about?: 'load' | 'rule-read' | 'relaunch';
}

/** A dismissible message: errors interrupt (role alert), the rest are announced politely. */
export function Notice({ notice, onDismiss }: { notice?: NoticeValue; onDismiss: () => void }) {
  return (
    <div className="sld-notice-slot" role={notice?.kind === 'error' ? 'alert' : 'status'}>
      {notice && (
        <p className="sld-notice" data-kind={notice.kind}>
          {notice.text}{' '}
          <button type="button" className="sld-link" onClick={onDismiss} aria-label="Dismiss message">
            ✕
          </button>
        </p>
      )}
    </div>
  );
}
