"""Canonical URLs: one key per article, however a feed, a share button or a phone linked it.

The same story reaches us as `http://m.site.vn/a.html?utm_source=zalo&zarsrc=30#top`,
`https://site.vn/a.html/amp` and `https://www.site.vn/a.html`; `canonical_url` maps them
all to `https://site.vn/a.html`. It is a dedupe key, not an address to fetch: the scheme
is unified to https and `www.` dropped, which a server might not accept.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only say where a click came from (Google, Facebook, Zalo, …).
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid", "ttclid",
    "zarsrc", "gidzl", "zacc", "ref", "ref_src", "ref_url", "referrer", "source", "src_ref", "_ga", "_gl",
    "mc_cid", "mc_eid", "cmpid", "spm", "share", "amp",
})
TRACKING_PREFIXES = ("utm_", "itm_", "pk_", "mtm_")
# Host prefixes of mobile/AMP mirrors of the same site.
MIRROR_PREFIXES = ("www.", "m.", "mobile.", "amp.", "wap.")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 3986 scheme, two characters at least so that a Windows drive (`C:\\x`) is no scheme.
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")


def url_scheme(text: str) -> str:
    """The scheme of a URL-looking argument, lowercased; "" for a plain path.

    `diplobot ingest` tells URLs from paths with it, so that `file:///etc/passwd` or
    `javascript:alert(1)` is refused as `unsupported_scheme`, not looked for on disk.
    """
    m = _SCHEME_RE.match(text.strip())
    return m.group(1).lower() if m else ""


def canonical_url(url: str) -> str:
    """The dedupe key of an article URL (see the module docstring); non-http(s) input comes back stripped."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return url
    host = _strip_mirror_prefix(parts.hostname.rstrip("."))  # hostname is already lowercase
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    if port and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return urlunsplit(("https", host, _clean_path(parts.path), _clean_query(parts.query), ""))


def _strip_mirror_prefix(host: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in MIRROR_PREFIXES:
            rest = host[len(prefix):]
            if host.startswith(prefix) and "." in rest:  # keep at least "site.vn"
                host, changed = rest, True
    return host


def _clean_path(path: str) -> str:
    segments = [s for s in path.split("/")]
    while segments and segments[-1] in ("", "amp"):  # trailing slash, /amp suffix
        if segments[-1] == "amp" and len(segments) <= 2:
            break  # "/amp" alone is a page called amp, not a suffix
        segments.pop()
    if len(segments) > 2 and segments[1] == "amp":  # /amp/... prefix
        segments.pop(1)
    return "/".join(segments)


def _clean_query(query: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)]
    return urlencode(sorted(pairs))


def clean_link(url: str) -> str:
    """The address to show readers: tracking parameters and the fragment dropped, host and scheme kept."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https"):
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, _clean_query(parts.query), ""))


def pick_canonical(page_url: str, canonical_href: str | None = None, og_url: str | None = None) -> str:
    """The page's own claim (`<link rel=canonical>`, else `og:url`), made absolute, as a dedupe key.

    A claim that points at a site's home page from an article is a CMS template bug,
    not the article's address: it is ignored, as are non-http(s) ones.
    """
    page_path = urlsplit(page_url).path.strip("/")
    for href in (canonical_href, og_url):
        if not href or not href.strip():
            continue
        absolute = urljoin(page_url, href.strip())
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            continue
        if page_path and not parts.path.strip("/"):
            continue
        return canonical_url(absolute)
    return canonical_url(page_url)
