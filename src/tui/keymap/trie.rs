//! One context's bindings as a trie of keys, so a key sequence resolves one key at a time:
//! an action, a prefix of something longer (wait for more), or nothing.
//! Validation guarantees no node has both an action and children.

use std::collections::HashMap;

use super::key::Key;
use crate::tui::action::Action;

#[derive(Debug, Default, Clone)]
pub(crate) struct Trie {
    root: Node,
}

#[derive(Debug, Default, Clone)]
struct Node {
    action: Option<Action>,
    next: HashMap<Key, Node>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    Action(Action),
    Prefix,
    None,
}

impl Trie {
    pub fn insert(&mut self, keys: &[Key], action: Action) {
        let mut node = &mut self.root;
        for key in keys {
            node = node.next.entry(*key).or_default();
        }
        node.action = Some(action);
    }

    fn node(&self, keys: &[Key]) -> Option<&Node> {
        keys.iter()
            .try_fold(&self.root, |node, key| node.next.get(key))
    }

    pub fn lookup(&self, keys: &[Key]) -> Match {
        match self.node(keys) {
            Some(Node {
                action: Some(action),
                ..
            }) => Match::Action(*action),
            Some(node) if !node.next.is_empty() && !keys.is_empty() => Match::Prefix,
            _ => Match::None,
        }
    }

    /// Everything that completes `prefix`: the remaining keys and the action.
    pub fn continuations(&self, prefix: &[Key]) -> Vec<(Vec<Key>, Action)> {
        let mut out = Vec::new();
        if let Some(node) = self.node(prefix) {
            collect(node, &mut Vec::new(), &mut out);
        }
        out
    }
}

fn collect(node: &Node, path: &mut Vec<Key>, out: &mut Vec<(Vec<Key>, Action)>) {
    if let (Some(action), false) = (node.action, path.is_empty()) {
        out.push((path.clone(), action));
    }
    for (key, child) in &node.next {
        path.push(*key);
        collect(child, path, out);
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::super::key::parse_keys;
    use super::*;

    #[test]
    fn resolves_one_key_at_a_time() {
        let mut trie = Trie::default();
        trie.insert(&parse_keys("g g").unwrap(), Action::Top);
        trie.insert(&parse_keys("G").unwrap(), Action::Bottom);
        assert_eq!(trie.lookup(&parse_keys("g").unwrap()), Match::Prefix);
        assert_eq!(
            trie.lookup(&parse_keys("g g").unwrap()),
            Match::Action(Action::Top)
        );
        assert_eq!(
            trie.lookup(&parse_keys("G").unwrap()),
            Match::Action(Action::Bottom)
        );
        assert_eq!(trie.lookup(&parse_keys("g x").unwrap()), Match::None);
        assert_eq!(trie.lookup(&[]), Match::None);
        let rest = trie.continuations(&parse_keys("g").unwrap());
        assert_eq!(rest, vec![(parse_keys("g").unwrap(), Action::Top)]);
    }
}
