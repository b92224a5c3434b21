//! Related entries: for each entry, up to five others sharing topics and regions,
//! best first.
//!
//! The score of `j` for `i` is 3 for every topic list holding both, plus `1 + depth`
//! for every step on the path of one of `i`'s regions whose index holds `j`. Entries
//! scoring less than 4 are not related; ties go to the lower index (the newer entry).
//!
//! Scoring every pair costs n² hash-map updates, which dominated builds of large
//! catalogues. This computes the same lists with a bound: the lists an entry belongs
//! to are visited smallest first (a town before its Land, before whole topics), every
//! newly seen entry is scored exactly, and the visit stops once the weights of the
//! lists not yet visited add up to less than the fifth best score so far: no entry
//! seen only there could still reach the top five.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::catalogue::Catalogue;
use crate::regions::Gazetteer;

/// How many related entries an entry shows.
pub const MAX_RELATED: usize = 5;
/// The lowest score that makes an entry related.
pub const MIN_SCORE: u32 = 4;
const TOPIC_WEIGHT: u32 = 3;

/// A list id and the weight its members score.
type Weighted = (u32, u32);

/// Membership of every entry in the catalogue's lists, for scoring pairs directly.
struct Lists<'c> {
    /// List id → entries (ascending indexes).
    lists: Vec<&'c [usize]>,
    /// Entry → ids of the lists holding it (ascending).
    member: Vec<Vec<u32>>,
    /// Region key → list id.
    region_id: HashMap<&'c str, u32>,
    /// Number of topic lists; they come first, region lists after.
    topics: usize,
    /// List id → its members as a bitset, for long lists only (see [`Lists::bits`]).
    bits: Vec<Option<Vec<u64>>>,
}

/// A list gets a bitset when it holds at least one entry in this many: walking its
/// words then costs less than scoring its members one by one.
const BITSET_SHARE: usize = 128;

impl<'c> Lists<'c> {
    fn new(cat: &'c Catalogue) -> Self {
        let mut lists: Vec<&[usize]> = cat.topics.iter().map(|(_, l)| l.as_slice()).collect();
        let topics = lists.len();
        let mut region_id = HashMap::with_capacity(cat.regions.len());
        for (key, idx) in &cat.regions {
            region_id.insert(key.as_str(), lists.len() as u32);
            lists.push(idx.entries.as_slice());
        }
        let mut member: Vec<Vec<u32>> = vec![Vec::new(); cat.entries.len()];
        for (id, list) in lists.iter().enumerate() {
            for &j in *list {
                if let Some(m) = member.get_mut(j)
                    && m.last() != Some(&(id as u32))
                {
                    m.push(id as u32);
                }
            }
        }
        let n = cat.entries.len();
        let words = n.div_ceil(64);
        let bits = lists
            .iter()
            .map(|list| {
                (list.len() >= (n / BITSET_SHARE).max(64)).then(|| {
                    let mut b = vec![0u64; words];
                    for &j in *list {
                        b[j / 64] |= 1 << (j % 64);
                    }
                    b
                })
            })
            .collect();
        Lists {
            lists,
            member,
            region_id,
            topics,
            bits,
        }
    }

    /// The lists whose members score for `i`, with their summed weights, smallest
    /// list first.
    fn weighted(&self, i: usize, cat: &Catalogue, g: &Gazetteer) -> Vec<(u32, u32)> {
        let mut out: Vec<(u32, u32)> = Vec::new();
        let mut add = |id: u32, w: u32| match out.iter_mut().find(|(x, _)| *x == id) {
            Some((_, sum)) => *sum += w,
            None => out.push((id, w)),
        };
        for &id in &self.member[i] {
            if (id as usize) < self.topics {
                add(id, TOPIC_WEIGHT);
            }
        }
        for r in &cat.entries[i].regions {
            for (depth, step) in g.path(r).into_iter().enumerate() {
                if let Some(&id) = self.region_id.get(step.key.as_str()) {
                    add(id, 1 + depth as u32);
                }
            }
        }
        out.sort_by_key(|&(id, _)| (self.lists[id as usize].len(), id));
        out
    }
}

/// For each entry, up to five others sharing topics and regions, best first.
///
/// Entries with the same topics and regions score every other entry alike, so each
/// such group is ranked once: its six best include the five best besides any one of
/// its members. Entries of a whole Land with common topics form large groups, and
/// ranking them is the costly case (their lists are the long ones).
pub fn related_entries(cat: &Catalogue, g: &Gazetteer) -> Vec<Vec<usize>> {
    let lists = Lists::new(cat);
    let weighted: Vec<Vec<Weighted>> = (0..cat.entries.len())
        .into_par_iter()
        .map(|i| lists.weighted(i, cat, g))
        .collect();
    let mut groups: HashMap<&[Weighted], Vec<usize>> = HashMap::new();
    for (i, w) in weighted.iter().enumerate() {
        groups.entry(w.as_slice()).or_default().push(i);
    }
    // each group's ranking depends on nothing else: the order they run in does not
    // matter for the result
    let groups: Vec<(&[Weighted], Vec<usize>)> = groups.into_iter().collect();
    let ranked: Vec<Vec<usize>> = groups
        .par_iter()
        .map_init(
            || Scratch {
                seen: vec![false; cat.entries.len()],
                weight: vec![0; lists.lists.len()],
            },
            |scratch, (w, _)| ranked_for(w, &lists, scratch),
        )
        .collect();
    let mut out = vec![Vec::new(); cat.entries.len()];
    for ((_, members), top) in groups.iter().zip(&ranked) {
        for &i in members {
            out[i] = top
                .iter()
                .copied()
                .filter(|&j| j != i)
                .take(MAX_RELATED)
                .collect();
        }
    }
    out
}

/// Per-thread working memory, left clean after each ranking.
struct Scratch {
    /// Entries scored already.
    seen: Vec<bool>,
    /// List id → its weight for the entry at hand (0 for lists it is not in).
    weight: Vec<u32>,
}

/// How many entries a group ranks: its members' five and one for the member itself.
const RANKED: usize = MAX_RELATED + 1;

/// The best `RANKED` entries for lists `weighted` (as [`Lists::weighted`] gives).
fn ranked_for(weighted: &[Weighted], lists: &Lists, scratch: &mut Scratch) -> Vec<usize> {
    for &(id, w) in weighted {
        scratch.weight[id as usize] = w;
    }
    let Scratch { seen, weight } = scratch;
    // scoring is the innermost step: one array lookup per list the entry is in
    let score_of =
        |j: usize| -> u32 { lists.member[j].iter().map(|&id| weight[id as usize]).sum() };
    // the best so far, (score desc, index asc), at most RANKED long
    let mut best: Vec<(u32, usize)> = Vec::with_capacity(RANKED + 1);
    let mut touched: Vec<usize> = Vec::new();
    let mut remaining: u32 = weighted.iter().map(|(_, w)| w).sum();
    'lists: for (k, &(id, w)) in weighted.iter().enumerate() {
        // lists run shortest first: from the first long one on, all are long
        if lists.bits[id as usize].is_some() {
            rank_long(&weighted[k..], lists, seen, remaining, &mut best);
            break;
        }
        let threshold = if best.len() == RANKED {
            best[RANKED - 1].0
        } else {
            MIN_SCORE
        };
        // no entry first seen from here on can score above the threshold
        if remaining < threshold {
            break;
        }
        for &j in lists.lists[id as usize] {
            // an entry first seen here scores at most `remaining`, and lists run in
            // index order: once the sixth best can only be tied by later entries
            // (which lose ties), nothing still unseen can enter
            if let Some(&(worst, worst_j)) = best.get(RANKED - 1)
                && (remaining < worst || remaining == worst && j > worst_j)
            {
                break 'lists;
            }
            if seen[j] {
                continue;
            }
            seen[j] = true;
            touched.push(j);
            offer(&mut best, score_of(j), j);
        }
        remaining -= w;
    }
    for j in touched {
        seen[j] = false;
    }
    for &(id, _) in weighted {
        weight[id as usize] = 0;
    }
    best.into_iter().map(|(_, j)| j).collect()
}

/// The rest of [`ranked_for`] once only long lists are left. Entries not seen yet
/// score only from these lists, so all of them are walked at once, word by word in
/// index order, and only entries whose lists can add up to the score they need (to
/// beat the sixth best) are scored.
fn rank_long(
    long: &[Weighted],
    lists: &Lists,
    seen: &[bool],
    remaining: u32,
    best: &mut Vec<(u32, usize)>,
) {
    let bits: Vec<&[u64]> = long
        .iter()
        .filter_map(|&(id, _)| lists.bits[id as usize].as_deref())
        .collect();
    let weights: Vec<u32> = long.iter().map(|&(_, w)| w).collect();
    if bits.len() != weights.len() {
        return;
    }
    let words = bits.first().map_or(0, |b| b.len());
    let mut needed = 0;
    let mut covers: Vec<u32> = Vec::new();
    for word in 0..words {
        let now = match best.get(RANKED - 1) {
            // past the sixth best's index, a tie with it no longer wins
            Some(&(worst, worst_j)) => worst + u32::from(word * 64 > worst_j),
            None => MIN_SCORE,
        };
        if now > remaining {
            return;
        }
        if now != needed {
            needed = now;
            covers = minimal_covers(&weights, needed);
        }
        let mut candidates = covers.iter().fold(0u64, |acc, &cover| {
            acc | (0..bits.len())
                .filter(|k| cover >> k & 1 == 1)
                .fold(u64::MAX, |and, k| and & bits[k][word])
        });
        while candidates != 0 {
            let bit = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            let j = word * 64 + bit;
            // members of the short lists were scored there
            if seen[j] {
                continue;
            }
            let s: u32 = (0..bits.len())
                .filter(|&k| bits[k][word] >> bit & 1 == 1)
                .map(|k| weights[k])
                .sum();
            offer(best, s, j);
        }
    }
}

/// Puts entry `j` with score `s` into `best` (score desc, index asc, at most
/// `RANKED` long) when it is related and ranks high enough.
fn offer(best: &mut Vec<(u32, usize)>, s: u32, j: usize) {
    if s < MIN_SCORE {
        return;
    }
    let pos = best.partition_point(|&(bs, bj)| bs > s || (bs == s && bj < j));
    if pos < RANKED {
        best.insert(pos, (s, j));
        best.truncate(RANKED);
    }
}

/// Beyond this many long lists, [`minimal_covers`] gives up on precision.
const MAX_COVER_LISTS: usize = 12;

/// The smallest sets of lists (bit masks over `weights`) whose weights add up to
/// `needed`: an entry scoring that much is in every list of at least one of them.
/// With too many lists to enumerate, every single list (all entries in any of them).
fn minimal_covers(weights: &[u32], needed: u32) -> Vec<u32> {
    let k = weights.len();
    if k > MAX_COVER_LISTS {
        return (0..k).map(|i| 1 << i).collect();
    }
    let sum = |mask: u32| -> u32 {
        (0..k)
            .filter(|i| mask >> i & 1 == 1)
            .map(|i| weights[i])
            .sum()
    };
    (1u32..1 << k)
        .filter(|&mask| {
            let total = sum(mask);
            total >= needed
                && (0..k)
                    .filter(|i| mask >> i & 1 == 1)
                    .all(|i| total - weights[i] < needed)
        })
        .collect()
}

/// The plain definition: score every pair. Kept for tests.
#[cfg(test)]
fn related_naive(cat: &Catalogue, g: &Gazetteer) -> Vec<Vec<usize>> {
    (0..cat.entries.len())
        .map(|i| {
            let e = &cat.entries[i];
            let mut score: HashMap<usize, u32> = HashMap::new();
            for (_, list) in cat
                .topics
                .iter()
                .filter(|(_, l)| l.binary_search(&i).is_ok())
            {
                for &j in list {
                    *score.entry(j).or_default() += TOPIC_WEIGHT;
                }
            }
            for r in &e.regions {
                for (depth, step) in g.path(r).into_iter().enumerate() {
                    if let Some(idx) = cat.regions.get(&step.key) {
                        for &j in &idx.entries {
                            *score.entry(j).or_default() += 1 + depth as u32;
                        }
                    }
                }
            }
            score.remove(&i);
            let mut ranked: Vec<(u32, usize)> = score
                .into_iter()
                .map(|(j, s)| (s, j))
                .filter(|(s, _)| *s >= MIN_SCORE)
                .collect();
            ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            ranked
                .into_iter()
                .take(MAX_RELATED)
                .map(|(_, j)| j)
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::Path;

    fn entry_text(i: usize, topics: &[&str], regions: &[&str]) -> String {
        let q = |v: &[&str]| {
            v.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "+++\ntitle = \"Praxis {i}\"\nyear = {}\ntopic = [{}]\nregion = [{}]\norganisation = [\"Stadt {}\"]\n+++\n\nText.\n",
            2015 + i % 9,
            q(topics),
            q(regions),
            i % 7
        )
    }

    #[test]
    fn covers_are_the_smallest_sets_reaching_the_score() {
        // a Land (1) and two topics (3, 3)
        assert_eq!(minimal_covers(&[1, 3, 3], 7), [0b111]);
        assert_eq!(minimal_covers(&[1, 3, 3], 6), [0b110]);
        assert_eq!(minimal_covers(&[1, 3, 3], 4), [0b011, 0b101, 0b110]);
        assert!(minimal_covers(&[1, 3, 3], 8).is_empty());
        // too many lists to enumerate: any of them
        assert_eq!(minimal_covers(&[1; 13], 2).len(), 13);
    }

    /// The bounded search returns exactly what scoring every pair returns.
    #[test]
    fn bounded_equals_naive() {
        check_against_naive(300, &["A", "B", "C", "D"]);
    }

    /// Enough entries that the long lists are walked as bitsets, with the short
    /// ones before them.
    #[test]
    fn bounded_equals_naive_with_long_lists() {
        check_against_naive(3000, &["A", "B", "C", "D", "E", "F", "G", "H"]);
    }

    fn check_against_naive(n: usize, topics: &[&str]) {
        let vocabulary: String = topics
            .iter()
            .map(|t| format!("[[topic]]\nname = \"{t}\"\n"))
            .collect();
        let config = Config::parse(
            &format!("title = \"T\"\n{vocabulary}"),
            Path::new("site.toml"),
        )
        .expect("config");
        let g = Gazetteer::get();
        let names: Vec<String> = g
            .regions()
            .iter()
            .filter(|r| !r.historical)
            .map(|r| r.key.clone())
            .collect();
        let mut entries = Vec::new();
        let mut state: u64 = 7;
        let mut next = |m: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % m
        };
        for i in 0..n {
            let mut t: Vec<&str> = (0..1 + next(3))
                .map(|_| topics[next(topics.len())])
                .collect();
            t.sort_unstable();
            t.dedup();
            // the second half shares three regions: entries with equal topics and
            // regions form groups that are ranked once
            let pool = if i < n / 2 { names.len() } else { 3 };
            let r: Vec<&str> = (0..1 + next(2))
                .map(|_| names[next(pool)].as_str())
                .collect();
            let text = entry_text(i, &t, &r);
            let rel = format!("content/e{i}.md");
            let e = crate::load::parse_entry(text.as_bytes(), Path::new(&rel), &config, g)
                .expect("valid entry");
            entries.push(std::sync::Arc::new(e));
        }
        let (cat, diags) = crate::catalogue::build(entries, &config, g);
        assert!(diags.is_empty());
        assert_eq!(related_entries(&cat, g), related_naive(&cat, g));
    }
}
