/** The one way to turn anything thrown into text for a message or a notice. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
