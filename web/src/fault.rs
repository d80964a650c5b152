//! [`Fault`]: pages that fail on purpose, each in its own way.

/// Pages that fail on purpose, so a lesson's handling of failure can be seen
/// offline. Each is served at [`Fault::path`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Accepts the connection and never answers.
    Silent,
    /// Answers at once with this status code.
    Status(u16),
    /// Closes the connection without answering.
    Reset,
    /// Announces 10,000 bytes, sends 5,000, and closes the connection.
    Truncated,
    /// Sends its headers, then nothing at all.
    Stall,
    /// Sends its body one byte every 100 ms, for about a day.
    Drip,
    /// Sends a body that never ends, as fast as it is read.
    Endless,
    /// Announces a body of 50 GB, then sends it as fast as it is read.
    Huge,
    /// Fails with status 503 twice, then answers with a page of 1,000 bytes,
    /// and so on: every third request succeeds. For trying retries.
    Flaky,
}

impl Fault {
    /// Every kind of fault, with status 503 for [`Fault::Status`].
    pub const ALL: [Fault; 9] = [
        Fault::Silent,
        Fault::Status(503),
        Fault::Reset,
        Fault::Truncated,
        Fault::Stall,
        Fault::Drip,
        Fault::Endless,
        Fault::Huge,
        Fault::Flaky,
    ];

    /// Where the simulated web serves this fault, such as `/fault/status/503`.
    pub fn path(&self) -> String {
        let name = match self {
            Fault::Status(code) => return format!("/fault/status/{code}"),
            Fault::Silent => "silent",
            Fault::Reset => "reset",
            Fault::Truncated => "truncated",
            Fault::Stall => "stall",
            Fault::Drip => "drip",
            Fault::Endless => "endless",
            Fault::Huge => "huge",
            Fault::Flaky => "flaky",
        };
        format!("/fault/{name}")
    }

    /// The fault served at `path`, if it is one.
    ///
    /// ```
    /// use web::Fault;
    ///
    /// assert_eq!(Fault::from_path("/fault/status/502"), Some(Fault::Status(502)));
    /// assert_eq!(Fault::from_path("/www.baidu.com/"), None);
    /// ```
    pub fn from_path(path: &str) -> Option<Fault> {
        let name = path.strip_prefix("/fault/")?;
        if let Some(code) = name.strip_prefix("status/") {
            return code.parse().ok().map(Fault::Status);
        }
        Fault::ALL.into_iter().find(|fault| fault.path() == path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_is_found_again_at_its_path() {
        for fault in Fault::ALL {
            assert_eq!(Fault::from_path(&fault.path()), Some(fault));
        }
        assert_eq!(Fault::from_path("/fault/nothing"), None);
        assert_eq!(Fault::from_path("/fault/status/404"), Some(Fault::Status(404)));
    }
}
