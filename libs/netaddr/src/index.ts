export { IPV4_ADDRESS_COUNT, IPV4_MAX, formatIpv4, isIpv4Number, parseIpv4 } from './ipv4-address';
export {
  type Cidr,
  type CidrParseFailure,
  type CidrParseResult,
  blockSize,
  cidrContaining,
  cidrContains,
  cidrEquals,
  cidrHasAddress,
  cidrOverlaps,
  cidrSize,
  compareCidr,
  firstAddress,
  formatCidr,
  gatewayAddress,
  isPrefixLength,
  isSupersetOf,
  lastAddress,
  makeCidr,
  parseCidr,
  parseCidrOrThrow,
  subnetRangeReserved,
} from './cidr';
export {
  type DocumentedRange,
  type SubnetRangeKind,
  type SubnetRangeProblem,
  type SubnetRangeProblemCode,
  INVALID_CIDR_RANGE_MESSAGE,
  PRIVATELY_USED_PUBLIC_RANGES,
  PROHIBITED_IPV4_SUBNET_RANGES,
  SUBNET_PREFIX_LENGTH_LIMITS,
  VALID_SPECIAL_IPV4_RANGES,
  validateSubnetRange,
} from './subnet-range-rules';
export {
  type AutoModeSubnetRange,
  AUTO_MODE_PARENT_RANGE,
  AUTO_MODE_SUBNET_PREFIX_LENGTH,
  AUTO_MODE_SUBNET_RANGES,
  KNOWN_REGIONS,
  autoModeRangeOf,
} from './auto-mode-ranges';
export { findFreeRange } from './range-set';
export { type IpCidr, isStrictSubCidr, parseIpCidr, parseIpv6 } from './ip-cidr';
