import { createProtocolClient } from '../../utils/messages';

export interface OptionsPlatform {
  call: ReturnType<typeof createProtocolClient>;
  /** Must be called synchronously from a click: the browser only shows the prompt for a user gesture. */
  requestHostPermissions(origins: string[]): Promise<boolean>;
}

export function browserPlatform(): OptionsPlatform {
  return {
    call: createProtocolClient((envelope) => browser.runtime.sendMessage(envelope)),
    requestHostPermissions: (origins) => browser.permissions.request({ origins }),
  };
}
