//! A guess at how long a waiting caller will still wait, from how long the callers recently
//! answered in the same category waited.
//!
//! The guess is the median recent wait times the caller's place in line, capped at an hour:
//!
//! - Every caller ahead has to be answered first, so the wait grows with the place in line.
//! - Without the places recent callers started from, a whole recent wait is the best measure
//!   of how long one place in line takes. It errs long, because callers who joined behind
//!   others spent part of their wait moving up; erring long is the kinder mistake, because a
//!   caller answered sooner than promised is relieved, while one promised 2 minutes who waits
//!   6 feels ignored, and callers past their category's limit are offered a callback anyway.
//! - The median, not the mean: one caller who waited through a shift change would otherwise
//!   lengthen everyone's estimate.
//! - Only the most recent waits count, so the guess follows the staffing of the moment.
//! - Past an hour, no number means anything, and a huge one only makes callers give up.

/// With fewer recent waits than this, the line's pace is not known well enough to say.
const MIN_SAMPLES: usize = 3;

/// Only this many of the most recent waits count.
const MAX_SAMPLES: usize = 20;

/// The longest estimate ever given.
pub const MAX_ESTIMATE_SECONDS: u32 = 60 * 60;

/// Seconds a caller at `position` (1 is next) is likely still to wait, from the waits of the
/// callers recently answered in the same category, most recent first. `None` when fewer than 3
/// recent waits are known.
pub fn estimate_wait(recent_waits_seconds: &[u32], position: u32) -> Option<u32> {
    let recent = &recent_waits_seconds[..recent_waits_seconds.len().min(MAX_SAMPLES)];
    if recent.len() < MIN_SAMPLES {
        return None;
    }
    // Providers count places from 1; a 0 can only mean "next".
    let places = u64::from(position.max(1));
    let estimate = u64::from(median(recent)) * places;
    Some(u32::try_from(estimate).map_or(MAX_ESTIMATE_SECONDS, |e| e.min(MAX_ESTIMATE_SECONDS)))
}

/// The middle wait; with an even count, the mean of the two middle ones, rounded down.
fn median(waits: &[u32]) -> u32 {
    let mut sorted = waits.to_vec();
    sorted.sort_unstable();
    let Some(last) = sorted.len().checked_sub(1) else {
        return 0;
    };
    // With an odd count both indexes are the middle one; both are at most `last`.
    let (lower, upper) = (last / 2, sorted.len() / 2);
    let sum = u64::from(sorted[lower]) + u64::from(sorted[upper]);
    // The mean of two u32 values always fits in a u32.
    u32::try_from(sum / 2).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fewer_than_three_recent_waits_give_no_estimate() {
        assert_eq!(estimate_wait(&[], 1), None);
        assert_eq!(estimate_wait(&[60, 120], 1), None);
        assert!(estimate_wait(&[60, 120, 180], 1).is_some());
    }

    #[test]
    fn the_next_caller_is_told_the_median_recent_wait() {
        assert_eq!(estimate_wait(&[60, 600, 120], 1), Some(120));
        assert_eq!(estimate_wait(&[60, 120, 180, 240], 1), Some(150));
    }

    #[test]
    fn one_very_long_wait_does_not_lengthen_the_estimate() {
        let usual = estimate_wait(&[90, 100, 110, 120], 2);
        let with_outlier = estimate_wait(&[90, 100, 110, 120, 3000], 2);
        assert_eq!((usual, with_outlier), (Some(210), Some(220)));
    }

    #[test]
    fn the_estimate_grows_with_the_place_in_line() {
        let waits = [100, 120, 140];
        assert_eq!(estimate_wait(&waits, 3), Some(360));
        assert_eq!(estimate_wait(&waits, 0), estimate_wait(&waits, 1));
    }

    #[test]
    fn only_the_twenty_most_recent_waits_count() {
        let mut waits = vec![60; 20];
        waits.extend([3000; 30]);
        assert_eq!(estimate_wait(&waits, 1), Some(60));
    }

    #[test]
    fn estimates_stop_at_an_hour() {
        assert_eq!(
            estimate_wait(&[600, 600, 600], 50),
            Some(MAX_ESTIMATE_SECONDS)
        );
        let huge = [u32::MAX, u32::MAX, u32::MAX];
        assert_eq!(estimate_wait(&huge, u32::MAX), Some(MAX_ESTIMATE_SECONDS));
    }

    proptest! {
        #[test]
        fn a_later_place_in_line_never_has_a_shorter_estimate(
            waits in proptest::collection::vec(0u32..20_000, 3..40),
            position in 0u32..500,
            further in 0u32..500,
        ) {
            let here = estimate_wait(&waits, position);
            let behind = estimate_wait(&waits, position + further);
            prop_assert!(here.is_some() && behind.is_some());
            prop_assert!(here <= behind, "{here:?} then {behind:?}");
        }

        #[test]
        fn estimates_are_never_absurd(
            waits in proptest::collection::vec(any::<u32>(), 3..40),
            position in 1u32..1000,
        ) {
            let estimate = estimate_wait(&waits, position).expect("enough waits");
            let counted = &waits[..waits.len().min(20)];
            let longest = u64::from(*counted.iter().max().expect("not empty"));
            let shortest = u64::from(*counted.iter().min().expect("not empty"));
            prop_assert!(estimate <= MAX_ESTIMATE_SECONDS);
            // Never more per place in line than the longest recent wait ...
            prop_assert!(u64::from(estimate) <= longest * u64::from(position));
            // ... and, below the cap, never less per place than the shortest.
            let uncapped_floor = shortest * u64::from(position);
            prop_assert!(u64::from(estimate) >= uncapped_floor.min(u64::from(MAX_ESTIMATE_SECONDS)));
        }
    }
}
