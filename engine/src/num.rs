//! Numbers as text: one parser for the URL, the CLI and CSV files, natively and in wasm, and a
//! small scientific-notation printer.
//!
//! The parser is std's `str::parse::<f64>` (correctly rounded, the same code natively and in
//! wasm) behind a check of the syntax: std also reads `inf`, `NaN` and `infinity`, which are not
//! numbers a person gives ddviz. (Until December 2026 this was a hand-written parser, Clinger's
//! fast path plus a big-integer division, 300 lines that saved the page 10 KB gzipped: see the
//! size ledger in docs/performance.md.)

/// The f64 nearest to a decimal number written as text (`12`, `-0.5`, `.5`, `5.`, `1e-3`,
/// `2.5E+4`), ties to even; `None` for anything else (empty text, spaces, `0x10`, `1,5`, `1_0`,
/// `inf`, `NaN`). Too large a number gives ±infinity, as `str::parse` does.
pub fn parse_f64(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let unsigned = |t: &[u8]| -> usize { usize::from(matches!(t.first(), Some(b'-' | b'+'))) };
    let body = &b[unsigned(b)..];
    let split = body.iter().position(|c| matches!(c, b'e' | b'E')).unwrap_or(body.len());
    let (mantissa, exponent) = body.split_at(split);
    let digits = mantissa.iter().filter(|c| c.is_ascii_digit()).count();
    let points = mantissa.iter().filter(|c| **c == b'.').count();
    if digits == 0 || points > 1 || digits + points != mantissa.len() {
        return None;
    }
    if let Some(e) = exponent.get(1..) {
        let e = &e[unsigned(e)..];
        if e.is_empty() || !e.iter().all(u8::is_ascii_digit) {
            return None;
        }
    }
    s.parse().ok()
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
