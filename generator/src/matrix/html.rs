//! `generated/report.html`: one self-contained page (inline CSS and JS, no external loads):
//! operations × versions coloured by change, a filter by tag or name, and each pair's changes.
//!
//! Place in the pipeline: step 4, a report, from the matrix, its diffs and its grid.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::html_history::{self, op_anchor};
use super::{Cell, Diff, Kind, Level, Matrix};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// Message with `code` spans turned into `<code>`.
fn message_html(message: &str) -> String {
    let mut out = String::new();
    for (i, part) in message.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", escape(part));
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

fn pair_id(diff: &Diff) -> String {
    html_history::pair_anchor(diff)
}

const STYLE: &str = "
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.2em;margin-top:1.5em}
table.grid{border-collapse:collapse;font-size:12px}
table.grid th,table.grid td{border:1px solid #ddd;padding:2px 4px;white-space:nowrap}
table.grid td.c{text-align:center;min-width:1.6em}
table.grid thead th{position:sticky;top:0;background:#f4f4f4}
.absent{background:#fff}.present{background:#e6f4ea}.added{background:#8fd19e}
.removed{background:#bbb}.breaking{background:#f28b82}.warning{background:#fdd663}.info{background:#aecbfa}
.controls{margin:1em 0}.controls input{width:22em}
li.breaking,li.warning,li.info{background:none}
li .lvl{display:inline-block;width:5.5em;font-weight:600}
li.breaking .lvl{color:#b3261e}li.warning .lvl{color:#8a6d00}li.info .lvl{color:#1a56b0}
details{margin:.3em 0}summary{cursor:pointer}
code{font-size:95%}
.lv,.ops{color:#555;font-size:90%}.wd{margin:.2em 0 .4em 5.8em;font-size:90%}del{background:#fbd0cc}ins{background:#c8efd0;text-decoration:none}
.legend span{display:inline-block;padding:0 .5em;margin-right:.3em;border:1px solid #ccc}
a.pl{color:#999;text-decoration:none;margin-right:.3em}a.pl:hover{color:#1a56b0}
:target{outline:2px solid #1a56b0;outline-offset:2px}li:target{background:#fff3bf}
table.grid th a{color:inherit}
";

/// The filter (grid rows, change items and operation histories) and the links: a link to
/// anything inside a collapsed section opens the sections around it, on load and on every
/// navigation, and clears a filter that hides it.
const SCRIPT: &str = "
(function(){
  var q=document.getElementById('q'),tag=document.getElementById('tag');
  function shows(el,text,t){
    return (!t||el.getAttribute('data-tag')===t)&&(!text||el.getAttribute('data-text').indexOf(text)>=0);
  }
  function apply(){
    var text=q.value.toLowerCase(),t=tag.value,shown=0;
    var rows=document.querySelectorAll('#grid tbody tr');
    for(var i=0;i<rows.length;i++){var ok=shows(rows[i],text,t);rows[i].style.display=ok?'':'none';if(ok)shown++;}
    var ops=document.querySelectorAll('#history > section');
    for(var k=0;k<ops.length;k++){ops[k].style.display=shows(ops[k],text,t)?'':'none';}
    var items=document.querySelectorAll('#pairs li');
    for(var j=0;j<items.length;j++){
      var li=items[j];
      li.style.display=(!text||li.getAttribute('data-text').indexOf(text)>=0)?'':'none';
    }
    document.getElementById('count').textContent=shown+' operations shown';
  }
  function reveal(){
    if(location.hash.length<2)return;
    var el=document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if(!el)return;
    for(var p=el;p&&p.style;p=p.parentElement){if(p.style.display==='none'){q.value='';tag.value='';apply();break;}}
    for(var a=el;a;a=a.parentElement){if(a.tagName==='DETAILS')a.open=true;}
    var own=el.querySelector(':scope > details');if(own)own.open=true;
    el.scrollIntoView();
  }
  q.addEventListener('input',apply);tag.addEventListener('change',apply);
  window.addEventListener('hashchange',reveal);
  document.addEventListener('click',function(e){
    var a=e.target.closest?e.target.closest('a[href^=\\'#\\']'):null;
    if(a&&a.getAttribute('href')===location.hash)setTimeout(reveal,0);
  });
  apply();reveal();
})();
";

fn cell_html(cell: Cell, version: &str, pair: Option<&str>) -> String {
    let (class, symbol, title) = match cell {
        Cell::Absent => ("absent", "", "absent"),
        Cell::Removed => ("removed", "−", "removed"),
        Cell::Added => ("added", "+", "added"),
        Cell::Present => ("present", "✓", "present, unchanged"),
        Cell::Changed(Level::Breaking) => ("breaking", "!", "breaking change"),
        Cell::Changed(Level::Warning) => ("warning", "~", "warning-level change"),
        Cell::Changed(Level::Info) => ("info", "i", "other change"),
    };
    let body = match (cell, pair) {
        (Cell::Changed(_) | Cell::Added | Cell::Removed, Some(pair)) => format!("<a href=\"#{pair}\">{symbol}</a>"),
        _ => symbol.to_string(),
    };
    format!("<td class=\"c {class}\" title=\"v{version}: {title}\">{body}</td>")
}

/// The change list of one diff, as `<li>` items.
pub fn changes_html(diff: &Diff) -> String {
    let mut out = String::new();
    for (c, anchor) in html_history::anchored(diff) {
        let level = html_history::level_label(c);
        let _ = writeln!(
            out,
            "<li id=\"{anchor}\" class=\"{}\" data-text=\"{}\"><a class=\"pl\" href=\"#{anchor}\" title=\"link to this change\">#</a><span class=\"lvl\">{}</span> <code>{}</code> {}{}</li>",
            c.level.as_str(),
            escape(&format!("{} {}", c.key, c.message).to_lowercase()),
            level,
            escape(c.id.as_str()),
            message_html(&c.message),
            super::html_change::change_details(c)
        );
    }
    out
}

fn pair_summary(diff: &Diff) -> String {
    format!(
        "v{} → v{}: {} breaking, {} warnings, {} info, {} description changes",
        diff.from,
        diff.to,
        diff.count(Level::Breaking),
        diff.count(Level::Warning),
        diff.count(Level::Info),
        diff.descriptions.len()
    )
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<!-- Generated by `cargo xtask regen` from the Docker Engine API specs. Do not edit. -->\n\
         <html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// A page for one diff (`cargo xtask diff --format html`).
pub fn diff_page(diff: &Diff) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "<h1>Docker Engine API v{} → v{}</h1>", diff.from, diff.to);
    let _ = writeln!(body, "<p>{}</p>", escape(&pair_summary(diff)));
    let _ = writeln!(body, "<ul>\n{}</ul>", changes_html(diff));
    page(&format!("Docker Engine API v{} → v{}", diff.from, diff.to), &body)
}

/// `generated/report.html`.
pub fn report(matrix: &Matrix, pairs: &[Diff]) -> String {
    let mut body = String::new();
    let first = matrix.versions.first().map(|v| v.version.to_string()).unwrap_or_default();
    let last = matrix.versions.last().map(|v| v.version.to_string()).unwrap_or_default();
    let _ = writeln!(body, "<h1>Docker Engine API versions {first} to {last}</h1>");
    let _ = writeln!(
        body,
        "<p>Computed from the generator's IR of {} specs. Levels are for a client written against the older version; \
         a change counts for an operation when it touches the operation, its parameters or responses, or a type they reach. \
         An operation's name leads to its history; a cell to its version pair; <code>#</code> is a link to one change.</p>",
        matrix.versions.len()
    );
    let _ = writeln!(
        body,
        "<p class=\"legend\"><span class=\"present\">✓ unchanged</span><span class=\"added\">+ added</span>\
         <span class=\"breaking\">! breaking</span><span class=\"warning\">~ warning</span><span class=\"info\">i info</span>\
         <span class=\"removed\">− removed</span><span class=\"absent\">absent</span></p>"
    );
    let tags: BTreeSet<&str> =
        matrix.entities.values().filter(|e| e.kind() == Kind::Operation).filter_map(|e| e.first_tag()).collect();
    body.push_str("<div class=\"controls\"><label>filter <input id=\"q\" type=\"search\" placeholder=\"operation, path, property…\"/></label> ");
    body.push_str("<label>tag <select id=\"tag\"><option value=\"\">all</option>");
    for tag in &tags {
        let _ = write!(body, "<option value=\"{0}\">{0}</option>", escape(tag));
    }
    body.push_str("</select></label> <span id=\"count\"></span></div>\n");
    let rows = operation_rows(matrix);
    grid(&mut body, matrix, pairs, &rows);
    body.push_str("<h2>Changes between consecutive versions</h2>\n<div id=\"pairs\">\n");
    for diff in pairs {
        let _ = writeln!(
            body,
            "<section id=\"{}\"><details><summary>{}</summary>\n<ul>\n{}</ul></details></section>",
            pair_id(diff),
            escape(&pair_summary(diff)),
            changes_html(diff)
        );
    }
    body.push_str("</div>\n");
    html_history::histories(&mut body, matrix, pairs, &rows);
    let _ = writeln!(body, "<script>{SCRIPT}</script>");
    page("Docker Engine API version matrix", &body)
}

/// Every operation as (tag, operation id, `METHOD /path`), sorted: the rows of the grid and the
/// order of the histories.
fn operation_rows(matrix: &Matrix) -> Vec<(&str, &str, String)> {
    let mut rows: Vec<(&str, &str, String)> = matrix
        .entities
        .values()
        .filter(|e| e.kind() == Kind::Operation)
        .map(|e| (e.first_tag().unwrap_or(""), e.key.as_str(), matrix.op_label(&e.key)))
        .collect();
    rows.sort();
    rows
}

/// The operations × versions table, one row per operation, each cell linking to its pair and
/// each operation to its history.
fn grid(body: &mut String, matrix: &Matrix, pairs: &[Diff], rows: &[(&str, &str, String)]) {
    let cells = matrix.operation_cells(pairs);
    body.push_str("<table class=\"grid\" id=\"grid\">\n<thead><tr><th>operation</th><th>endpoint</th><th>tag</th>");
    for v in &matrix.versions {
        let _ = write!(body, "<th data-version=\"{0}\">{0}</th>", v.version);
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    for &(tag, op, ref label) in rows {
        let _ = write!(
            body,
            "<tr data-op=\"{}\" data-tag=\"{}\" data-text=\"{}\"><th><a href=\"#{}\">{}</a></th><td><code>{}</code></td><td>{}</td>",
            escape(op),
            escape(tag),
            escape(&format!("{op} {label}").to_lowercase()),
            op_anchor(op),
            escape(op),
            escape(label),
            escape(tag)
        );
        for (vi, c) in cells.get(op).into_iter().flatten().enumerate() {
            let version = matrix.versions.get(vi).map(|v| v.version.to_string()).unwrap_or_default();
            let pair = vi.checked_sub(1).and_then(|p| pairs.get(p)).map(pair_id);
            body.push_str(&cell_html(*c, &version, pair.as_deref()));
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody>\n</table>\n");
}
