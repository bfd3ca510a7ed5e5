// kube-proxy spreads connections over n endpoints with a chain of `-m statistic --probability` rules: rule i
// (0-based) matches with probability 1/(n-i), the last one unconditionally. The text is Go's
// fmt.Sprintf("%0.10f", 1.0/float64(n)), so the formatting below reproduces Go's exact decimal rounding.

const DIGITS = 10;

/** The exact value of a finite double as numerator / 2^shift (numerator is an integer, shift >= 0). */
function exactBinary(value: number): { numerator: bigint; shift: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biasedExponent = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent: number;
  if (biasedExponent === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = biasedExponent - 1075;
  }
  return exponent >= 0
    ? { numerator: mantissa << BigInt(exponent), shift: 0n }
    : { numerator: mantissa, shift: BigInt(-exponent) };
}

/**
 * Formats a non-negative finite number with a fixed number of decimals, rounding the exact binary value half
 * to even as Go's strconv does. (Number.prototype.toFixed rounds exact ties up, so 1/2048 would differ.)
 */
export function formatFixedHalfEven(value: number, digits: number): string {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`Not a non-negative finite number: ${value}`);
  const { numerator, shift } = exactBinary(value);
  const denominator = 1n << shift;
  const scaled = numerator * 10n ** BigInt(digits);
  let units = scaled / denominator;
  const twiceRemainder = (scaled % denominator) * 2n;
  if (twiceRemainder > denominator || (twiceRemainder === denominator && units % 2n === 1n)) units += 1n;
  const text = units.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** The `--probability` argument for picking one of n remaining endpoints. */
export function computeProbability(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Not a positive endpoint count: ${n}`);
  return formatFixedHalfEven(1 / n, DIGITS);
}
