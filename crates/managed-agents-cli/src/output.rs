//! Printing results: readable tables by default, JSON with `--json`.

use std::io::Write;

use serde::Serialize;

/// Writes one line to stdout. A closed stdout (`| head`) is not an error: the reader has all it
/// wanted, so the rest is dropped and the command finishes normally, cleaning up as usual.
pub(crate) fn line(text: impl std::fmt::Display) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{text}");
}

/// `println!` through [`line`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}
pub(crate) use out;

/// Prints results in the format the user chose.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Printer {
    /// JSON instead of tables.
    pub(crate) json: bool,
}

/// A column of a table: its title and how to read a row's cell.
pub(crate) type Column<T> = (&'static str, fn(&T) -> String);

impl Printer {
    /// Prints one object: as JSON, or as `field  value` lines.
    pub(crate) fn object<T: Serialize>(&self, object: &T) {
        let value = serde_json::to_value(object).expect("API objects serialize");
        if self.json {
            out!(
                "{}",
                serde_json::to_string_pretty(&value).expect("values serialize")
            );
            return;
        }
        let serde_json::Value::Object(fields) = value else {
            out!("{value}");
            return;
        };
        let width = fields
            .keys()
            .map(|key| key.chars().count())
            .max()
            .unwrap_or(0);
        for (key, value) in fields {
            out!("{key:width$}  {}", cell(&value));
        }
    }

    /// Prints a list: as a JSON array, or as a table with the given columns.
    pub(crate) fn list<T: Serialize>(&self, items: &[T], columns: &[Column<T>]) {
        if self.json {
            out!(
                "{}",
                serde_json::to_string_pretty(items).expect("API objects serialize")
            );
            return;
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|item| columns.iter().map(|(_, read)| read(item)).collect())
            .collect();
        let mut widths: Vec<usize> = columns.iter().map(|(title, _)| title.len()).collect();
        for row in &rows {
            for (width, value) in widths.iter_mut().zip(row) {
                *width = (*width).max(value.chars().count());
            }
        }
        let titles: Vec<String> = columns
            .iter()
            .map(|(title, _)| title.to_uppercase())
            .collect();
        print_row(&titles, &widths);
        for row in &rows {
            print_row(row, &widths);
        }
        if rows.is_empty() {
            out!("(none)");
        }
    }

    /// Prints a line of progress or a note: to stdout for tables, to stderr in JSON mode so
    /// that stdout stays parseable.
    pub(crate) fn note(&self, text: &str) {
        if self.json {
            eprintln!("{text}");
        } else {
            out!("{text}");
        }
    }
}

fn print_row(cells: &[String], widths: &[usize]) {
    let mut line = String::new();
    for (index, (value, width)) in cells.iter().zip(widths).enumerate() {
        if index > 0 {
            line.push_str("  ");
        }
        line.push_str(value);
        if index + 1 < cells.len() {
            line.push_str(&" ".repeat(width.saturating_sub(value.chars().count())));
        }
    }
    out!("{line}");
}

/// One value as a table cell: strings bare, null as `-`, the rest as compact JSON.
pub(crate) fn cell(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "-".to_owned(),
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// An optional text as a table cell.
pub(crate) fn or_dash(value: Option<&str>) -> String {
    value.unwrap_or("-").to_owned()
}
