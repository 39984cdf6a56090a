//! `generated/report.html` (kept fresh by `regen --check`): every version pair, operation and
//! change has an anchor, every in-page link lands on one, and the page loads nothing from
//! elsewhere. How it behaves in a browser is tested in `tests/browser/` (Chromium).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn page() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/report.html");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The values of `attribute="…"` in order.
fn values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let start = at + needle.len();
            &html[start..start + html[start..].find('"').expect("closed attribute")]
        })
        .collect()
}

#[test]
fn anchors_are_unique_and_every_link_lands() {
    let html = page();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for id in values(&html, "id") {
        *seen.entry(id).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "ids used more than once: {twice:?}");
    let hrefs: BTreeSet<&str> = values(&html, "href").into_iter().collect();
    assert!(hrefs.len() > 500, "{} links", hrefs.len());
    for href in &hrefs {
        let target = href.strip_prefix('#').unwrap_or_else(|| panic!("a link that leaves the page: {href}"));
        assert!(seen.contains_key(target), "link to a missing anchor: {href}");
    }
}

#[test]
fn every_pair_operation_and_change_has_an_anchor() {
    let html = page();
    let ids: BTreeSet<&str> = values(&html, "id").into_iter().collect();
    for minor in 40..55 {
        assert!(ids.contains(format!("v1.{minor}-v1.{}", minor + 1).as_str()), "pair 1.{minor}");
    }
    let ops = values(&html, "data-op");
    assert!(ops.len() > 100);
    for op in ops {
        assert!(ids.contains(format!("op-{op}").as_str()), "no history anchor for {op}");
    }
    // Each change item of a pair section carries its own anchor, made from what it is.
    let pairs = &html[html.find("<div id=\"pairs\">").unwrap()..html.find("<div id=\"history\">").unwrap()];
    let items = pairs.matches("<li ").count();
    assert!(items > 500);
    assert_eq!(pairs.matches("<li id=\"").count(), items, "a change without an anchor");
    for anchor in [
        "v1.51-v1.52:response-property-removed:NetworkSettings.IPAddress",
        "v1.42-v1.43:response-property-required-changed:ImageSummary.VirtualSize:required",
        "v1.40-v1.41:request-parameter-added:ContainerStats_query:one-shot",
    ] {
        assert!(ids.contains(anchor), "{anchor}");
    }
}

#[test]
fn an_operation_history_lists_the_changes_that_affected_it() {
    let html = page();
    let start = html.find("<section id=\"op-ContainerInspect\"").expect("history of ContainerInspect");
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    for change in [
        "#v1.51-v1.52:response-property-removed:NetworkSettings.IPAddress",
        "#v1.40-v1.41:response-property-removed:HostConfig.Capabilities",
    ] {
        assert!(section.contains(&format!("href=\"{change}\"")), "{change} not in the history:\n{section}");
    }
    // Versions in order: no entry of a later pair before one of an earlier pair.
    let pairs: Vec<u16> =
        section.match_indices(">v1.").filter_map(|(at, _)| section[at + 4..].split(' ').next()?.parse().ok()).collect();
    assert!(pairs.windows(2).all(|w| w[0] <= w[1]), "{pairs:?}");
}

#[test]
fn the_page_is_self_contained() {
    let html = page();
    // Addresses in the spec's prose are text; what would load something is an element or a
    // style rule (links leaving the page are refused above).
    for needle in [" src=", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url("] {
        assert!(!html.contains(needle), "report.html contains `{needle}`: it must load nothing from elsewhere");
    }
    assert_eq!(html.matches("<script").count(), 1, "one inline script");
}
