//! The figures of one run and the BENCHMARKS.md they become.

use std::fmt::Write as _;

/// A target a figure's ratio must meet.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The ratio must be at most this.
    AtMost(f64),
    /// The ratio must be at least this.
    AtLeast(f64),
}

impl Target {
    fn met(self, ratio: f64) -> bool {
        match self {
            Target::AtMost(t) => ratio <= t,
            Target::AtLeast(t) => ratio >= t,
        }
    }
    fn describe(self) -> String {
        match self {
            Target::AtMost(t) => format!("≤ {t}"),
            Target::AtLeast(t) => format!("≥ {t}"),
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Figure {
    pub name: String,
    pub measured: String,
    pub baseline: String,
    pub ratio: Option<f64>,
    pub target: Option<Target>,
    pub note: String,
}

impl Figure {
    pub fn new(name: impl Into<String>, measured: impl Into<String>) -> Self {
        Figure {
            name: name.into(),
            measured: measured.into(),
            baseline: String::new(),
            ratio: None,
            target: None,
            note: String::new(),
        }
    }
    pub fn against(mut self, baseline: impl Into<String>, ratio: f64) -> Self {
        self.baseline = baseline.into();
        self.ratio = Some(ratio);
        self
    }
    pub fn target(mut self, target: Target) -> Self {
        self.target = Some(target);
        self
    }
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
    fn status(&self) -> &'static str {
        match (self.ratio, self.target) {
            (Some(r), Some(t)) if r.is_finite() && t.met(r) => "PASS",
            (Some(_), Some(_)) => "FAIL",
            _ => "",
        }
    }
}

/// The report: sections of figures, plus the machine and date.
pub struct Report {
    quick: bool,
    sections: Vec<(String, String, Vec<Figure>)>,
}

impl Report {
    pub fn new(quick: bool) -> Self {
        Report {
            quick,
            sections: Vec::new(),
        }
    }

    pub fn header_line(&self) -> String {
        format!(
            "{} mode, {} cores, load {}, {}",
            if self.quick { "quick" } else { "full" },
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            load_average(),
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
        )
    }

    /// Starts a section.
    pub fn section(&mut self, title: &str, how: &str) {
        println!("\n## {title}");
        self.sections
            .push((title.to_owned(), how.to_owned(), Vec::new()));
    }

    /// Adds a figure to the current section and prints it.
    pub fn add(&mut self, figure: Figure) {
        println!(
            "  {:<58} {:>16}  vs {:>16}  ratio {:>7}  {} {}",
            figure.name,
            figure.measured,
            figure.baseline,
            figure.ratio.map_or(String::new(), |r| format!("{r:.3}")),
            figure.target.map_or(String::new(), |t| t.describe()),
            figure.status()
        );
        if let Some(section) = self.sections.last_mut() {
            section.2.push(figure);
        }
    }

    pub fn failed(&self) -> usize {
        self.sections
            .iter()
            .flat_map(|s| &s.2)
            .filter(|f| f.status() == "FAIL")
            .count()
    }

    pub fn write(&self, path: &str) -> std::io::Result<()> {
        let mut md = String::new();
        let _ = writeln!(md, "# Benchmarks\n");
        let _ = writeln!(
            md,
            "Written by `cargo bench --bench suite` ({}). Every ratio divides a figure by the bound or \
             baseline measured in the same run on the same machine; targets are issue 12's.\n",
            self.header_line()
        );
        if self.quick {
            let _ = writeln!(
                md,
                "**Quick mode** (`ASPECT_BENCH_QUICK=1`): small sizes for CI, not the issue's.\n"
            );
        }
        for (title, how, figures) in &self.sections {
            let _ = writeln!(md, "## {title}\n\n{how}\n");
            let _ = writeln!(
                md,
                "| Figure | Measured | Bound / baseline (same run) | Ratio | Target | |\n|---|---|---|---|---|---|"
            );
            for f in figures {
                let name = if f.note.is_empty() {
                    f.name.clone()
                } else {
                    format!("{} ({})", f.name, f.note)
                };
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {} | {} |",
                    name,
                    f.measured,
                    f.baseline,
                    f.ratio.map_or(String::new(), |r| format!("{r:.3}")),
                    f.target.map_or(String::new(), |t| t.describe()),
                    f.status()
                );
            }
            let _ = writeln!(md);
        }
        std::fs::write(path, md)
    }
}

/// The 1-minute load average (other work on the machine skews figures).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into())
}

/// Seconds with two decimals.
pub fn secs(d: std::time::Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// Nearest-rank percentile of sorted durations.
pub fn percentile(sorted: &[std::time::Duration], p: f64) -> std::time::Duration {
    if sorted.is_empty() {
        return std::time::Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
