import { CelScalar, celFunc, celMethod, objectType, type CelFunc } from '@bufbuild/cel';
import {
  create,
  createFileRegistry,
  type DescField,
  type DescMessage,
  type Registry,
} from '@bufbuild/protobuf';
import { reflect, type ReflectMessage } from '@bufbuild/protobuf/reflect';
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorProtoSchema,
} from '@bufbuild/protobuf/wkt';
import {
  formatIpAddress,
  maskAddress,
  parseIpAddress,
  parseIpPrefix,
  prefixContains,
  unmapIpv4,
  type IpAddress,
  type IpPrefix,
} from './ip-address';

/**
 * The CEL network extension (`ip()`, `cidr()`, `isIP()`, `ip.isCanonical()`, `net.IP`/`net.CIDR` methods) as the
 * cel-spec conformance file network_ext.textproto describes it, with Go `netip` semantics. Cloud Armor itself only
 * offers `inIpRange`; this shares its address parsing and lets the conformance suite check it. The two types are
 * protobuf messages built at run time, because @bufbuild/cel represents custom types as messages.
 */
const { BOOL, INT, STRING } = CelScalar;
const BYTES = FieldDescriptorProto_Type.BYTES;
const INT32 = FieldDescriptorProto_Type.INT32;
const OPTIONAL = FieldDescriptorProto_Label.OPTIONAL;

export const networkExtensionRegistry: Registry = createFileRegistry(
  create(FileDescriptorProtoSchema, {
    name: 'gke_emulator/cel/net.proto',
    package: 'net',
    syntax: 'proto3',
    messageType: [
      { name: 'IP', field: [{ name: 'addr', jsonName: 'addr', number: 1, type: BYTES, label: OPTIONAL }] },
      {
        name: 'CIDR',
        field: [
          { name: 'addr', jsonName: 'addr', number: 1, type: BYTES, label: OPTIONAL },
          { name: 'prefix', jsonName: 'prefix', number: 2, type: INT32, label: OPTIONAL },
        ],
      },
    ],
  }),
  () => undefined,
);

function message(name: string): { desc: DescMessage; addr: DescField; prefix: DescField | undefined } {
  const desc = networkExtensionRegistry.getMessage(name);
  const addr = desc?.fields.find((f) => f.name === 'addr');
  if (!desc || !addr) throw new Error(`missing ${name} descriptor`);
  return { desc, addr, prefix: desc.fields.find((f) => f.name === 'prefix') };
}

const IP = message('net.IP');
const CIDR = message('net.CIDR');
const IP_TYPE = objectType(IP.desc);
const CIDR_TYPE = objectType(CIDR.desc);

// Error texts of cel-go's ext/network.go as quoted by the conformance file.
function checkAddress(address: IpAddress | null, text: string, what: 'IP Address' | 'CIDR'): IpAddress {
  if (address === null) {
    throw new Error(
      what === 'CIDR'
        ? `CIDR '${text}' network address parse error during conversion from string`
        : `IP Address '${text}' parse error during conversion from string`,
    );
  }
  if (address.zone !== '') throw new Error(`${what} with zone value is not allowed`);
  // `::ffff:1.2.3.4` is refused; the hex spelling `::ffff:c0a8:1` is accepted and equals 192.168.0.1.
  if (address.dottedTail && unmapIpv4(address).family === 4) {
    throw new Error('IPv4-mapped IPv6 address is not allowed');
  }
  return unmapIpv4(address);
}

function parseIp(text: string): IpAddress {
  return checkAddress(parseIpAddress(text), text, 'IP Address');
}

function parseCidr(text: string): IpPrefix {
  const prefix = parseIpPrefix(text);
  const address = checkAddress(prefix?.address ?? parseIpAddress(text.split('/')[0] ?? ''), text, 'CIDR');
  if (!prefix) throw new Error(`CIDR '${text}' network address parse error during conversion from string`);
  // A hex-spelled IPv4-mapped prefix (::ffff:c0a8:0/120) becomes the IPv4 prefix it covers (192.168.0.0/24).
  const mapped = address.family === 4 && prefix.address.family === 6;
  if (mapped && prefix.prefixLength < 96)
    return { address: prefix.address, prefixLength: prefix.prefixLength };
  return { address, prefixLength: prefix.prefixLength - (mapped ? 96 : 0) };
}

function ipValue(address: IpAddress): ReflectMessage {
  const value = reflect(IP.desc);
  value.set(IP.addr, address.bytes);
  return value;
}

function cidrValue(prefix: IpPrefix): ReflectMessage {
  const value = reflect(CIDR.desc);
  value.set(CIDR.addr, prefix.address.bytes);
  if (CIDR.prefix) value.set(CIDR.prefix, prefix.prefixLength);
  return value;
}

function addressOf(value: ReflectMessage, field: DescField): IpAddress {
  const bytes = value.get(field);
  if (!(bytes instanceof Uint8Array)) throw new Error('malformed address value');
  return { family: bytes.length === 4 ? 4 : 6, bytes, zone: '', dottedTail: false };
}

function prefixOf(value: ReflectMessage): IpPrefix {
  const length = CIDR.prefix ? value.get(CIDR.prefix) : 0;
  return { address: addressOf(value, CIDR.addr), prefixLength: typeof length === 'number' ? length : 0 };
}

function isIp(text: string): boolean {
  try {
    parseIp(text);
    return true;
  } catch {
    return false;
  }
}

function byte(address: IpAddress, i: number): number {
  return address.bytes[i] ?? 0;
}

const isUnspecified = (a: IpAddress): boolean => a.bytes.every((b) => b === 0);
const isLoopback = (a: IpAddress): boolean =>
  a.family === 4 ? byte(a, 0) === 127 : a.bytes.every((b, i) => b === (i === 15 ? 1 : 0));
const isMulticast = (a: IpAddress): boolean =>
  a.family === 4 ? byte(a, 0) >> 4 === 0xe : byte(a, 0) === 0xff;
const isLinkLocalUnicast = (a: IpAddress): boolean =>
  a.family === 4 ? byte(a, 0) === 169 && byte(a, 1) === 254 : byte(a, 0) === 0xfe && byte(a, 1) >> 6 === 2;
const isLinkLocalMulticast = (a: IpAddress): boolean =>
  a.family === 4
    ? byte(a, 0) === 224 && byte(a, 1) === 0 && byte(a, 2) === 0
    : byte(a, 0) === 0xff && (byte(a, 1) & 0x0f) === 0x02;
const isBroadcast = (a: IpAddress): boolean => a.family === 4 && a.bytes.every((b) => b === 0xff);
const isGlobalUnicast = (a: IpAddress): boolean =>
  !isUnspecified(a) && !isLoopback(a) && !isMulticast(a) && !isLinkLocalUnicast(a) && !isBroadcast(a);

function ipPredicate(name: string, test: (a: IpAddress) => boolean): CelFunc {
  return celMethod(name, IP_TYPE, [], BOOL, function () {
    return test(addressOf(this, IP.addr));
  });
}

function containsCidr(outer: IpPrefix, inner: IpPrefix): boolean {
  return inner.prefixLength >= outer.prefixLength && prefixContains(outer, inner.address);
}

export const networkExtensionFuncs: readonly CelFunc[] = [
  celFunc('ip', [STRING], IP_TYPE, (text) => ipValue(parseIp(text))),
  celFunc('cidr', [STRING], CIDR_TYPE, (text) => cidrValue(parseCidr(text))),
  celFunc('isIP', [STRING], BOOL, isIp),
  celFunc('ip.isCanonical', [STRING], BOOL, (text) => {
    // Canonical = what Go's netip prints back (RFC 5952 for IPv6).
    return formatIpAddress(parseIp(text)) === text;
  }),
  celFunc('string', [IP_TYPE], STRING, (value) => formatIpAddress(addressOf(value, IP.addr))),
  celFunc('string', [CIDR_TYPE], STRING, (value) => {
    const prefix = prefixOf(value);
    return `${formatIpAddress(prefix.address)}/${prefix.prefixLength}`;
  }),
  celMethod('family', IP_TYPE, [], INT, function () {
    return BigInt(addressOf(this, IP.addr).family);
  }),
  ipPredicate('isUnspecified', isUnspecified),
  ipPredicate('isLoopback', isLoopback),
  ipPredicate('isGlobalUnicast', isGlobalUnicast),
  ipPredicate('isLinkLocalMulticast', isLinkLocalMulticast),
  ipPredicate('isLinkLocalUnicast', isLinkLocalUnicast),
  celMethod('containsIP', CIDR_TYPE, [IP_TYPE], BOOL, function (ip) {
    return prefixContains(prefixOf(this), addressOf(ip, IP.addr));
  }),
  celMethod('containsIP', CIDR_TYPE, [STRING], BOOL, function (text) {
    return prefixContains(prefixOf(this), parseIp(text));
  }),
  celMethod('containsCIDR', CIDR_TYPE, [CIDR_TYPE], BOOL, function (other) {
    return containsCidr(prefixOf(this), prefixOf(other));
  }),
  celMethod('containsCIDR', CIDR_TYPE, [STRING], BOOL, function (text) {
    return containsCidr(prefixOf(this), parseCidr(text));
  }),
  celMethod('ip', CIDR_TYPE, [], IP_TYPE, function () {
    return ipValue(prefixOf(this).address);
  }),
  celMethod('masked', CIDR_TYPE, [], CIDR_TYPE, function () {
    const prefix = prefixOf(this);
    return cidrValue({ ...prefix, address: maskAddress(prefix.address, prefix.prefixLength) });
  }),
  celMethod('prefixLength', CIDR_TYPE, [], INT, function () {
    return BigInt(prefixOf(this).prefixLength);
  }),
];
