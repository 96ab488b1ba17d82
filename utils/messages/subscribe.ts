import { LAUNCHES_CHANGED, type LaunchesChanged, type RecorderHealth } from './launches';

/** The part of `runtime` a page needs to hear the background's change notices. */
export interface NoticeSource {
  id: string;
  onMessage: {
    addListener(listener: (message: unknown, sender: { id?: string }) => undefined): void;
    removeListener(listener: (message: unknown, sender: { id?: string }) => undefined): void;
  };
}

function isChangeNotice(message: unknown): message is LaunchesChanged {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as LaunchesChanged).type === LAUNCHES_CHANGED &&
    typeof (message as LaunchesChanged).health === 'object'
  );
}

/**
 * Listens for the background's `launches/changed` notices (pushed after every stored change), from this
 * extension only, and never answers them. Returns the unsubscribe.
 */
export function subscribeToLaunches(
  runtime: NoticeSource,
  onChange: (health: RecorderHealth) => void,
): () => void {
  const listener = (message: unknown, sender: { id?: string }): undefined => {
    if (sender.id === runtime.id && isChangeNotice(message)) onChange(message.health);
    return undefined;
  };
  runtime.onMessage.addListener(listener);
  return () => runtime.onMessage.removeListener(listener);
}
