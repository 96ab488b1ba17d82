import { LAUNCHES_CHANGED, type LaunchesChanged, type PushedChanges, type RecorderHealth } from './launches';

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

/** The summary changes a notice carries, when they have the shape of some (else the page reads). */
function pushedChanges(notice: LaunchesChanged): PushedChanges | undefined {
  const c = notice.changes as Partial<PushedChanges> | undefined;
  if (
    typeof c === 'object' &&
    c !== null &&
    typeof c.epoch === 'string' &&
    Number.isInteger(c.from) &&
    Number.isInteger(c.version) &&
    typeof c.full === 'boolean' &&
    Array.isArray(c.upserted) &&
    Array.isArray(c.removed) &&
    (c.order === undefined || Array.isArray(c.order))
  ) {
    return c as PushedChanges;
  }
  return undefined;
}

/**
 * Listens for the background's `launches/changed` notices (pushed after every stored change), from this
 * extension only, and never answers them. `onChange` gets the health and, when the notice carries them,
 * the summaries' changes. Returns the unsubscribe.
 */
export function subscribeToLaunches(
  runtime: NoticeSource,
  onChange: (health: RecorderHealth, changes?: PushedChanges) => void,
): () => void {
  const listener = (message: unknown, sender: { id?: string }): undefined => {
    if (sender.id === runtime.id && isChangeNotice(message)) onChange(message.health, pushedChanges(message));
    return undefined;
  };
  runtime.onMessage.addListener(listener);
  return () => runtime.onMessage.removeListener(listener);
}
