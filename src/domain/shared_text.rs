//! One copy of each text that repeats across a ledger.
//!
//! A finding's 问题类别, 责任人 and auditor, and a check's checker, take a few dozen distinct
//! values across a whole ledger, yet each record decodes its own copy: at 100,000 findings that
//! is one heap allocation per field per finding. Those fields are `Arc<str>`, and whoever loads
//! many records at once passes each one through a `SharedText` pool, so equal texts end up
//! pointing at one allocation. The pool only lives while loading: the `Arc`s keep the texts
//! alive after it is dropped.

use std::collections::HashSet;
use std::sync::Arc;

/// A pool of texts; `share` swaps a text for the pool's copy of it.
#[derive(Debug, Default)]
pub struct SharedText(HashSet<Arc<str>>);

impl SharedText {
    pub fn new() -> Self {
        SharedText::default()
    }

    /// Point `text` at the pool's copy of its value, or make it the pool's copy when the value
    /// is new. Empty texts are shared too: an empty `Arc<str>` still allocates its counts.
    pub fn share(&mut self, text: &mut Arc<str>) {
        match self.0.get(&**text) {
            Some(pooled) => {
                if !Arc::ptr_eq(pooled, text) {
                    *text = Arc::clone(pooled);
                }
            }
            None => {
                self.0.insert(Arc::clone(text));
            }
        }
    }

    /// How many distinct texts the pool holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_end_up_as_one_copy() {
        let mut pool = SharedText::new();
        let mut a: Arc<str> = "预算管理".into();
        let mut b: Arc<str> = String::from("预算管理").into();
        assert!(!Arc::ptr_eq(&a, &b));
        pool.share(&mut a);
        pool.share(&mut b);
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*b, "预算管理");
        assert_eq!(pool.len(), 1);
    }

    #[test]
    fn different_texts_stay_apart() {
        let mut pool = SharedText::new();
        let mut a: Arc<str> = "王审计".into();
        let mut b: Arc<str> = "李审计".into();
        pool.share(&mut a);
        pool.share(&mut b);
        assert!(!Arc::ptr_eq(&a, &b));
        assert_eq!(&*a, "王审计");
        assert_eq!(&*b, "李审计");
        assert_eq!(pool.len(), 2);
    }

    #[test]
    fn empty_texts_are_shared_too() {
        let mut pool = SharedText::new();
        let mut a: Arc<str> = "".into();
        let mut b: Arc<str> = String::new().into();
        pool.share(&mut a);
        pool.share(&mut b);
        assert!(Arc::ptr_eq(&a, &b));
        assert!(b.is_empty());
    }

    #[test]
    fn the_first_copy_becomes_the_pools_and_outlives_it() {
        let mut a: Arc<str> = "张科长".into();
        let first = Arc::clone(&a);
        let mut b: Arc<str> = "张科长".into();
        {
            let mut pool = SharedText::new();
            pool.share(&mut a);
            pool.share(&mut b);
        }
        assert!(Arc::ptr_eq(&a, &first));
        assert!(Arc::ptr_eq(&b, &first));
        assert_eq!(Arc::strong_count(&first), 3);
    }
}
