//! A list one pointer wide, for the records hanging on a finding.
//!
//! A finding holds nine lists of records (checks, determinations, closures …) and most of them
//! are empty: at 100,000 findings the benchmark ledger has 0.9 non-empty lists per finding, and
//! none longer than one. A `Vec` is 24 bytes even when empty, so the nine empty ones took
//! 216 bytes of every row, 21.6 MB at 100,000 findings. This list is 8 bytes and allocates
//! nothing while empty; a non-empty one pays for a small box holding its `Vec` (one pointer
//! hop more, and a 32-byte allocation), which is cheap while so few lists have anything in
//! them. Safe code only: a single allocation with the length in front of the items would save
//! those 32 bytes too, but needs hand-rolled layouts and `unsafe`.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// Below this many, a list grows one item at a time: a finding has one or two records of a
/// kind and a record is 150–300 bytes, so the room for four that a `Vec` makes at its first
/// push was tens of MB at 100,000 findings. Past a few it grows as usual, so a long history
/// stays linear.
const SNUG_UP_TO: usize = 8;

/// A list that is one pointer wide and allocates nothing while empty. Reads go through the
/// slice it derefs to.
#[derive(Clone, PartialEq, Eq)]
pub struct ThinList<T> {
    /// `None` exactly when the list is empty, so an empty list never holds an allocation. The
    /// box is the point (8 bytes here instead of a `Vec`'s 24), which clippy cannot know.
    #[allow(clippy::box_collection)]
    items: Option<Box<Vec<T>>>,
}

impl<T> ThinList<T> {
    pub const fn new() -> Self {
        ThinList { items: None }
    }

    pub fn push(&mut self, item: T) {
        let items = self
            .items
            .get_or_insert_with(|| Box::new(Vec::with_capacity(1)));
        if items.len() == items.capacity() && items.len() < SNUG_UP_TO {
            items.reserve_exact(1);
        }
        items.push(item);
    }

    pub fn as_slice(&self) -> &[T] {
        self.items.as_deref().map_or(&[], Vec::as_slice)
    }

    pub fn as_mut_slice(&mut self) -> &mut [T] {
        self.items.as_deref_mut().map_or(&mut [], Vec::as_mut_slice)
    }
}

impl<T> Default for ThinList<T> {
    fn default() -> Self {
        ThinList::new()
    }
}

impl<T> Deref for ThinList<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

/// Items can be changed in place, never added or removed this way (a slice has a fixed length),
/// so an empty list stays without an allocation.
impl<T> DerefMut for ThinList<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_mut_slice()
    }
}

/// Printed like the `Vec` it replaces, so debug output and test failures read the same.
impl<T: fmt::Debug> fmt::Debug for ThinList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T> Extend<T> for ThinList<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for item in iter {
            self.push(item);
        }
    }
}

impl<T> FromIterator<T> for ThinList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut list = ThinList::new();
        list.extend(iter);
        list
    }
}

impl<T> From<Vec<T>> for ThinList<T> {
    fn from(items: Vec<T>) -> Self {
        ThinList {
            items: (!items.is_empty()).then(|| Box::new(items)),
        }
    }
}

impl<T> From<ThinList<T>> for Vec<T> {
    fn from(list: ThinList<T>) -> Self {
        list.items.map_or_else(Vec::new, |items| *items)
    }
}

impl<T> IntoIterator for ThinList<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        Vec::from(self).into_iter()
    }
}

impl<'a, T> IntoIterator for &'a ThinList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_pointer_wide() {
        assert_eq!(std::mem::size_of::<ThinList<[u8; 300]>>(), 8);
        assert_eq!(std::mem::size_of::<ThinList<String>>(), 8);
    }

    #[test]
    fn empty_holds_no_allocation() {
        let list: ThinList<u32> = ThinList::default();
        assert!(list.items.is_none());
        assert!(list.is_empty());
        let collected: ThinList<u32> = std::iter::empty().collect();
        assert!(collected.items.is_none());
        let mut extended: ThinList<u32> = ThinList::new();
        extended.extend(Vec::new());
        assert!(extended.items.is_none());
        assert!(ThinList::from(Vec::<u32>::new()).items.is_none());
    }

    #[test]
    fn grows_one_at_a_time_while_short() {
        let mut list = ThinList::new();
        for i in 0..SNUG_UP_TO {
            list.push(i);
            let capacity = list.items.as_ref().map_or(0, |v| v.capacity());
            assert_eq!(capacity, i + 1);
        }
    }

    #[test]
    fn prints_like_a_vec() {
        let list: ThinList<&str> = ["a", "b"].into_iter().collect();
        assert_eq!(format!("{list:?}"), format!("{:?}", vec!["a", "b"]));
        assert_eq!(format!("{:?}", ThinList::<u8>::new()), "[]");
    }

    /// What a caller can do to a list: push one item, or extend it by several.
    #[derive(Debug, Clone)]
    enum Op {
        Push(u16),
        Extend(Vec<u16>),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            any::<u16>().prop_map(Op::Push),
            proptest::collection::vec(any::<u16>(), 0..12).prop_map(Op::Extend),
        ]
    }

    proptest! {
        /// Whatever is pushed or extended comes back, all of it, in the order it went in,
        /// through every way of reading the list (and through a clone).
        #[test]
        fn keeps_every_item_in_order(ops in proptest::collection::vec(op(), 0..40)) {
            let mut list = ThinList::new();
            let mut model: Vec<u16> = Vec::new();
            for op in ops {
                match op {
                    Op::Push(x) => {
                        list.push(x);
                        model.push(x);
                    }
                    Op::Extend(xs) => {
                        list.extend(xs.iter().copied());
                        model.extend(xs);
                    }
                }
                prop_assert_eq!(list.as_slice(), model.as_slice());
                prop_assert_eq!(list.items.is_none(), model.is_empty());
            }
            prop_assert_eq!(list.len(), model.len());
            prop_assert_eq!((&list).into_iter().copied().collect::<Vec<_>>(), model.clone());
            let cloned = list.clone();
            prop_assert_eq!(cloned.as_slice(), model.as_slice());
            let collected: ThinList<u16> = model.iter().copied().collect();
            prop_assert_eq!(collected.as_slice(), model.as_slice());
            let converted = ThinList::from(model.clone());
            prop_assert_eq!(converted.as_slice(), model.as_slice());
            prop_assert_eq!(Vec::from(converted), model.clone());
            prop_assert_eq!(list.into_iter().collect::<Vec<_>>(), model);
        }
    }
}
