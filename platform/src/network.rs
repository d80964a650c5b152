//! The addresses of this machine on its networks, as each system lists its
//! interfaces (`getifaddrs` on Linux and macOS, `GetAdaptersAddresses` on
//! Windows, both asked by the `if-addrs` crate): where a class can reach a
//! `serve` that listens on all of them.

use std::net::IpAddr;

/// Each address of this machine that another machine could reach, with its
/// interface's name (`eth0`, `Wi-Fi`, `wg0`...): every one but loopback and
/// IPv6's link-local ones, which need an interface named besides. IPv4 first,
/// as the system lists them. Empty on a machine on no network, or where the
/// system does not say.
pub fn addresses() -> Vec<(String, IpAddr)> {
    let interfaces = if_addrs::get_if_addrs().unwrap_or_default();
    let mut addresses: Vec<(String, IpAddr)> = (interfaces.into_iter())
        .filter(|interface| !interface.is_loopback())
        .map(|interface| (interface.name.clone(), interface.ip()))
        .filter(|(_, ip)| match ip {
            IpAddr::V4(_) => true,
            IpAddr::V6(ip) => !ip.is_unicast_link_local(),
        })
        .collect();
    addresses.sort_by_key(|(_, ip)| ip.is_ipv6());
    addresses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_address_listed_is_loopback_or_link_local() {
        for (name, ip) in addresses() {
            assert!(!ip.is_loopback(), "{name} {ip}");
            if let IpAddr::V6(ip) = ip {
                assert!(!ip.is_unicast_link_local(), "{name} {ip}");
            }
        }
    }
}
