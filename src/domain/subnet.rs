//! The address allocation table (计算机地址分配表): used IPv4 addresses grouped by /24 subnet,
//! with the host addresses still free in each.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// One /24 subnet and the host numbers (last octet) used in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet {
    pub prefix: [u8; 3],
    /// Sorted, without repeats.
    pub used: Vec<u8>,
    /// The gateway's host number (the router holds it, not a device of the register): never
    /// free. 0 when the subnets have none set aside.
    pub gateway: u8,
}

impl Subnet {
    /// `10.1.2.0/24`
    pub fn label(&self) -> String {
        let [a, b, c] = self.prefix;
        format!("{a}.{b}.{c}.0/24")
    }

    /// Host addresses 1 to 254 (network and broadcast excluded, the gateway too) not yet
    /// given out.
    pub fn free_count(&self) -> usize {
        self.free_ranges()
            .iter()
            .map(|&(from, to)| usize::from(to - from) + 1)
            .sum()
    }

    /// The free hosts as runs of consecutive numbers, lowest first.
    pub fn free_ranges(&self) -> Vec<(u8, u8)> {
        let mut ranges: Vec<(u8, u8)> = Vec::new();
        for host in 1..=254u8 {
            if host == self.gateway || self.used.binary_search(&host).is_ok() {
                continue;
            }
            match ranges.last_mut() {
                Some((_, end)) if *end + 1 == host => *end = host,
                _ => ranges.push((host, host)),
            }
        }
        ranges
    }

    /// The free hosts written out: `10.1.2.5-20, 10.1.2.30`.
    pub fn free_text(&self) -> String {
        let [a, b, c] = self.prefix;
        self.free_ranges()
            .iter()
            .map(|&(from, to)| match from == to {
                true => format!("{a}.{b}.{c}.{from}"),
                false => format!("{a}.{b}.{c}.{from}-{to}"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The first free host address, the one to hand out next.
    pub fn next_free(&self) -> Option<Ipv4Addr> {
        let [a, b, c] = self.prefix;
        self.free_ranges()
            .first()
            .map(|&(host, _)| Ipv4Addr::new(a, b, c, host))
    }
}

/// Group addresses by /24, subnets in address order; `gateway` is the host number each
/// subnet's router holds (0: none).
pub fn group(addresses: impl IntoIterator<Item = Ipv4Addr>, gateway: u8) -> Vec<Subnet> {
    let mut by_prefix: BTreeMap<[u8; 3], Vec<u8>> = BTreeMap::new();
    for ip in addresses {
        let [a, b, c, d] = ip.octets();
        by_prefix.entry([a, b, c]).or_default().push(d);
    }
    by_prefix
        .into_iter()
        .map(|(prefix, mut used)| {
            used.sort_unstable();
            used.dedup();
            Subnet {
                prefix,
                used,
                gateway,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Ipv4Addr {
        text.parse().unwrap()
    }

    #[test]
    fn addresses_group_by_subnet_in_address_order() {
        let subnets = group(
            [
                ip("10.1.2.7"),
                ip("10.1.10.1"),
                ip("10.1.2.1"),
                ip("10.1.2.7"),
            ],
            0,
        );
        assert_eq!(subnets.len(), 2);
        assert_eq!(subnets[0].label(), "10.1.2.0/24");
        assert_eq!(subnets[0].used, vec![1, 7]);
        assert_eq!(subnets[1].label(), "10.1.10.0/24");
    }

    #[test]
    fn free_addresses_are_listed_as_ranges() {
        let subnet = group([ip("192.168.1.1"), ip("192.168.1.2"), ip("192.168.1.5")], 0).remove(0);
        assert_eq!(subnet.free_count(), 251);
        assert_eq!(subnet.free_ranges(), vec![(3, 4), (6, 254)]);
        assert!(
            subnet
                .free_text()
                .starts_with("192.168.1.3-4, 192.168.1.6-254")
        );
        assert_eq!(subnet.next_free(), Some(ip("192.168.1.3")));
    }

    #[test]
    fn a_full_subnet_has_nothing_free_and_edges_do_not_count() {
        let all = (0..=255u8).map(|h| Ipv4Addr::new(10, 0, 0, h));
        let subnet = group(all, 1).remove(0);
        assert_eq!(subnet.free_count(), 0);
        assert_eq!(subnet.free_text(), "");
        assert_eq!(subnet.next_free(), None);
        let edges = group([ip("10.0.0.0"), ip("10.0.0.255")], 0).remove(0);
        assert_eq!(edges.free_count(), 254);
    }

    #[test]
    fn next_free_skips_the_network_the_gateway_and_the_broadcast_address() {
        let subnet = group([ip("10.9.8.2")], 1).remove(0);
        assert_eq!(subnet.next_free(), Some(ip("10.9.8.3")));
        assert_eq!(subnet.free_count(), 252);
        assert!(subnet.free_text().starts_with("10.9.8.3-254"));
        let elsewhere = group([ip("10.9.8.20")], 254).remove(0);
        assert_eq!(elsewhere.next_free(), Some(ip("10.9.8.1")));
        assert!(elsewhere.free_text().ends_with("10.9.8.21-253"));
    }
}
