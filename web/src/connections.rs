//! The connections a web holds open, and the [`Guard`] on them: a budget for
//! all of them, a share for each client address, and, when the budget is
//! spent, the connection idle the longest closed to make room. A room behind
//! one address gets a large share; a flood of silent connections, from any
//! number of addresses, is closed before anyone's download is.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use tokio::{sync::oneshot, time::Instant};

/// How a simulated web guards itself against clients that take too much:
/// what `serve` needs on a class network, where one student's runaway script
/// must not stop the room.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guard {
    /// How long a client may take to send a request's headers, and how long
    /// an idle connection is kept open waiting for the next request.
    pub header_timeout: Duration,
    /// How long a client may leave what it asked for unread before it is
    /// cut off: its answer waits in a small buffer meanwhile.
    pub write_timeout: Duration,
    /// The most connections open at once. Past it, the connection idle the
    /// longest (one that never sent a request, or waits for its next) is
    /// closed to make room; if every one is busy, the new one is closed.
    pub connections: usize,
    /// The most connections one client address may hold at once; more are
    /// closed as soon as they are accepted.
    pub per_address: usize,
}

impl Default for Guard {
    /// Ten seconds for headers and for an unread answer; no budget but the
    /// system's, which is a lesson's own web's: `serve` sets its own.
    fn default() -> Self {
        Guard {
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            connections: usize::MAX,
            per_address: usize::MAX,
        }
    }
}

impl Guard {
    /// The guard of a web that may keep `files` open: all but a few of them
    /// for connections, and half of those for one address, so that a whole
    /// room behind one address fits and a flood from one does not.
    ///
    /// ```
    /// let guard = web::Guard::for_files(20_000);
    /// assert_eq!((guard.connections, guard.per_address), (19_936, 9_968));
    /// ```
    pub fn for_files(files: u64) -> Guard {
        let connections =
            usize::try_from(files.saturating_sub(64).max(2)).unwrap_or(usize::MAX);
        Guard { connections, per_address: connections / 2, ..Guard::default() }
    }
}

/// The connections open, numbered in the order accepted.
pub(crate) struct Connections {
    guard: Guard,
    open: Mutex<Open>,
}

#[derive(Default)]
struct Open {
    /// How many were accepted: the last one's number.
    accepted: u64,
    by_number: HashMap<u64, Connection>,
    by_address: HashMap<IpAddr, usize>,
}

/// One open connection.
struct Connection {
    address: IpAddr,
    /// Its requests being answered.
    busy: usize,
    /// Since when it has had none.
    idle_since: Instant,
    /// Closes it.
    close: oneshot::Sender<()>,
}

/// An accepted connection's place among the open ones, given back when
/// dropped; `closed` resolves when it must close to make room.
pub(crate) struct Admitted {
    pub(crate) number: u64,
    pub(crate) closed: oneshot::Receiver<()>,
    connections: Arc<Connections>,
}

impl Connections {
    pub(crate) fn new(guard: Guard) -> Connections {
        Connections { guard, open: Mutex::default() }
    }

    pub(crate) fn guard(&self) -> &Guard {
        &self.guard
    }

    fn lock(&self) -> MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes room for a connection from `address`: past the address's share,
    /// its own idlest connection is closed; past the budget, the idlest of
    /// all. `None` when there is none idle to close: then the new one is.
    pub(crate) fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Admitted> {
        let mut open = self.lock();
        if open.by_address.get(&address).copied().unwrap_or(0)
            >= self.guard.per_address
        {
            open.close_idlest(|connection| connection.address == address)?;
        }
        if open.by_number.len() >= self.guard.connections {
            open.close_idlest(|_| true)?;
        }
        open.accepted += 1;
        let number = open.accepted;
        let (close, closed) = oneshot::channel();
        let connection =
            Connection { address, busy: 0, idle_since: Instant::now(), close };
        open.by_number.insert(number, connection);
        *open.by_address.entry(address).or_default() += 1;
        Some(Admitted { number, closed, connections: self.clone() })
    }

    /// Notes that a request of connection `number` began (`true`) or ended.
    pub(crate) fn busy(&self, number: u64, began: bool) {
        let mut open = self.lock();
        if let Some(connection) = open.by_number.get_mut(&number) {
            if began {
                connection.busy += 1;
            } else {
                connection.busy = connection.busy.saturating_sub(1);
                connection.idle_since = Instant::now();
            }
        }
    }
}

impl Open {
    /// Closes the connection idle the longest of those `among` picks.
    fn close_idlest(&mut self, among: impl Fn(&Connection) -> bool) -> Option<()> {
        let idlest = (self.by_number.iter())
            .filter(|(_, connection)| connection.busy == 0 && among(connection))
            .min_by_key(|(_, connection)| connection.idle_since)
            .map(|(number, _)| *number)?;
        let closing = self.remove(idlest)?;
        let _ = closing.close.send(());
        Some(())
    }

    fn remove(&mut self, number: u64) -> Option<Connection> {
        let connection = self.by_number.remove(&number)?;
        if let Some(count) = self.by_address.get_mut(&connection.address) {
            *count -= 1;
            if *count == 0 {
                self.by_address.remove(&connection.address);
            }
        }
        Some(connection)
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.connections.lock().remove(self.number);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connections(most: usize, per_address: usize) -> Arc<Connections> {
        let guard = Guard { connections: most, per_address, ..Guard::default() };
        Arc::new(Connections::new(guard))
    }

    #[test]
    fn past_the_budget_the_idlest_connection_makes_room_and_a_busy_one_never() {
        let connections = connections(2, 2);
        let [a, b] = [1, 2].map(|n| IpAddr::from([10, 0, 0, n]));
        let mut first = connections.admit(a).expect("room");
        let second = connections.admit(b).expect("room");
        connections.busy(second.number, true);
        let third = connections.admit(b).expect("the idle first makes room");
        assert_eq!(first.closed.try_recv(), Ok(()), "the first was told to close");
        connections.busy(third.number, true);
        assert!(connections.admit(a).is_none(), "both busy: no room");
        drop(first);
        assert_eq!(connections.lock().by_number.len(), 2, "counted once");
    }

    #[test]
    fn one_address_holds_no_more_than_its_share_closing_its_own_idlest() {
        let connections = connections(10, 2);
        let [a, b] = [1, 2].map(|n| IpAddr::from([10, 0, 0, n]));
        let other = connections.admit(b).expect("room");
        let held = [(), ()].map(|()| connections.admit(a).expect("room"));
        for connection in &held {
            connections.busy(connection.number, true);
        }
        assert!(connections.admit(a).is_none(), "its share is spent, and busy");
        connections.busy(held[0].number, false);
        let mut held = held;
        let newest = connections.admit(a);
        assert!(newest.is_some(), "its idle one made room");
        assert_eq!(held[0].closed.try_recv(), Ok(()));
        assert_eq!(other.connections.lock().by_number.len(), 3, "b's kept");
    }
}
