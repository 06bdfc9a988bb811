//! A share as a percent with one decimal, written exactly as SQLite's
//! `printf('%.1f', ...)` writes it, so a percent worked out here and one
//! worked out by a query read the same (the store's test compares them).

/// `printf('%.1f', 100.0 * part / whole)` as SQLite writes it: the same
/// double, rounded to one decimal from its exact value, a tie away from
/// zero (Rust's formatting rounds a tie to even: 12.25 is "12.2" there,
/// "12.3" in SQLite).
pub fn percent(part: i64, whole: i64) -> String {
    let v = 100.0 * part as f64 / whole as f64;
    if !is_tie(v) {
        return format!("{v:.1}");
    }
    // |v| * 20 is an odd integer n: v is n/20, which rounds away to (n + 1) / 2 tenths.
    let n = (v.abs() * 20.0) as u64;
    let tenths = n.div_ceil(2);
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}{}.{}", tenths / 10, tenths % 10)
}

/// Whether `v` lies exactly halfway between two tenths: `|v| * 20` is an
/// odd integer (decided on the double's bits, with no rounding).
fn is_tie(v: f64) -> bool {
    if !v.is_finite() || v == 0.0 {
        return false;
    }
    let bits = v.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mantissa = if exp == 0 {
        (bits & ((1 << 52) - 1)) << 1
    } else {
        (bits & ((1 << 52) - 1)) | (1 << 52)
    };
    // |v| = mantissa * 2^e; |v| * 20 = mantissa * 5 * 2^(e + 2), odd
    // exactly when the power of two left after the mantissa's own is 2^0.
    let e = exp - 1075;
    let zeros = i64::from(mantissa.trailing_zeros());
    zeros + e + 2 == 0
}
