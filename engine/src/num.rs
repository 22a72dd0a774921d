//! Numbers as text: one parser for the URL, the CLI and CSV files, natively and in wasm, and a
//! small scientific-notation printer.
//!
//! Correctly rounded, as `str::parse::<f64>` is (property tests check that they agree bit for
//! bit, ties and subnormals included), but small: std's parser carries a 10 KB table of powers of
//! five that does not compress, the largest single item of the page's wasm. Short numbers (at
//! most 15 digits, exponent within ±22: everything a person types) take Clinger's exact fast path;
//! anything else is settled exactly with a small big-integer division, slowly but rarely.

use std::cmp::Ordering;

/// Significant digits kept; a longer number keeps a sticky digit for the rest. Every halfway
/// point between two doubles has at most 767 significant digits, so this never changes a result.
const MAX_DIGITS: usize = 800;

/// The f64 nearest to a decimal number written as text (`12`, `-0.5`, `.5`, `5.`, `1e-3`,
/// `2.5E+4`), ties to even; `None` for anything else (empty text, spaces, `0x10`, `1,5`, `1_0`,
/// `inf`, `NaN`). Too large a number gives ±infinity, as `str::parse` does.
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let (neg, body) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    let split = body.iter().position(|c| *c == b'e' || *c == b'E').unwrap_or(body.len());
    let (mantissa, exponent) = body.split_at(split);
    // The significant digits (no leading zeros) and the power of ten they are scaled by.
    let mut digits: Vec<u8> = Vec::new();
    let mut exp10: i64 = 0;
    let (mut any_digit, mut point, mut sticky) = (false, false, false);
    for &c in mantissa {
        match c {
            b'.' if !point => point = true,
            b'0'..=b'9' => {
                any_digit = true;
                let d = c - b'0';
                if digits.is_empty() && d == 0 {
                    exp10 -= i64::from(point);
                } else if digits.len() < MAX_DIGITS {
                    digits.push(d);
                    exp10 -= i64::from(point);
                } else {
                    sticky |= d != 0;
                    exp10 += i64::from(!point);
                }
            }
            _ => return None,
        }
    }
    if !any_digit {
        return None;
    }
    if let Some(e) = exponent.get(1..) {
        let (eneg, ed) = match e.first() {
            Some(b'-') => (true, &e[1..]),
            Some(b'+') => (false, &e[1..]),
            _ => (false, e),
        };
        if ed.is_empty() || !ed.iter().all(u8::is_ascii_digit) {
            return None;
        }
        // Saturates far beyond any double's range.
        let v = ed.iter().fold(0i64, |v, c| (v * 10 + i64::from(c - b'0')).min(1 << 40));
        exp10 += if eneg { -v } else { v };
    }
    if sticky {
        // Nonzero digits beyond the kept ones: a last digit that keeps the value off any tie.
        digits.push(1);
        exp10 -= 1;
    }
    while digits.last() == Some(&0) {
        digits.pop();
        exp10 += 1;
    }
    let v = magnitude(&digits, exp10);
    Some(if neg { -v } else { v })
}

/// Exact powers of ten for the fast path.
const POW10: [f64; 23] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/// The double nearest to `digits` × 10^`e` (digits without leading or trailing zeros).
fn magnitude(digits: &[u8], e: i64) -> f64 {
    let n = digits.len() as i64;
    if n == 0 || n + e < -330 {
        return 0.0;
    }
    if n + e > 310 {
        return f64::INFINITY;
    }
    if n <= 15 && e.abs() <= 22 {
        // Both operands exact, so the one rounding of × or ÷ is the correct one (Clinger).
        let d = digits.iter().fold(0u64, |v, c| v * 10 + u64::from(*c)) as f64;
        return if e >= 0 { d * POW10[e as usize] } else { d / POW10[(-e) as usize] };
    }
    // value = D·5^e·2^e = num/den · 2^e2.
    let mut num = Big::default();
    for chunk in digits.chunks(9) {
        num.mul_small(10u32.pow(chunk.len() as u32));
        num.add_small(chunk.iter().fold(0u32, |v, c| v * 10 + u32::from(*c)));
    }
    let mut den = Big::from(1);
    let mut e2 = e;
    if e >= 0 {
        num.mul_pow5(e as u32);
    } else {
        den.mul_pow5((-e) as u32);
    }
    // Line num up 65 bits above den, so the quotient has 65 or 66 bits.
    let gap = num.bits() as i64 - den.bits() as i64;
    if gap < 65 {
        num.shl((65 - gap) as u32);
        e2 -= 65 - gap;
    } else {
        den.shl((gap - 65) as u32);
        e2 += gap - 65;
    }
    let (q, inexact) = num.div_rem(den);
    round(q, e2, inexact)
}

/// Rounds (q + f)·2^e2, with 0 < f < 1 if `inexact`, to the nearest double, ties to even.
fn round(q: u128, e2: i64, inexact: bool) -> f64 {
    let len = 128 - i64::from(q.leading_zeros());
    let top = len - 1 + e2;
    if top > 1023 {
        return f64::INFINITY;
    }
    // The exponent of the result's last bit, and how many bits of q fall below it.
    let ulp = (top - 52).max(-1074);
    let drop = ulp - e2;
    if drop > len {
        return 0.0;
    }
    let (mut m, rest) = (q >> drop, q & ((1u128 << drop) - 1));
    let half = 1u128 << (drop - 1);
    if rest > half || (rest == half && (inexact || m & 1 == 1)) {
        m += 1;
    }
    if ulp + 127 - i64::from(m.leading_zeros()) > 1023 {
        return f64::INFINITY;
    }
    // m ≤ 2^53 is exact; scale in two exact steps when the result is subnormal.
    let pow2 = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    if ulp >= -1022 {
        m as f64 * pow2(ulp)
    } else {
        m as f64 * pow2(ulp + 64) * pow2(-64)
    }
}

/// A non-negative big integer, 32-bit limbs, least significant first.
#[derive(Default, Clone)]
struct Big(Vec<u32>);

impl From<u32> for Big {
    fn from(v: u32) -> Big {
        Big(vec![v])
    }
}

impl Big {
    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn bits(&self) -> u64 {
        match self.0.iter().rposition(|l| *l != 0) {
            Some(i) => i as u64 * 32 + 32 - u64::from(self.0[i].leading_zeros()),
            None => 0,
        }
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for l in &mut self.0 {
            let v = u64::from(*l) * u64::from(m) + carry;
            *l = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn add_small(&mut self, a: u32) {
        let mut carry = u64::from(a);
        for l in &mut self.0 {
            if carry == 0 {
                return;
            }
            let v = u64::from(*l) + carry;
            *l = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow5(&mut self, mut k: u32) {
        // 5^13 is the largest power of five below 2^32.
        while k > 0 {
            let step = k.min(13);
            self.mul_small(5u32.pow(step));
            k -= step;
        }
    }

    fn shl(&mut self, n: u32) {
        let (limbs, bits) = ((n / 32) as usize, n % 32);
        if bits > 0 {
            let mut carry = 0u32;
            for l in &mut self.0 {
                let v = (*l << bits) | carry;
                carry = *l >> (32 - bits);
                *l = v;
            }
            if carry > 0 {
                self.0.push(carry);
            }
        }
        self.0.splice(0..0, std::iter::repeat_n(0, limbs));
    }

    fn shr1(&mut self) {
        let mut carry = 0u32;
        for l in self.0.iter_mut().rev() {
            let v = (*l >> 1) | (carry << 31);
            carry = *l & 1;
            *l = v;
        }
        self.trim();
    }

    fn cmp(&self, other: &Big) -> Ordering {
        let (a, b) = (self.bits(), other.bits());
        if a != b {
            return a.cmp(&b);
        }
        let len = a.div_ceil(32) as usize;
        for i in (0..len).rev() {
            let (x, y) = (self.0.get(i).copied().unwrap_or(0), other.0.get(i).copied().unwrap_or(0));
            if x != y {
                return x.cmp(&y);
            }
        }
        Ordering::Equal
    }

    /// self −= other, for self ≥ other.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, l) in self.0.iter_mut().enumerate() {
            let v = i64::from(*l) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            *l = v.rem_euclid(1 << 32) as u32;
            borrow = i64::from(v < 0);
        }
        self.trim();
    }

    /// The quotient self / den (which must fit in 127 bits) and whether a remainder is left.
    fn div_rem(mut self, mut den: Big) -> (u128, bool) {
        let shift = self.bits().saturating_sub(den.bits());
        den.shl(shift as u32);
        let mut q = 0u128;
        for _ in 0..=shift {
            q <<= 1;
            if self.cmp(&den) != Ordering::Less {
                self.sub(&den);
                q |= 1;
            }
            den.shr1();
        }
        (q, self.bits() > 0)
    }
}

/// `x` in scientific notation with `decimals` (at most 15) digits after the point, as
/// `format!("{x:.N$e}")` writes it (`1.23e-4`, `-5.00e0`; `inf`, `NaN` as they are). Built on
/// integer printing: std's `{:e}` adds 1.3 KB of code to the browser's wasm. It rounds the
/// decimal digits of the value scaled in floating point, so an exact halfway case can round the
/// other way than std's; it is for text people read (and for snapping a slider to three
/// significant digits).
pub fn format_sci(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    let a = x.abs();
    let unit = 10u64.pow(decimals.min(15) as u32);
    let (mut e, mut m) = (0i32, 0u64);
    if a > 0.0 {
        e = libm::floor(libm::log10(a)) as i32;
        // The scaled mantissa, rounded; log10 can be one off near powers of ten.
        // (Two factors: 10^k alone overflows for the smallest subnormals.)
        let scaled = |e: i32| {
            let k = decimals.min(15) as i32 - e;
            libm::round(a * libm::pow(10.0, (k / 2) as f64) * libm::pow(10.0, (k - k / 2) as f64)) as u64
        };
        m = scaled(e);
        if m >= 10 * unit {
            e += 1;
            m = scaled(e);
        } else if m < unit {
            e -= 1;
            m = scaled(e);
        }
        // Rounding up can carry into a new digit (9.996e0 → 10.00e0).
        if m >= 10 * unit {
            e += 1;
            m /= 10;
        }
    }
    if decimals == 0 {
        format!("{sign}{m}e{e}")
    } else {
        format!("{sign}{}.{:0w$}e{e}", m / unit, m % unit, w = decimals.min(15))
    }
}

#[cfg(test)]
mod tests {
    use super::{format_sci, parse_f64};

    fn same(s: &str) {
        assert_eq!(parse_f64(s).map(f64::to_bits), s.parse::<f64>().ok().map(f64::to_bits), "{s}");
    }

    #[test]
    fn format_sci_writes_what_std_writes_away_from_exact_ties() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut values = vec![0.0, -0.0, 1.0, -1.0, 9.995, 9.9951, 0.00099999, 123456.0, 1e-300, 4.9e-324, 1.7e308, 1e22, 0.1, 0.3];
        for _ in 0..20_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64 * 10.0;
            let exp = ((state >> 3) % 80) as i32 - 40;
            values.push(mantissa * 10f64.powi(exp) * if state & 1 == 0 { 1.0 } else { -1.0 });
        }
        for x in values {
            for decimals in [0, 1, 2, 3, 6] {
                let std = format!("{x:.decimals$e}");
                // Skip values whose digits sit within a hair of a rounding tie.
                let (digits, _) = format!("{x:.20e}").split_once('e').map(|(d, e)| (d.to_string(), e.to_string())).unwrap_or_default();
                let tail: String = digits.chars().filter(|c| c.is_ascii_digit()).skip(decimals + 1).take(8).collect();
                if tail.starts_with("4999") || tail.starts_with("5000") {
                    continue;
                }
                assert_eq!(format_sci(x, decimals), std, "{x:e} with {decimals} decimals");
            }
        }
        assert_eq!(format_sci(f64::INFINITY, 2), "inf");
        assert_eq!(format_sci(f64::NAN, 2), "NaN");
    }

    #[test]
    fn decimal_numbers_parse_like_std() {
        for s in [
            "0",
            "-0",
            "12",
            "+12",
            "-0.5",
            ".5",
            "5.",
            "1e-3",
            "2.5E+4",
            "1e400",
            "-1e400",
            "1e-400",
            "0.1",
            "0.3",
            "123456789012345678",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "179769313486231580793728971405301e276",
            "9007199254740993",
            "9007199254740993.0000000000000000001",
            "0.000000000000000000000000000000000000000001e30",
            "1e99999999999999999999",
        ] {
            same(s);
        }
    }

    #[test]
    fn digits_beyond_the_kept_ones_still_round_correctly() {
        // 2^53 + 1 is a tie between 2^53 and 2^53 + 2; anything after it decides.
        let tie = "9007199254740993";
        same(&format!("{tie}.{}", "0".repeat(900)));
        same(&format!("{tie}.{}1", "0".repeat(900)));
        same(&format!("{tie}{}", "0".repeat(900)));
        same(&format!("{tie}{}e-900", "0".repeat(900)));
    }

    #[test]
    fn carries_overflow_and_long_tails_round_like_std() {
        // The largest double plus half an ulp (a tie that rounds up to infinity), just below it,
        // and just above it by a digit 900 places on.
        let max_half = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";
        let below = format!("{}1", &max_half[..max_half.len() - 1]);
        for s in [max_half.to_string(), below, format!("{max_half}.{}1", "0".repeat(900))] {
            same(&s);
        }
        for s in ["2.225073858507201136057409796709131975934819546351645648e-308", "9007199254740991.5", "0.99999999999999999", "-0e99999999999999999999"] {
            same(s);
        }
        same(&format!("9007199254740992.{}", "9".repeat(900)));
        same(&format!("0.{}1e1000", "0".repeat(1000)));
        same(&format!("{}e-1000", "1".repeat(1000)));
    }

    #[test]
    fn anything_else_is_refused() {
        for s in ["", " 1", "1 ", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "0x10", "1,5", "inf", "NaN", "infinity", "1_000", "--1", "1e5.5", "+-1", "1e--5"] {
            assert_eq!(parse_f64(s), None, "{s:?}");
        }
    }
}
