import type { RecorderHealth } from '../../utils/messages/launches';

/**
 * Says plainly when the recorder could not save launches (storage full or failing), or read the stored
 * ones. Stays until a later write (or read) succeeds; the background announces both.
 */
export function RecorderHealthBanner({ health }: { health: RecorderHealth | undefined }) {
  const error = health?.writeError;
  if (!error) return null;
  const since = new Date(error.at).toLocaleTimeString();
  return (
    <p className="sld-notice" data-kind="error" role="alert">
      {error.kind === 'load' ? (
        <>
          {error.message}. The launches stored before cannot be shown until they can be read; events recorded
          since {since} are kept and added then (reading is tried again with each new event). Nothing stored
          is overwritten meanwhile.
        </>
      ) : error.kind === 'journal' ? (
        <>
          {error.message}. Since {since}, events are saved to the log a moment after they arrive instead of at
          once: one that arrives just as the browser stops the extension's background could be lost. Session
          storage is small (10 MB) and also holds the copy <em>Keep secrets</em> makes; turning it off frees
          that space.
        </>
      ) : (
        <>
          {error.message}. Launches recorded since {since} may not be kept when the browser closes; free some
          disk space or delete old launches.
        </>
      )}
    </p>
  );
}
