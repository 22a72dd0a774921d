//! Trials folded in trial order, whatever order they arrive in: workers finish trials in any
//! order, and the numbers must not depend on it (the page's curves equal the CLI's to the bit).

/// Payloads of trials waiting for their turn.
#[derive(Debug, Clone)]
pub struct InOrder<T> {
    /// The next trial to fold.
    next: usize,
    /// Trials that arrived ahead of their turn (a handful at most).
    waiting: Vec<(usize, T)>,
}

impl<T> Default for InOrder<T> {
    fn default() -> Self {
        InOrder { next: 0, waiting: Vec::new() }
    }
}

impl<T> InOrder<T> {
    /// The next trial to fold: every trial before it is folded.
    pub fn next(&self) -> usize {
        self.next
    }

    /// Starts again at trial 0; returns the payloads that were waiting.
    pub fn reset(&mut self) -> Vec<T> {
        self.next = 0;
        self.waiting.drain(..).map(|(_, p)| p).collect()
    }

    /// Takes trial `trial`'s payload. Returns the payloads now due, in trial order — or, for a
    /// second copy of a trial already in (computed by the page and by a worker that started
    /// late), the payload back as `Err`.
    pub fn push(&mut self, trial: usize, payload: T) -> Result<Vec<T>, T> {
        if trial < self.next || self.waiting.iter().any(|(t, _)| *t == trial) {
            return Err(payload);
        }
        self.waiting.push((trial, payload));
        let mut due = Vec::new();
        while let Some(i) = self.waiting.iter().position(|(t, _)| *t == self.next) {
            due.push(self.waiting.swap_remove(i).1);
            self.next += 1;
        }
        Ok(due)
    }
}

#[cfg(test)]
mod tests {
    use super::InOrder;

    #[test]
    fn trials_arriving_out_of_order_are_folded_in_trial_order() {
        let mut f = InOrder::default();
        assert_eq!(f.push(2, 'c'), Ok(vec![]));
        assert_eq!(f.push(1, 'b'), Ok(vec![]));
        assert_eq!(f.push(0, 'a'), Ok(vec!['a', 'b', 'c']));
        assert_eq!(f.push(3, 'd'), Ok(vec!['d']));
        assert_eq!(f.next(), 4);
    }

    #[test]
    fn a_second_copy_of_a_trial_is_handed_back_unfolded() {
        let mut f = InOrder::default();
        assert_eq!(f.push(0, 1), Ok(vec![1]));
        assert_eq!(f.push(0, 2), Err(2));
        assert_eq!(f.push(2, 3), Ok(vec![]));
        assert_eq!(f.push(2, 4), Err(4));
        assert_eq!(f.reset(), vec![3]);
        assert_eq!(f.next(), 0);
        assert_eq!(f.push(0, 5), Ok(vec![5]));
    }
}
