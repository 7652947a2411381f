"""Which network addresses outbound requests may reach (SSRF guard)."""

from __future__ import annotations

import ipaddress


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses.

    IPv4-mapped IPv6 (`::ffff:127.0.0.1`) is judged by the IPv4 address it carries, so the
    mapped spelling of loopback is refused like loopback itself.
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
