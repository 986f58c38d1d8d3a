package io.poolmta.identity;

/**
 * Looks up the records of one type at a name, each as text: a TXT record's strings joined, an MX
 * record's exchange host, an A record's dotted address, a PTR record's host name (host names in
 * lower case, without the trailing dot). A TXT lookup is the {@link TxtLookup} the DKIM check uses.
 */
public interface DnsLookup extends TxtLookup {
    /** The record types PoolMTA's checks read. */
    enum RecordType {
        TXT,
        MX,
        A,
        PTR
    }

    TxtLookup.Result lookup(String name, RecordType type);

    @Override
    default TxtLookup.Result lookup(String name) {
        return lookup(name, RecordType.TXT);
    }

    /** The in-addr.arpa name of an IPv4 address, where its PTR record is. */
    static String reverseName(String ipv4) {
        String[] o = ipv4.split("\\.");
        return o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa";
    }
}
