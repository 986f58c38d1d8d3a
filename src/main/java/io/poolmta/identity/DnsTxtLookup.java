package io.poolmta.identity;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * TXT, MX, A and PTR lookups with dnsjava, uncached (a record that disappears must be seen to
 * disappear), against one configured resolver (HOST:PORT) or the system's. Large answers come over
 * TCP when the UDP answer is truncated.
 */
public final class DnsTxtLookup implements DnsLookup {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Resolver resolver;

    /** @param server a resolver's address, or empty for the system's resolvers */
    public DnsTxtLookup(Optional<InetSocketAddress> server) {
        if (server.isPresent()) {
            SimpleResolver simple = new SimpleResolver(server.get());
            simple.setTimeout(TIMEOUT);
            simple.setEDNS(0, 1232, 0, List.of());
            this.resolver = simple;
        } else {
            ExtendedResolver system = new ExtendedResolver();
            system.setTimeout(TIMEOUT);
            this.resolver = system;
        }
    }

    @Override
    public Result lookup(String name, RecordType type) {
        Lookup lookup;
        try {
            lookup = new Lookup(
                    name,
                    switch (type) {
                        case TXT -> Type.TXT;
                        case MX -> Type.MX;
                        case A -> Type.A;
                        case PTR -> Type.PTR;
                    });
        } catch (TextParseException e) {
            return new Missing(VerificationError.HOST_NOT_FOUND);
        }
        lookup.setResolver(resolver);
        lookup.setCache(null);
        lookup.setSearchPath(List.<Name>of());
        Record[] records = lookup.run();
        return switch (lookup.getResult()) {
            case Lookup.SUCCESSFUL -> {
                List<String> texts = new ArrayList<>();
                for (Record r : records) {
                    texts.add(text(r));
                }
                yield new Found(texts);
            }
            case Lookup.HOST_NOT_FOUND -> new Missing(VerificationError.HOST_NOT_FOUND);
            case Lookup.TYPE_NOT_FOUND -> new Missing(VerificationError.TYPE_NOT_FOUND);
            default -> new Failed(lookup.getErrorString());
        };
    }

    private static String text(Record r) {
        return switch (r) {
            case TXTRecord txt -> String.join("", txt.getStrings());
            case MXRecord mx -> host(mx.getTarget());
            case ARecord a -> a.getAddress().getHostAddress();
            case PTRRecord ptr -> host(ptr.getTarget());
            default -> r.rdataToString();
        };
    }

    private static String host(Name name) {
        String text = name.toString(true);
        return text.toLowerCase(Locale.ROOT);
    }
}
