//! "Did you mean" suggestions for mistyped names.

/// ` (did you mean `A`, `B`?)` with the known names closest to `wanted`, or nothing when none is
/// close. Case is ignored when comparing, so `describeinstances` finds `DescribeInstances`.
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let close = closest(wanted, known);
    if close.is_empty() {
        return String::new();
    }
    let names: Vec<String> = close.iter().map(|name| format!("`{name}`")).collect();
    format!(" (did you mean {}?)", names.join(", "))
}

/// Up to three known names closest to `wanted`, closest first: those within an edit distance of
/// a third of the name's length (at least 2), and those that contain it or that it contains.
pub fn closest<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted_lower = wanted.to_ascii_lowercase();
    let limit = 2 * (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &'a str)> = known
        .into_iter()
        .filter_map(|name| {
            let lower = name.to_ascii_lowercase();
            let distance = edit_distance(&wanted_lower, &lower);
            if distance <= limit {
                Some((distance, name))
            } else if wanted_lower.len() >= 4
                && (lower.contains(&wanted_lower) || wanted_lower.contains(&lower))
            {
                Some((limit + 1, name))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored.dedup();
    // A name that differs only in case is the one meant.
    if scored.first().is_some_and(|(distance, _)| *distance == 0) {
        scored.retain(|(distance, _)| *distance == 0);
    }
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

/// Edit distance over characters, in half edits: inserting, deleting or replacing a character
/// costs two, and swapping two neighbours one, so that `cmv` is closer to `cvm` than to `cme`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).map(|j| 2 * j).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = 2 * i;
        for j in 1..=b.len() {
            let cost = 2 * usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 2)
                .min(current[j - 1] + 2)
                .min(previous[j - 1] + cost);
            let swapped = i > 1 && j > 1 && a[i - 1] != a[i - 2];
            if swapped && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 6);
        assert_eq!(edit_distance("", "abc"), 6);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("cmv", "cvm"), 1);
        assert_eq!(edit_distance("cmv", "cme"), 2);
    }

    #[test]
    fn suggests_close_names_first() {
        let known = ["DescribeInstances", "DescribeImages", "RunInstances"];
        assert_eq!(closest("DescribeInstance", known)[0], "DescribeInstances");
        assert_eq!(closest("describeinstances", known), ["DescribeInstances"]);
        assert_eq!(did_you_mean("Nothing", known), "");
        assert_eq!(
            did_you_mean("cmv", ["cvm", "cbs", "vpc"]),
            " (did you mean `cvm`, `cbs`?)"
        );
    }
}
