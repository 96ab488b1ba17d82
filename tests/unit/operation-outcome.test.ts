import { describe, expect, it } from 'vitest';
import { outcomeIssues, outcomeIssuesOfText } from '../../utils/smart/operation-outcome';

describe('OperationOutcome text, as the log and the companion read it', () => {
  it('each issue: diagnostics, else details.text, else its code; joined', () => {
    expect(
      outcomeIssues({
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'error', code: 'forbidden', diagnostics: ' Break-the-glass required ' },
          { severity: 'error', code: 'security', details: { text: 'Patient is restricted' } },
          { severity: 'warning', code: 'throttled' },
        ],
      }),
    ).toBe('Break-the-glass required; Patient is restricted; throttled');
  });

  it('says nothing for other resources, empty issues, or values that are not text', () => {
    expect(outcomeIssues({ resourceType: 'Patient' })).toBeUndefined();
    expect(outcomeIssues({ resourceType: 'OperationOutcome', issue: [] })).toBeUndefined();
    expect(outcomeIssues({ resourceType: 'OperationOutcome', issue: 'x' })).toBeUndefined();
    expect(
      outcomeIssues({ resourceType: 'OperationOutcome', issue: [null, { diagnostics: 4 }] }),
    ).toBeUndefined();
    expect(outcomeIssues(null)).toBeUndefined();
  });

  it('from a recorded body: JSON only, never throws', () => {
    const body = JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ diagnostics: 'Down' }] });
    expect(outcomeIssuesOfText(body)).toBe('Down');
    expect(outcomeIssuesOfText('<OperationOutcome xmlns="http://hl7.org/fhir"/>')).toBeUndefined();
    expect(outcomeIssuesOfText('{"resourceType":"OperationOutcome",')).toBeUndefined();
    expect(outcomeIssuesOfText(undefined)).toBeUndefined();
  });
});
