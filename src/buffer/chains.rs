//! The list of a buffer's chains: a `Vec` of chain pointers whose live part starts at
//! `head`. Chains leave at the front (drain, remove_buffer) and join at the back (add), so
//! removing from the front only moves `head`; the slots before it are reused when the list
//! empties or the vector would otherwise grow. Indexing is one add and one bounds check
//! (a `VecDeque` also wraps the index), and whole lists move between buffers by swapping
//! vectors, so neither side allocates.

use std::ptr::NonNull;

use super::chain::Chain;

/// A list's first vector holds this many chains; the next one at least [`GROWN_CAP`].
/// Vectors freed while a list grows go back to the C allocator, and glibc keeps freed blocks
/// of up to 1032 bytes in a per-thread cache (tcache) wherever they sit in the heap: doubling
/// from 4 pointers would leave one such block behind at every step (32 … 1024 bytes, spread
/// between the chains allocated meanwhile), and they stop the heap from shrinking, so an idle
/// thread kept memory that `malloc_trim` cannot return. Jumping from 64 bytes straight past
/// the cache's limit leaves at most one small block, next to the list's first chain.
const FIRST_CAP: usize = 8;
const GROWN_CAP: usize = 136;

/// The capacity to allocate for `need` chains when the current vector (of `cap`) is full.
#[inline]
fn grown_capacity(cap: usize, need: usize) -> usize {
    if cap == 0 && need <= FIRST_CAP {
        FIRST_CAP
    } else {
        need.max(GROWN_CAP).max(cap * 2)
    }
}

pub(crate) struct Chains {
    v: Vec<NonNull<Chain>>,
    head: usize,
}

impl Chains {
    pub const fn new() -> Chains {
        Chains { v: Vec::new(), head: 0 }
    }

    #[inline(always)]
    pub fn len(&self) -> usize {
        self.v.len() - self.head
    }

    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.v.len() == self.head
    }

    /// The live chains, front to back.
    #[inline(always)]
    pub fn as_slice(&self) -> &[NonNull<Chain>] {
        &self.v[self.head..]
    }

    #[inline(always)]
    pub fn get(&self, i: usize) -> Option<NonNull<Chain>> {
        self.v.get(self.head + i).copied()
    }

    #[inline(always)]
    pub fn front(&self) -> Option<NonNull<Chain>> {
        self.get(0)
    }

    #[inline(always)]
    pub fn back(&self) -> Option<NonNull<Chain>> {
        if self.is_empty() {
            None
        } else {
            self.v.last().copied()
        }
    }

    /// Replaces chain `i`, returning the old one.
    #[inline]
    pub fn replace(&mut self, i: usize, p: NonNull<Chain>) -> NonNull<Chain> {
        std::mem::replace(&mut self.v[self.head + i], p)
    }

    #[inline]
    pub fn push_back(&mut self, p: NonNull<Chain>) {
        if self.v.len() == self.v.capacity() {
            self.make_room(1);
        }
        self.v.push(p);
    }

    /// Room for `k` more chains at the back: reuses the slots before `head` when they are
    /// at least half the vector (so each element is moved O(1) times on average), else
    /// grows the vector by [`grown_capacity`].
    #[cold]
    fn make_room(&mut self, k: usize) {
        if self.head > 0 && self.head * 2 >= self.v.len() {
            self.v.drain(..self.head);
            self.head = 0;
        }
        let need = self.v.len() + k;
        if need > self.v.capacity() {
            let cap = grown_capacity(self.v.capacity(), need);
            self.v.reserve_exact(cap - self.v.len());
        }
    }

    #[inline]
    pub fn pop_front(&mut self) -> Option<NonNull<Chain>> {
        let p = self.front()?;
        self.head += 1;
        if self.head == self.v.len() {
            self.clear();
        }
        Some(p)
    }

    pub fn push_front(&mut self, p: NonNull<Chain>) {
        if self.head == 0 {
            // Open a gap as big as the list (at least 4) so repeated prepends stay O(1).
            let n = self.v.len();
            let gap = n.max(4);
            if n + gap > self.v.capacity() {
                let cap = grown_capacity(self.v.capacity(), n + gap);
                self.v.reserve_exact(cap - n);
            }
            self.v.resize(n + gap, p);
            self.v.copy_within(0..n, gap);
            self.head = gap;
        }
        self.head -= 1;
        self.v[self.head] = p;
    }

    #[inline]
    pub fn clear(&mut self) {
        self.v.clear();
        self.head = 0;
    }

    /// Drops chains `from..` from the list (the caller has released them).
    #[inline]
    pub fn truncate(&mut self, from: usize) {
        self.v.truncate(self.head + from);
        if self.is_empty() {
            self.clear();
        }
    }

    /// Removes chains `s..e` (the caller has taken them).
    pub fn remove_range(&mut self, s: usize, e: usize) {
        if s == e {
            return;
        }
        if s == 0 {
            self.head += e;
            if self.is_empty() {
                self.clear();
            }
        } else {
            let h = self.head;
            self.v.drain(h + s..h + e);
        }
    }

    /// Moves the first `k` chains of `src` to the back of this list.
    #[inline]
    pub fn append_front_of(&mut self, src: &mut Chains, k: usize) {
        if k == 0 {
            return;
        }
        if self.is_empty() && k == src.len() {
            self.take_all(src);
            return;
        }
        if self.v.len() + k > self.v.capacity() {
            self.make_room(k);
        }
        let h = src.head;
        if k <= 4 {
            // (extend_from_slice would call memcpy for one or two pointers)
            for &p in &src.v[h..h + k] {
                self.v.push(p);
            }
        } else {
            self.v.extend_from_slice(&src.v[h..h + k]);
        }
        src.head += k;
        if src.is_empty() {
            src.clear();
        }
    }

    /// Moves every chain of `src` to this (empty) list without allocating: a few chains
    /// are copied (both lists keep their vectors, so a buffer that is filled and emptied
    /// in rounds never reallocates), many swap vectors.
    #[inline]
    pub fn take_all(&mut self, src: &mut Chains) {
        debug_assert!(self.is_empty());
        if !self.v.is_empty() {
            self.clear();
        }
        let k = src.len();
        if k <= 4 && k <= self.v.capacity() {
            for &p in src.as_slice() {
                self.v.push(p);
            }
            src.clear();
            return;
        }
        std::mem::swap(self, src);
    }

    /// Puts every chain of `src` before this list's chains.
    pub fn prepend_all(&mut self, src: &mut Chains) {
        if self.is_empty() {
            self.take_all(src);
            return;
        }
        let k = src.len();
        if self.head < k {
            // One move: src's chains, then ours, into a fresh vector with room in front.
            let mut v = Vec::with_capacity(grown_capacity(0, k + self.len() + 4));
            v.extend_from_slice(src.as_slice());
            v.extend_from_slice(self.as_slice());
            self.v = v;
            self.head = 0;
        } else {
            self.head -= k;
            let h = self.head;
            self.v[h..h + k].copy_from_slice(src.as_slice());
        }
        src.clear();
    }
}

impl std::ops::Index<usize> for Chains {
    type Output = NonNull<Chain>;
    #[inline(always)]
    fn index(&self, i: usize) -> &NonNull<Chain> {
        &self.v[self.head + i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(n: usize) -> NonNull<Chain> {
        NonNull::new(std::ptr::without_provenance_mut::<Chain>(n * 16)).unwrap()
    }

    fn ids(c: &Chains) -> Vec<usize> {
        c.as_slice().iter().map(|x| x.as_ptr() as usize / 16).collect()
    }

    #[test]
    fn fifo_and_front_ops() {
        let mut c = Chains::new();
        for i in 1..=10 {
            c.push_back(p(i));
        }
        assert_eq!(c.pop_front(), Some(p(1)));
        assert_eq!(c.pop_front(), Some(p(2)));
        c.push_front(p(20));
        c.push_front(p(21));
        c.push_front(p(22));
        assert_eq!(ids(&c), vec![22, 21, 20, 3, 4, 5, 6, 7, 8, 9, 10]);
        c.remove_range(1, 3);
        assert_eq!(ids(&c), vec![22, 3, 4, 5, 6, 7, 8, 9, 10]);
        c.remove_range(0, 2);
        assert_eq!(ids(&c), vec![4, 5, 6, 7, 8, 9, 10]);
        c.truncate(3);
        assert_eq!(ids(&c), vec![4, 5, 6]);
        assert_eq!(c.replace(1, p(50)), p(5));
        assert_eq!(c[1], p(50));
        assert_eq!(c.back(), Some(p(6)));
        // Long FIFO use stays bounded.
        for i in 0..10_000 {
            c.push_back(p(100 + i));
            c.pop_front();
        }
        assert_eq!(c.len(), 3);
        assert!(c.v.capacity() <= GROWN_CAP);
    }

    #[test]
    fn growth_skips_the_small_vectors() {
        let mut c = Chains::new();
        let mut caps = vec![];
        for i in 1..=300 {
            c.push_back(p(i));
            if caps.last() != Some(&c.v.capacity()) {
                caps.push(c.v.capacity());
            }
        }
        assert_eq!(caps, vec![FIRST_CAP, GROWN_CAP, 2 * GROWN_CAP, 4 * GROWN_CAP]);
        let (mut a, mut b) = (Chains::new(), Chains::new());
        for i in 1..=10 {
            a.push_back(p(i));
        }
        b.push_back(p(99));
        b.append_front_of(&mut a, 9);
        assert_eq!(b.v.capacity(), GROWN_CAP);
        b.prepend_all(&mut a);
        assert_eq!(ids(&b)[..3], [10, 99, 1]);
        assert!(b.v.capacity() >= GROWN_CAP);
    }

    #[test]
    fn moves_between_lists() {
        let (mut a, mut b) = (Chains::new(), Chains::new());
        for i in 1..=5 {
            a.push_back(p(i));
        }
        b.append_front_of(&mut a, 2);
        assert_eq!(ids(&a), vec![3, 4, 5]);
        assert_eq!(ids(&b), vec![1, 2]);
        b.prepend_all(&mut a);
        assert!(a.is_empty());
        assert_eq!(ids(&b), vec![3, 4, 5, 1, 2]);
        a.append_front_of(&mut b, 5);
        assert!(b.is_empty());
        assert_eq!(ids(&a), vec![3, 4, 5, 1, 2]);
        b.push_back(p(9));
        b.pop_front();
        b.push_back(p(8));
        a.prepend_all(&mut b);
        assert_eq!(ids(&a), vec![8, 3, 4, 5, 1, 2]);
        assert_eq!(a.back(), Some(p(2)));
        assert!(b.is_empty() && b.back().is_none() && b.front().is_none());
    }
}
