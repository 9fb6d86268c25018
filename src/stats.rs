//! What a researcher asks first about an archive: how many posts, over which dates,
//! forwarded from whom, which hashtags, mentions, sites and media.

use std::collections::{BTreeMap, HashMap};

use serde::{Serialize, Serializer};

use crate::{Message, Timestamp};

/// Counts of values, serialised as `[{"value": …, "count": …}]`, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally(HashMap<String, u64>);

impl Tally {
    /// Counts one more `value`.
    pub fn add(&mut self, value: &str) {
        match self.0.get_mut(value) {
            Some(count) => *count += 1,
            None => {
                self.0.insert(value.to_owned(), 1);
            }
        }
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: Tally) {
        for (value, count) in other.0 {
            *self.0.entry(value).or_default() += count;
        }
    }

    /// The values, most frequent first (ties in alphabetical order).
    pub fn ranked(&self) -> Vec<(&str, u64)> {
        let mut ranked: Vec<_> = self.0.iter().map(|(v, &c)| (v.as_str(), c)).collect();
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        ranked
    }

    /// Keeps only the `n` most frequent values (ties in alphabetical order, as
    /// [`ranked`](Self::ranked)).
    pub fn keep_top(&mut self, n: usize) {
        if self.0.len() > n {
            let kept: HashMap<String, u64> = self
                .ranked()
                .into_iter()
                .take(n)
                .map(|(value, count)| (value.to_owned(), count))
                .collect();
            self.0 = kept;
        }
    }

    /// How many distinct values were counted.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Entry<'a> {
            value: &'a str,
            count: u64,
        }
        serializer.collect_seq(
            self.ranked()
                .into_iter()
                .map(|(value, count)| Entry { value, count }),
        )
    }
}

/// Summary of a set of messages; [`Stats::add`] them one by one, [`Stats::merge`] partial
/// results (one per input, computed in parallel).
///
/// ```
/// let export = tgexport::parse("Forwarded from MFA\n#a #b\nForwarded from MFA\n#a\n").unwrap();
/// let mut stats = tgexport::stats::Stats::default();
/// export.messages.iter().for_each(|m| stats.add(m));
/// assert_eq!(stats.messages, 2);
/// assert_eq!(stats.hashtags.ranked(), [("#a", 2), ("#b", 1)]);
/// assert_eq!(stats.forwards.ranked(), [("MFA", 2)]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Stats {
    /// Number of messages.
    pub messages: u64,
    /// Earliest message date.
    pub first_date: Option<Timestamp>,
    /// Latest message date.
    pub last_date: Option<Timestamp>,
    /// Messages per month (`2024-05`), for messages with a date.
    pub per_month: BTreeMap<String, u64>,
    /// Forwards by source name.
    pub forwards: Tally,
    /// Hashtags.
    pub hashtags: Tally,
    /// Mentions.
    pub mentions: Tally,
    /// Domains of links (`mid.ru`), without `www.`.
    pub link_domains: Tally,
    /// Media items by kind.
    pub media: Tally,
    /// Emoji markers that lead paragraphs.
    pub markers: Tally,
    /// Messages with a repeated block of lines.
    pub duplicates: u64,
    /// Paragraph lines, i.e. lines that no other construct recognised.
    pub paragraph_lines: u64,
}

impl Stats {
    /// Counts `message` in.
    pub fn add(&mut self, message: &Message) {
        self.messages += 1;
        if let Some(date) = message.date {
            let local = date.local();
            if self.first_date.is_none_or(|first| local < first.local()) {
                self.first_date = Some(date);
            }
            if self.last_date.is_none_or(|last| local > last.local()) {
                self.last_date = Some(date);
            }
            count_month(&mut self.per_month, local);
        }
        if let Some(name) = message
            .forwarded_from
            .as_ref()
            .and_then(|f| f.name.as_deref())
        {
            self.forwards.add(name);
        }
        message
            .hashtags
            .iter()
            .for_each(|tag| self.hashtags.add(tag));
        message
            .mentions
            .iter()
            .for_each(|mention| self.mentions.add(mention));
        for url in message.links.iter().filter_map(|link| link.url.as_deref()) {
            if let Some(domain) = domain(url) {
                self.link_domains.add(&domain);
            }
        }
        message
            .media
            .iter()
            .for_each(|media| self.media.add(media.kind.as_str()));
        for marker in message.paragraphs.iter().filter_map(|p| p.marker.as_ref()) {
            self.markers.add(&marker.emoji);
        }
        self.duplicates += u64::from(message.duplicate.is_some());
        self.paragraph_lines += message.paragraphs.len() as u64;
    }

    /// The lists of counts, by their names in JSON.
    pub fn tallies_mut(&mut self) -> [(&'static str, &mut Tally); 6] {
        [
            ("forwards", &mut self.forwards),
            ("hashtags", &mut self.hashtags),
            ("mentions", &mut self.mentions),
            ("link_domains", &mut self.link_domains),
            ("media", &mut self.media),
            ("markers", &mut self.markers),
        ]
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: Stats) {
        self.messages += other.messages;
        for date in [other.first_date, other.last_date].into_iter().flatten() {
            if self
                .first_date
                .is_none_or(|first| date.local() < first.local())
            {
                self.first_date = Some(date);
            }
            if self
                .last_date
                .is_none_or(|last| date.local() > last.local())
            {
                self.last_date = Some(date);
            }
        }
        for (month, count) in other.per_month {
            *self.per_month.entry(month).or_default() += count;
        }
        self.forwards.merge(other.forwards);
        self.hashtags.merge(other.hashtags);
        self.mentions.merge(other.mentions);
        self.link_domains.merge(other.link_domains);
        self.media.merge(other.media);
        self.markers.merge(other.markers);
        self.duplicates += other.duplicates;
        self.paragraph_lines += other.paragraph_lines;
    }
}

/// Counts one message in the month of `local` (`2024-05`), formatted on the stack: a
/// message with a date is the common case, and chrono's formatter is slow.
fn count_month(per_month: &mut BTreeMap<String, u64>, local: chrono::NaiveDateTime) {
    use chrono::Datelike;
    use std::io::Write;
    let mut buffer = [0; 16];
    let mut rest = &mut buffer[..];
    let formatted = (0..=9999).contains(&local.year())
        && write!(rest, "{:04}-{:02}", local.year(), local.month()).is_ok();
    let written = 16 - rest.len();
    let key = formatted
        .then(|| std::str::from_utf8(&buffer[..written]).ok())
        .flatten();
    match key {
        Some(key) => match per_month.get_mut(key) {
            Some(count) => *count += 1,
            None => {
                per_month.insert(key.to_owned(), 1);
            }
        },
        None => {
            *per_month
                .entry(local.format("%Y-%m").to_string())
                .or_default() += 1
        }
    }
}

/// The host of `url` without `www.`, lowercased.
fn domain(url: &str) -> Option<String> {
    // The host ends the authority; for web URLs, parsing only up to there is the same
    // and far cheaper on long paths. Archives link a few sites over and over, and a URL
    // parse costs thousands of instructions: hosts are remembered per authority, in a
    // cache emptied when full so memory stays bounded.
    const REMEMBERED: usize = 4096;
    thread_local! {
        static HOSTS: std::cell::RefCell<rustc_hash::FxHashMap<String, Option<String>>> =
            Default::default();
    }
    let authority_end = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map_or(url.len(), |rest| {
            url.len() - rest.len() + rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len())
        });
    let authority = &url[..authority_end];
    HOSTS.with_borrow_mut(|hosts| {
        if let Some(host) = hosts.get(authority) {
            return host.clone();
        }
        if hosts.len() >= REMEMBERED {
            hosts.clear();
        }
        let host = host_of(authority);
        hosts.insert(authority.to_owned(), host.clone());
        host
    })
}

/// The host of `url` without `www.`, lowercased, parsed.
fn host_of(url: &str) -> Option<String> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").map(str::to_owned).unwrap_or(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_without_www() {
        assert_eq!(
            domain("https://www.Example.org/a?b").as_deref(),
            Some("example.org")
        );
        assert_eq!(domain("https://t.me/x").as_deref(), Some("t.me"));
        assert_eq!(domain("not a url"), None);
        // Cut at the authority's end, web URLs give the host the whole URL gives.
        for url in [
            "https://user:pw@Mid.RU:8080/a/b?c#d",
            "http://example.org?q=/x",
            "https://example.org#frag/x",
            "https://example.org\\path",
            "https://xn--e1afmkfd.xn--p1ai/",
            "https://[::1]/x",
        ] {
            let whole = url::Url::parse(url)
                .unwrap()
                .host_str()
                .map(str::to_ascii_lowercase);
            assert_eq!(domain(url), whole, "{url}");
        }
    }

    #[test]
    fn remembered_hosts_stay_right_when_the_cache_empties() {
        for i in 0..5000 {
            let url = format!("https://www.site{i}.org/p");
            assert_eq!(domain(&url), Some(format!("site{i}.org")));
        }
        assert_eq!(
            domain("https://www.site1.org/q").as_deref(),
            Some("site1.org")
        );
        assert_eq!(
            domain("https://site1.org:443/").as_deref(),
            Some("site1.org")
        );
    }

    #[test]
    fn months_are_keyed_as_chrono_formats_them() {
        for (y, m) in [(2024, 5), (1, 12), (9999, 1), (10000, 3), (-5, 7)] {
            let mut per_month = BTreeMap::new();
            let local = chrono::NaiveDate::from_ymd_opt(y, m, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap();
            count_month(&mut per_month, local);
            count_month(&mut per_month, local);
            let key = local.format("%Y-%m").to_string();
            assert_eq!(per_month, BTreeMap::from([(key, 2)]));
        }
    }

    #[test]
    fn merge_equals_adding_everything_to_one() {
        let export =
            crate::parse(&std::fs::read_to_string("testdata/text/mfa_forwards.txt").unwrap())
                .unwrap();
        let mut whole = Stats::default();
        export.messages.iter().for_each(|m| whole.add(m));
        let (mut left, mut right) = (Stats::default(), Stats::default());
        let (a, b) = export.messages.split_at(1);
        a.iter().for_each(|m| left.add(m));
        b.iter().for_each(|m| right.add(m));
        left.merge(right);
        assert_eq!(left, whole);
        assert_eq!(whole.duplicates, 3);
        assert_eq!(whole.markers.ranked()[0], ("💬", 2));
    }
}
