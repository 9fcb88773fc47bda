//! Byte and substring search over one contiguous slice, at memchr speed.
//!
//! On x86-64, SSE2 is part of the baseline, so 16-byte compares need no runtime detection;
//! elsewhere an 8-byte SWAR loop does the same job. Substring search filters candidates by
//! the needle's first *and* last byte at once (the classic "generic SIMD" approach): on text,
//! where the first byte alone is frequent, that discards almost every false start before a
//! full compare, which is what makes `evbuffer_search` faster than libevent's
//! memchr-then-memcmp loop.

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64::*;

/// Index of the first `a` in `hay`.
#[inline]
pub fn memchr(a: u8, hay: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        if hay.len() >= 16 {
            // SAFETY: SSE2 is always available on x86-64; `find_sse2` reads only inside `hay`.
            return unsafe { find_sse2(hay, |v| _mm_cmpeq_epi8(v, _mm_set1_epi8(a as i8))) };
        }
    }
    memchr_fallback(a, hay)
}

/// Index of the first byte of `hay` equal to `a` or `b`.
#[inline]
pub fn memchr2(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        if hay.len() >= 16 {
            // SAFETY: as in `memchr`.
            return unsafe {
                find_sse2(hay, |v| {
                    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(a as i8)), _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)))
                })
            };
        }
    }
    hay.iter().position(|&c| c == a || c == b)
}

#[inline]
fn memchr_fallback(a: u8, hay: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let rep = LO * a as u64;
    let mut i = 0;
    while i + 8 <= hay.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&hay[i..i + 8]);
        let x = u64::from_le_bytes(w) ^ rep;
        if (x.wrapping_sub(LO) & !x & HI) != 0 {
            break;
        }
        i += 8;
    }
    hay[i..].iter().position(|&c| c == a).map(|p| p + i)
}

/// Scans `hay` (at least 16 bytes) 16 bytes at a time; `eq` turns a block into a byte mask.
///
/// # Safety
/// SSE2 must be available (always true on x86-64).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn find_sse2(hay: &[u8], eq: impl Fn(__m128i) -> __m128i) -> Option<usize> {
    let n = hay.len();
    let p = hay.as_ptr();
    let mut i = 0;
    // Four blocks per iteration keep the loop's overhead off the critical path.
    while i + 64 <= n {
        // SAFETY: i + 64 <= n, so all four unaligned loads stay inside `hay`.
        let (a, b, c, d) = unsafe {
            (
                eq(_mm_loadu_si128(p.add(i).cast())),
                eq(_mm_loadu_si128(p.add(i + 16).cast())),
                eq(_mm_loadu_si128(p.add(i + 32).cast())),
                eq(_mm_loadu_si128(p.add(i + 48).cast())),
            )
        };
        // SAFETY: SSE2 is part of the x86-64 baseline.
        let any = unsafe { _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))) };
        if any != 0 {
            for (k, v) in [a, b, c, d].into_iter().enumerate() {
                // SAFETY: as above.
                let m = unsafe { _mm_movemask_epi8(v) } as u32;
                if m != 0 {
                    return Some(i + 16 * k + m.trailing_zeros() as usize);
                }
            }
        }
        i += 64;
    }
    while i + 16 <= n {
        // SAFETY: i + 16 <= n.
        let m = unsafe { _mm_movemask_epi8(eq(_mm_loadu_si128(p.add(i).cast()))) } as u32;
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    if i < n {
        // The last, overlapping block: bytes before `i` were already checked.
        let j = n - 16;
        // SAFETY: n >= 16, so [j, n) is inside `hay`.
        let m = (unsafe { _mm_movemask_epi8(eq(_mm_loadu_si128(p.add(j).cast()))) } as u32) >> (i - j);
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
    }
    None
}

/// Slice equality that avoids a memcmp call for the short needles searches mostly use.
#[inline(always)]
fn eq_short(a: &[u8], b: &[u8]) -> bool {
    if a.len() <= 8 {
        a.iter().zip(b).all(|(x, y)| x == y)
    } else {
        a == b
    }
}

/// Index of the first complete occurrence of `needle` (non-empty) inside `hay`.
pub fn memmem(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let k = needle.len();
    if k == 0 || k > hay.len() {
        return None;
    }
    if k == 1 {
        return memchr(needle[0], hay);
    }
    let first = needle[0];
    let last = needle[k - 1];
    let span = hay.len() - k + 1; // candidate start positions
    #[cfg(target_arch = "x86_64")]
    {
        if span >= 16 {
            // SAFETY: SSE2 baseline; every load reads [s, s+16) and [s+k-1, s+k+15) with
            // s + 16 <= span, i.e. s + k + 15 <= hay.len().
            unsafe {
                let p = hay.as_ptr();
                let vf = _mm_set1_epi8(first as i8);
                let vl = _mm_set1_epi8(last as i8);
                let mut s = 0;
                loop {
                    let a = _mm_cmpeq_epi8(_mm_loadu_si128(p.add(s).cast()), vf);
                    let b = _mm_cmpeq_epi8(_mm_loadu_si128(p.add(s + k - 1).cast()), vl);
                    let mut m = _mm_movemask_epi8(_mm_and_si128(a, b)) as u32;
                    while m != 0 {
                        let c = s + m.trailing_zeros() as usize;
                        if eq_short(&hay[c + 1..c + k - 1], &needle[1..k - 1]) {
                            return Some(c);
                        }
                        m &= m - 1;
                    }
                    s += 16;
                    if s + 16 > span {
                        break;
                    }
                }
                // Finish the last (<16) candidates without reading past the end.
                return (s..span).find(|&c| hay[c] == first && hay[c + k - 1] == last && hay[c..c + k] == *needle);
            }
        }
    }
    let mut s = 0;
    while s < span {
        let c = s + memchr(first, &hay[s..span])?;
        if hay[c + k - 1] == last && hay[c..c + k] == *needle {
            return Some(c);
        }
        s = c + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(h: &[u8], n: &[u8]) -> Option<usize> {
        if n.is_empty() || n.len() > h.len() {
            return None;
        }
        (0..=h.len() - n.len()).find(|&i| &h[i..i + n.len()] == n)
    }

    #[test]
    fn agrees_with_naive() {
        let mut x: u32 = 12345;
        for len in 0..300 {
            let h: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1103515245).wrapping_add(12345);
                    b"ab\r\n"[(x >> 16) as usize % 4]
                })
                .collect();
            for c in [b'a', b'b', b'\r', b'\n', b'z'] {
                assert_eq!(memchr(c, &h), h.iter().position(|&y| y == c));
                assert_eq!(memchr2(c, b'\n', &h), h.iter().position(|&y| y == c || y == b'\n'));
            }
            for n in [&b"ab"[..], b"aab", b"\r\n", b"ba\r\nab", b"a", b"zz", b"abababab"] {
                assert_eq!(memmem(&h, n), naive(&h, n), "len {len} needle {n:?}");
            }
        }
    }
}
