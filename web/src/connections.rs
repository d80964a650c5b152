//! The connections a web holds open, and the [`Guard`] on them: a budget for
//! all of them and a share for each client address. When either is spent,
//! the connection idle the longest is closed to make room, and if none is,
//! the newcomer waits its turn. A room behind one address gets a large
//! share; a flood of silent connections, from any number of addresses, is
//! closed before anyone's download is.

use std::{
    collections::{HashMap, VecDeque},
    net::IpAddr,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use tokio::{
    sync::{Notify, oneshot},
    time::Instant,
};

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
    /// longest (for a second at least: one that never sent a request, or
    /// waits for its next) is closed to make room; if none is, new clients
    /// wait to be accepted.
    pub connections: usize,
    /// The most connections of one client address served at once. Past it,
    /// the address's own idlest connection is closed to make room; if none
    /// is, the newcomer waits for one of them to end.
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

/// What an open connection takes of the server's memory at most: its buffers
/// and its task (measured with 5,000 open: 13 KiB idle, 15 KiB on an unread
/// feed, 18 KiB on a silent fault), and the news of a class page it has not
/// yet sent (8 KiB at most; past that, pages share one copy).
pub const CONNECTION_BYTES: usize = 32 << 10;

/// The memory the connections may take together: 256 MiB, so that no more
/// than 8,192 are open at once, whatever the system's file limit allows.
pub const CONNECTIONS_BYTES: usize = 256 << 20;

/// The share of the connections one address may hold: one in eight.
const SHARE: usize = 8;

impl Guard {
    /// The guard of a web that may keep `files` open: all but a few of them
    /// for connections, within [`CONNECTIONS_BYTES`], and an eighth of those
    /// for one address (see [`Guard::share_of`]).
    ///
    /// ```
    /// let guard = web::Guard::for_files(4096);
    /// assert_eq!((guard.connections, guard.per_address), (4032, 504));
    /// let guard = web::Guard::for_files(1_000_000);
    /// assert_eq!(guard.connections, 8192, "within the memory budget");
    /// ```
    pub fn for_files(files: u64) -> Guard {
        let connections = usize::try_from(files.saturating_sub(64).max(2))
            .unwrap_or(usize::MAX)
            .min(CONNECTIONS_BYTES / CONNECTION_BYTES);
        let per_address = Guard::share_of(connections);
        Guard { connections, per_address, ..Guard::default() }
    }

    /// The most connections one address may hold of `connections`: an
    /// eighth, so that a whole room behind one address fits, and eight
    /// addresses holding all they can leave a place for anyone else.
    pub fn share_of(connections: usize) -> usize {
        (connections / SHARE).max(1)
    }
}

/// The connections open, numbered in the order accepted.
pub(crate) struct Connections {
    guard: Guard,
    open: Mutex<Open>,
    /// Told each time a connection closes: the accepting loop may wait for it.
    freed: Notify,
}

#[derive(Default)]
struct Open {
    /// How many were accepted: the last one's number.
    accepted: u64,
    by_number: HashMap<u64, Connection>,
    /// How many of each address's are served: its share in use.
    served: HashMap<IpAddr, usize>,
    /// Each address's connections waiting for its share, the oldest first,
    /// with how to let each in.
    waiting: HashMap<IpAddr, VecDeque<(u64, oneshot::Sender<()>)>>,
}

/// One open connection.
struct Connection {
    address: IpAddr,
    /// Whether it has a place in its address's share, or waits for one.
    served: bool,
    /// Its requests being answered.
    busy: usize,
    /// Since when it has had none.
    idle_since: Instant,
    /// Closes it.
    close: oneshot::Sender<()>,
}

/// How long a connection may go without a request before it counts as idle,
/// and may close to make room: a client that just connected has not had the
/// time to ask.
const GRACE: Duration = Duration::from_secs(1);

impl Connection {
    /// Whether it has its place, and has had no request for a while.
    fn idle(&self) -> bool {
        self.served && self.busy == 0 && self.idle_since.elapsed() >= GRACE
    }
}

/// An accepted connection's place among the open ones, given back when
/// dropped. `let_in`, if any, resolves when its address's share has room for
/// it; `closed`, when it must close to make room for another.
pub(crate) struct Admitted {
    pub(crate) number: u64,
    pub(crate) let_in: Option<oneshot::Receiver<()>>,
    pub(crate) closed: oneshot::Receiver<()>,
    connections: Arc<Connections>,
}

impl Connections {
    pub(crate) fn new(guard: Guard) -> Connections {
        Connections { guard, open: Mutex::default(), freed: Notify::new() }
    }

    pub(crate) fn guard(&self) -> &Guard {
        &self.guard
    }

    fn lock(&self) -> MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until another connection fits: the budget is not spent, or one
    /// can close to make room, being idle or waiting for a place in its
    /// address's share. Meanwhile, new clients wait in the system's queue of
    /// connections, rather than being turned away.
    pub(crate) async fn room(&self) {
        loop {
            let freed = self.freed.notified();
            {
                let open = self.lock();
                if open.by_number.len() < self.guard.connections
                    || (open.by_number.values())
                        .any(|connection| connection.idle() || !connection.served)
                {
                    return;
                }
            }
            // Or until one has been idle long enough to close.
            let _ = tokio::time::timeout(GRACE / 4, freed).await;
        }
    }

    /// Takes a place for a connection from `address`, closing the idlest one
    /// if the budget is spent, or else the newest of those waiting for a place
    /// in their address's share: addresses that hold all they may cannot keep
    /// another out. Past the address's share, the address's own idlest one
    /// closes to make room, or else the newcomer waits (`let_in`) for one of
    /// them to end. `None` if there is no room at all.
    pub(crate) fn admit(self: &Arc<Self>, address: IpAddr) -> Option<Admitted> {
        let mut open = self.lock();
        if open.by_number.len() >= self.guard.connections {
            open.close_idlest(None).or_else(|| open.close_newest_waiting())?;
        }
        if open.served.get(&address).is_some_and(|&n| n >= self.guard.per_address) {
            // The address's own idlest connection gives its place up.
            let _ = open.close_idlest(Some(address));
        }
        open.accepted += 1;
        let number = open.accepted;
        let served = open.served.entry(address).or_default();
        let let_in = if *served < self.guard.per_address {
            *served += 1;
            None
        } else {
            let (let_in, waited) = oneshot::channel();
            open.waiting.entry(address).or_default().push_back((number, let_in));
            Some(waited)
        };
        let (close, closed) = oneshot::channel();
        let connection = Connection {
            address,
            served: let_in.is_none(),
            busy: 0,
            idle_since: Instant::now(),
            close,
        };
        open.by_number.insert(number, connection);
        Some(Admitted { number, let_in, closed, connections: self.clone() })
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

    /// Four times a second, while connections wait for a place in their
    /// address's share, closes that address's idle ones, oldest first, to
    /// let them in.
    pub(crate) async fn sweep(self: Arc<Self>) {
        let mut ticks = tokio::time::interval(GRACE / 4);
        loop {
            ticks.tick().await;
            let mut open = self.lock();
            let waiting: Vec<(IpAddr, usize)> = (open.waiting.iter())
                .map(|(address, queue)| (*address, queue.len()))
                .collect();
            for (address, count) in waiting {
                for _ in 0..count {
                    if open.close_idlest(Some(address)).is_none() {
                        break;
                    }
                }
            }
        }
    }
}

impl Open {
    /// Closes the connection idle the longest, of `address`'s if one is
    /// given: one with its place in a share, which has had time to send its
    /// next request and did not. One waiting for a place has not yet.
    fn close_idlest(&mut self, address: Option<IpAddr>) -> Option<()> {
        let idlest = (self.by_number.iter())
            .filter(|(_, connection)| connection.idle())
            .filter(|(_, connection)| {
                address.is_none_or(|a| connection.address == a)
            })
            .min_by_key(|(_, connection)| connection.idle_since)
            .map(|(number, _)| *number)?;
        let closing = self.remove(idlest)?;
        let _ = closing.close.send(());
        Some(())
    }

    /// Closes the newest connection waiting for a place in its address's
    /// share.
    fn close_newest_waiting(&mut self) -> Option<()> {
        let newest = (self.by_number.iter())
            .filter(|(_, connection)| !connection.served)
            .map(|(number, _)| *number)
            .max()?;
        let closing = self.remove(newest)?;
        let _ = closing.close.send(());
        Some(())
    }

    /// Forgets connection `number`; its place in its address's share goes to
    /// the address's oldest connection waiting for one.
    fn remove(&mut self, number: u64) -> Option<Connection> {
        let connection = self.by_number.remove(&number)?;
        let address = connection.address;
        let waiting = self.waiting.entry(address).or_default();
        if !connection.served {
            waiting.retain(|(waiter, _)| *waiter != number);
        } else {
            // The oldest still waiting: one that gave up is passed over.
            let next = std::iter::from_fn(|| waiting.pop_front())
                .find_map(|(waiter, let_in)| let_in.send(()).ok().map(|()| waiter));
            match next.and_then(|waiter| self.by_number.get_mut(&waiter)) {
                // Its grace starts now: it may have waited longer than that,
                // with its request unread.
                Some(next) => {
                    (next.served, next.idle_since) = (true, Instant::now())
                }
                None => {
                    let served = self.served.entry(address).or_default();
                    *served = served.saturating_sub(1);
                }
            }
        }
        if self.waiting.get(&address).is_some_and(VecDeque::is_empty) {
            self.waiting.remove(&address);
        }
        if self.served.get(&address) == Some(&0) {
            self.served.remove(&address);
        }
        Some(connection)
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.connections.lock().remove(self.number);
        self.connections.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connections(most: usize, per_address: usize) -> Arc<Connections> {
        let guard = Guard { connections: most, per_address, ..Guard::default() };
        Arc::new(Connections::new(guard))
    }

    /// Lets the grace of every connection open pass.
    fn age(connections: &Connections) {
        for connection in connections.lock().by_number.values_mut() {
            connection.idle_since -= GRACE;
        }
    }

    #[test]
    fn past_the_budget_the_idlest_connection_makes_room_and_a_busy_one_never() {
        let connections = connections(2, 2);
        let [a, b] = [1, 2].map(|n| IpAddr::from([10, 0, 0, n]));
        let mut first = connections.admit(a).expect("room");
        let second = connections.admit(b).expect("room");
        connections.busy(second.number, true);
        assert!(connections.admit(b).is_none(), "the first only just came");
        age(&connections);
        let third = connections.admit(b).expect("the idle first makes room");
        assert_eq!(first.closed.try_recv(), Ok(()), "the first was told to close");
        connections.busy(third.number, true);
        assert!(connections.admit(a).is_none(), "both busy: no room");
        drop(first);
        assert_eq!(connections.lock().by_number.len(), 2, "counted once");
    }

    #[test]
    fn addresses_past_their_share_cannot_keep_another_out_of_a_spent_budget() {
        let connections = connections(4, 1);
        let [a, b, c] = [1, 2, 3].map(|n| IpAddr::from([10, 0, 0, n]));
        let held: Vec<Admitted> = [a, a, b, b]
            .map(|address| connections.admit(address).expect("room"))
            .into();
        for admitted in &held {
            connections.busy(admitted.number, true); // a silent fault, say
        }
        let [_served_a, mut waiting_a, _served_b, mut waiting_b] =
            held.try_into().ok().expect("four");
        let newcomer = connections.admit(c).expect("a waiting one makes room");
        assert!(newcomer.let_in.is_none(), "c has its share at once");
        assert_eq!(waiting_b.closed.try_recv(), Ok(()), "the newest waiting went");
        assert!(waiting_a.closed.try_recv().is_err(), "and only it");
    }

    #[test]
    fn past_its_share_an_address_closes_its_idlest_or_waits_for_one_to_end() {
        let connections = connections(10, 2);
        let [a, b] = [1, 2].map(|n| IpAddr::from([10, 0, 0, n]));
        let mut idle = connections.admit(a).expect("room");
        let busy = connections.admit(a).expect("room");
        connections.busy(busy.number, true);
        age(&connections);
        let newer = connections.admit(a).expect("the idle one's place");
        assert_eq!(idle.closed.try_recv(), Ok(()), "the idle one was closed");
        assert!(newer.let_in.is_none(), "and its place taken at once");
        connections.busy(newer.number, true);
        let held = [busy, newer];
        let mut third = connections.admit(a).expect("room to wait");
        let mut fourth = connections.admit(a).expect("room to wait");
        let other = connections.admit(b).expect("room");
        assert!(other.let_in.is_none(), "another address has a share of its own");
        let mut let_in = third.let_in.take().expect("it waits");
        assert!(let_in.try_recv().is_err(), "not yet");
        drop(fourth.let_in.take()); // gave up waiting
        drop(held);
        assert_eq!(let_in.try_recv(), Ok(()), "let in, in the oldest's place");
        drop(fourth);
        let open = connections.lock();
        assert_eq!(open.served.get(&a), Some(&1), "the third is served");
        assert!(!open.waiting.contains_key(&a), "none waits");
    }

    #[test]
    fn a_connection_let_in_after_a_long_wait_has_its_grace_to_send() {
        let connections = connections(10, 1);
        let address = IpAddr::from([10, 0, 0, 1]);
        let served = connections.admit(address).expect("room");
        connections.busy(served.number, true);
        let mut waited = connections.admit(address).expect("room to wait");
        age(&connections); // it waited longer than the grace, its request unread
        drop(served);
        assert_eq!(
            waited.let_in.take().map(|mut let_in| let_in.try_recv()),
            Some(Ok(()))
        );
        assert!(
            connections.lock().close_idlest(Some(address)).is_none(),
            "not closed as idle the moment it is let in, with its request unread"
        );
    }
}
