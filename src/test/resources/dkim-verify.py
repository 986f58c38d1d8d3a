# Verifies the DKIM signature of the message on stdin with dkimpy (Debian's python3-dkim), an
# implementation independent of PoolMTA's, reading the key record from the DNS server at
# 127.0.0.1:PORT. Prints PASS and exits 0, or prints FAIL (dkimpy's reasons on stderr) and exits 1.
import logging
import sys

import dkim
import dns.resolver

port = int(sys.argv[1])
resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = ["127.0.0.1"]
resolver.port = port


def dnsfunc(name, timeout=5):
    if isinstance(name, bytes):
        name = name.decode()
    try:
        answer = resolver.resolve(name, "TXT", lifetime=timeout)
    except Exception as e:  # no record: dkimpy treats None as "no key"
        print("lookup of %s failed: %r" % (name, e), file=sys.stderr)
        return None
    for rr in answer:
        return b"".join(rr.strings)
    return None


logging.basicConfig(stream=sys.stderr, level=logging.DEBUG)
message = sys.stdin.buffer.read()
ok = dkim.DKIM(message, logger=logging.getLogger("dkim")).verify(dnsfunc=dnsfunc)
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
