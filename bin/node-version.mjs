/** The Node.js versions this project runs on; checked before anything else loads. */
export const REQUIRED_NODE = '20.19';

/**
 * @param {string} version process.versions.node, e.g. "20.19.2"
 * @returns {string | undefined} a one-line message when the version is too old, else undefined
 */
export function nodeVersionProblem(version) {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [needMajor, needMinor] = REQUIRED_NODE.split('.').map(Number);
  if (major > needMajor || (major === needMajor && minor >= needMinor)) return undefined;
  return `smart-launch-debugger needs Node.js ${REQUIRED_NODE} or newer (22 LTS recommended); this is Node.js ${version}. Install a newer Node (e.g. nvm install 22) and run npm ci again.`;
}
