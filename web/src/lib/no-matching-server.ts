import type { ServerEntry } from './config-schema';
import type { LaunchProblem } from './explain';

/** An EHR launched the companion with an iss that no configuration entry (for this origin) accepts. */
export function noMatchingServer(iss: string, origin: string, servers: ServerEntry[]): LaunchProblem {
  const describe = (s: ServerEntry) =>
    `${s.id}: ${typeof s.issMatch === 'string' ? s.issMatch : `/${s.issMatch.regex}/${s.issMatch.flags ?? ''}`}${
      s.origins ? ` (only on ${s.origins.join(', ')})` : ''
    }`;
  return {
    kind: 'no-config',
    title: 'No configuration for this FHIR server',
    summary: `The EHR launched the companion with iss=${iss}, but no entry in servers.json matches it on ${origin}.`,
    causes: [
      'The app is registered on this server, but servers.json has no entry (or a too narrow issMatch) for it.',
    ],
    fixes: [
      'Add an entry whose issMatch fits this iss, with the client id the server registered for the companion.',
    ],
    details: [
      { label: 'iss', value: iss },
      { label: 'origin', value: origin },
      { label: 'configured issMatch', value: servers.map(describe).join('\n') },
    ],
  };
}
