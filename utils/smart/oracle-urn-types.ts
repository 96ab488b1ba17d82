/** One catalogue entry: a short title, the cause in plain words, and what to do about it. */
export type UrnEntry = [title: string, explanation: string, fix: string];
