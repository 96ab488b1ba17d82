import type { RecorderHealth } from '../../utils/messages/launches';

/**
 * Says plainly when the recorder could not save launches (storage full or failing). Stays until a later
 * write succeeds; the background announces both.
 */
export function RecorderHealthBanner({ health }: { health: RecorderHealth | undefined }) {
  const error = health?.writeError;
  if (!error) return null;
  return (
    <p className="sld-notice" data-kind="error" role="alert">
      {error.message}. Launches recorded since {new Date(error.at).toLocaleTimeString()} may not be kept when
      the browser closes; free some disk space or delete old launches.
    </p>
  );
}
