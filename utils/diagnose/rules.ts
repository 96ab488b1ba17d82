import { forceAuthnSession } from './rules/force-authn-session';
import { requestTooLarge } from './rules/request-too-large';
import { unexplainedFailure } from './rules/unexplained-failure';
import type { Rule } from './types';

/**
 * Every diagnosis rule, in the order they run. Specific rules first; `unexplained-failure` last
 * because it only speaks when nothing before it explained the failing step.
 */
export const RULES: readonly Rule[] = [forceAuthnSession, requestTooLarge, unexplainedFailure];
