/** A host name or address of this machine's loopback interface (`localhost`, `127.x.x.x`, `::1`, IPv4-mapped too). */
export function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const h = host.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
