import { z } from 'zod';
import type { Launch } from '../model';
import { defineMessage } from './define';

/** Messages of the launch recorder and log. */
export const launchMessages = {
  'launches/list': defineMessage<Launch[]>()(z.object({}).strict()),
};
