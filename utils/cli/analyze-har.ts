/**
 * The CLI's analysis: the same engine as the extension's HAR import (importHar, then analyze) on the text
 * of a HAR file. Pure: reading the file and printing are the caller's.
 */
import { importHar, noSmartLaunch } from '../har/import';
import { analyze } from '../launch/analyze';
import { type AnalysisSummary, summarize } from './summary';

export function analyzeHarText(text: string, fileName: string): AnalysisSummary {
  const launches = analyze(importHar(text, fileName, 'cli'));
  if (launches.length === 0) throw noSmartLaunch(fileName);
  return summarize(fileName, launches);
}
