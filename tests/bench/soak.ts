export async function benchSoak() {
  return undefined;
}
