import net from 'node:net';
import { Failure } from '../failure';

/** Loopback only: what the serialization service accepts until the station names its line networks. */
export const DEFAULT_ALLOW = ['127.0.0.0/8', '::1/128'];

export interface AllowList {
  allows(address: string | undefined): boolean;
}

/** Source networks as CIDR (`10.1.2.0/24`, `127.0.0.1/32`, `fd00::/8`); a bare address is one host. */
export function createAllowList(cidrs: readonly string[]): AllowList {
  const list = new net.BlockList();
  for (const entry of cidrs) {
    const [addr = '', bits] = entry.trim().split('/');
    const type = net.isIPv4(addr) ? 'ipv4' : net.isIPv6(addr) ? 'ipv6' : null;
    const max = type === 'ipv4' ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (!type || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new Failure(
        'validation',
        `"${entry}" is not a network: write it like 10.1.2.0/24 or 127.0.0.1/32.`,
        {
          field: 'allow',
        },
      );
    }
    list.addSubnet(addr, prefix, type);
  }
  return {
    allows(address) {
      if (!address) return false;
      // IPv4 clients of a dual-stack socket arrive as ::ffff:a.b.c.d
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
      const plain = mapped ? mapped[1]! : address;
      if (net.isIPv4(plain)) return list.check(plain, 'ipv4');
      if (net.isIPv6(plain)) return list.check(plain, 'ipv6');
      return false;
    },
  };
}
