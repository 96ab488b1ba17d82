import type { DecodedUrl, Evidence, Finding, Fix, Launch, Severity, Step } from '../model';
import type { Scope } from '../smart/scopes';
import type { SmartConfig } from '../smart/smart-config';
import type { ParsedTokenBody } from '../smart/token-response';

/** Derived facts about one launch, computed once and shared by every rule. */
export interface RuleContext {
  now: number;
  /** False while the launch may still move on (recent activity); rules about what never happened wait. */
  settled: boolean;
  /**
   * Set when the browser closed (or crashed) while the launch could still move: the time of the last
   * event recorded before (ContextOptions.recordingEnds). What did not happen after may have happened
   * unrecorded.
   */
  cutAt?: number;
  /** true/false when the app's origin is known to be watched or not; undefined when unknown. */
  hasHostPermission(origin: string): boolean | undefined;
  /** The app's launch URL (`iss` [+ `launch`]) as the browser opened it. */
  launchUrl?: Step;
  /** The Code Console / EHR page that started the launch, when seen. */
  ehrStart?: Step;
  /** First step carrying authorize parameters, and those parameters. */
  authorize?: Step;
  authParams?: DecodedUrl;
  discovery?: Step;
  smartConfig?: SmartConfig;
  callbacks: Step[];
  tokens: Step[];
  /** The parsed body of each token step that has one, by exchange id. */
  tokenBodies: Map<string, ParsedTokenBody>;
  /** The first successful token step and its parsed response, when seen. */
  tokenSuccess?: { step: Step; body?: ParsedTokenBody };
  fhir: Step[];
  requested: Scope[];
  /**
   * Scopes from the token response; without its body, from the `scope` claim of the JWT access token a
   * FHIR request sent (then `grantedBy` is that request); undefined when neither was captured.
   */
  granted?: Scope[];
  grantedBy?: Step;
  /** The server's scopes_supported, parsed on first use. */
  supported(): Scope[] | undefined;
  /** Findings of the rules that ran before (fallback rules read them). */
  findings: Finding[];
}

export interface Rule {
  id: string;
  severity: Severity;
  title: string;
  detect(launch: Launch, ctx: RuleContext): Finding[];
}

export function finding(
  rule: Pick<Rule, 'id' | 'severity' | 'title'>,
  summary: string,
  evidence: Evidence[],
  fixes: Fix[] = [],
  override: Partial<Pick<Finding, 'severity' | 'title'>> = {},
): Finding {
  return {
    ruleId: rule.id,
    severity: override.severity ?? rule.severity,
    title: override.title ?? rule.title,
    summary,
    evidence,
    fixes,
  };
}

export function ev(label: string, value: string | number | boolean | undefined, step?: Step): Evidence {
  const text = value === undefined ? '(none)' : String(value);
  // One literal per shape: adding exchangeId afterwards would grow the object.
  return step ? { label, value: text, exchangeId: step.exchange.id } : { label, value: text };
}
