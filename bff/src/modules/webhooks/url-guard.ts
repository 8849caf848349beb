import { BlockList, isIP } from 'node:net'
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { AppError } from '../../errors'

/**
 * SSRF guard for the URLs property companies give us. https only; no private, loopback, link-local,
 * unique-local, CGNAT, unspecified, multicast or reserved addresses. Checked when a URL is set, and again at
 * delivery time on every address the name resolves to, inside the connection's own lookup (so the address
 * checked is the address connected to: no DNS-rebinding window). Local development may switch it off with
 * WEBHOOK_ALLOW_PRIVATE_URLS=true (refused in production by config).
 */
const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", incl. 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. 255.255.255.255
] as const)
  blocked.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID…)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  blocked.addSubnet(net, prefix, 'ipv6')

/** the IPv4 address embedded in an IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address */
function embeddedIpv4(ip: string): string | null {
  const lower = ip.toLowerCase()
  const dotted = /^(?:::ffff:(?:0:)?|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (dotted) return dotted[1]!
  const hex = /^(?:::ffff:(?:0:)?|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower)
  if (hex) {
    const hi = parseInt(hex[1]!, 16)
    const lo = parseInt(hex[2]!, 16)
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  }
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/.exec(lower)
  if (sixToFour) {
    const hi = parseInt(sixToFour[1]!, 16)
    const lo = parseInt(sixToFour[2]!, 16)
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  }
  return null
}

/** True for any address a webhook must not reach (unparseable counts as private). */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  const family = isIP(ip)
  if (family === 4) return blocked.check(ip, 'ipv4')
  if (family === 6) {
    const v4 = embeddedIpv4(ip)
    if (v4) return isIP(v4) !== 4 || blocked.check(v4, 'ipv4')
    return blocked.check(ip, 'ipv6')
  }
  return true
}

const refused = (message: string) => new AppError('WEBHOOK_URL_REFUSED', message)

/** Syntax and literal-address checks (no DNS). Returns the parsed URL. */
export function checkUrlSyntax(raw: string, allowPrivate: boolean): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw refused('not a valid URL')
  }
  if (raw.length > 1000) throw refused('URL longer than 1000 characters')
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw refused('the URL must use https')
  if (url.username || url.password) throw refused('credentials in the URL are not allowed')
  if (url.hash) throw refused('the URL must not have a fragment')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (!allowPrivate && isIP(host) && isPrivateAddress(host))
    throw refused(`${host} is a private, loopback or reserved address`)
  return url
}

/** Names that are local by convention (refused even if they happen to resolve publicly now). */
const LOCAL_NAME = /(^|\.)(localhost|local|internal|intranet|lan|localdomain|home\.arpa)\.?$/i

export function lookupAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  )
}

/** When a URL is set: syntax, then every address the host resolves to now must be public. */
export async function checkOutboundUrl(raw: string, allowPrivate: boolean): Promise<string> {
  const url = checkUrlSyntax(raw, allowPrivate)
  if (allowPrivate) return url.toString()
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host)) return url.toString()
  let addresses: LookupAddress[]
  try {
    addresses = await lookupAll(host)
  } catch (err) {
    throw refused(`${host} does not resolve (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  const bad = addresses.find((a) => isPrivateAddress(a.address))
  if (addresses.length === 0 || bad)
    throw refused(`${host} resolves to ${bad?.address ?? 'nothing'}, a private, loopback or reserved address`)
  if (!host.replace(/\.$/, '').includes('.') || LOCAL_NAME.test(host))
    throw refused(`${host} is not a public host name`)
  return url.toString()
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/**
 * A `lookup` for http(s).request: resolves every address and refuses the connection if ANY is private, so
 * a name that flips to 127.0.0.1 between our check and the connect (DNS rebinding) cannot get through.
 */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean; family?: number } | number,
  callback: LookupCallback,
): void {
  const wantAll = typeof options === 'object' && options.all === true
  dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
    if (err) return callback(err, wantAll ? [] : '', 0)
    const bad = addresses.find((a) => isPrivateAddress(a.address))
    if (addresses.length === 0 || bad) {
      const e = new Error(
        `refused: ${hostname} resolves to ${bad?.address ?? 'nothing'}, a private or reserved address`,
      ) as NodeJS.ErrnoException
      e.code = 'EWEBHOOKPRIVATE'
      return callback(e, wantAll ? [] : '', 0)
    }
    if (wantAll) return callback(null, addresses)
    const family = typeof options === 'number' ? options : options.family
    const pick = addresses.find((a) => !family || a.family === family) ?? addresses[0]!
    callback(null, pick.address, pick.family)
  })
}
