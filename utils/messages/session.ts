import { z } from 'zod';
import { defineMessage } from './define';

/** Messages of the clear-session feature. */
export const sessionMessages = {
  'session/plan': defineMessage<unknown>()(z.object({ origin: z.string().url() }).strict()),
};
