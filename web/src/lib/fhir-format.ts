/** Display helpers for the few FHIR datatypes the companion shows. */

export interface HumanName {
  use?: string;
  text?: string;
  family?: string;
  given?: string[];
  prefix?: string[];
}

export interface Identifier {
  use?: string;
  system?: string;
  value?: string;
  type?: { text?: string; coding?: Array<{ code?: string; display?: string }> };
}

export function formatName(names: HumanName[] | undefined): string | undefined {
  if (!names?.length) return undefined;
  const n = names.find((x) => x.use === 'official') ?? names.find((x) => x.use === 'usual') ?? names[0]!;
  if (n.text?.trim()) return n.text.trim();
  const parts = [...(n.given ?? []), n.family].filter((p): p is string => !!p?.trim());
  return parts.length ? parts.join(' ') : undefined;
}

/** `MRN 12345`: the type's text/display/code, else the system, then the value. */
export function formatIdentifier(ids: Identifier[] | undefined): string | undefined {
  const id = ids?.find((i) => i.value && i.use === 'usual') ?? ids?.find((i) => i.value);
  if (!id?.value) return undefined;
  const label = id.type?.text ?? id.type?.coding?.[0]?.display ?? id.type?.coding?.[0]?.code ?? id.system;
  return label ? `${label} ${id.value}` : id.value;
}

/** Whole seconds left, formatted `9:30` (or `expired`). */
export function formatCountdown(secondsLeft: number): string {
  if (secondsLeft <= 0) return 'expired';
  const m = Math.floor(secondsLeft / 60);
  const s = Math.floor(secondsLeft % 60);
  return `${m}:${String(s).padStart(2, '0')}`;
}
