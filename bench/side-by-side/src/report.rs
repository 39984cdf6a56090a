//! Figures with both sides' times, printed as Markdown table rows on stdout.

use std::time::Duration;

/// One figure: the project's times, bollard's (when it has the feature), and a reference
/// (Docker CLI, bare serde_json) when there is one.
pub struct Figure {
    pub name: String,
    pub ours: Vec<Duration>,
    pub bollard: Vec<Duration>,
    pub reference: Option<(&'static str, Vec<Duration>)>,
    /// Bytes or items per run, for a rate next to the time.
    pub per_run: Option<(f64, &'static str)>,
    /// Said after the reference.
    pub note: String,
}

/// The middle time; for an even count the mean of the two middle ones.
pub fn median(v: &[Duration]) -> Option<Duration> {
    let mut v = v.to_vec();
    v.sort();
    let upper = *v.get(v.len() / 2)?;
    Some(if v.len() % 2 == 0 { (v[v.len() / 2 - 1] + upper) / 2 } else { upper })
}

fn show(d: Duration, per_run: Option<(f64, &'static str)>) -> String {
    let t = if d.as_secs_f64() >= 1.0 {
        format!("{:.2} s", d.as_secs_f64())
    } else if d.as_secs_f64() >= 0.001 {
        format!("{:.1} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.1} µs", d.as_secs_f64() * 1e6)
    };
    match per_run {
        Some((amount, unit)) => format!("{t} ({:.0} {unit}/s)", amount / d.as_secs_f64()),
        None => t,
    }
}

impl Figure {
    pub fn new(name: impl Into<String>) -> Figure {
        Figure {
            name: name.into(),
            ours: Vec::new(),
            bollard: Vec::new(),
            reference: None,
            per_run: None,
            note: String::new(),
        }
    }

    /// `| figure | project | bollard | bollard ÷ project | reference |`
    pub fn row(&self) -> String {
        let ours = median(&self.ours);
        let theirs = median(&self.bollard);
        let cell = |d: Option<Duration>| d.map_or_else(|| String::from("—"), |d| show(d, self.per_run));
        let ratio = match (ours, theirs) {
            (Some(o), Some(t)) => format!("{:.2}×", t.as_secs_f64() / o.as_secs_f64()),
            _ => String::from("—"),
        };
        let reference = match &self.reference {
            Some((name, times)) => {
                let r = median(times);
                let vs = match (ours, r) {
                    (Some(o), Some(r)) => format!(" (project ÷ it: {:.2})", o.as_secs_f64() / r.as_secs_f64()),
                    _ => String::new(),
                };
                format!("{name}: {}{vs}", cell(r))
            }
            None if self.note.is_empty() => String::from("—"),
            None => String::new(),
        };
        let reference = if self.note.is_empty() { reference } else { format!("{reference}{}", self.note) };
        format!("| {} | {} | {} | {} | {} |", self.name, cell(ours), cell(theirs), ratio, reference)
    }
}
