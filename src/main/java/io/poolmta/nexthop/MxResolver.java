package io.poolmta.nexthop;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * MX lookup with dnsjava (RFC 5321 §5.1): MX hosts in preference order, port 25; no MX record →
 * the domain itself (its A/AAAA); a null MX ("." ) → permanent failure; a DNS failure → temporary.
 */
public final class MxResolver implements NextHopResolver {
    @Override
    public NextHopResolution resolve(String domain) {
        try {
            Lookup lookup = new Lookup(domain, Type.MX);
            Record[] records = lookup.run();
            switch (lookup.getResult()) {
                case Lookup.SUCCESSFUL -> {
                    List<MXRecord> mx = new ArrayList<>();
                    for (Record r : records) {
                        mx.add((MXRecord) r);
                    }
                    mx.sort(Comparator.comparingInt(MXRecord::getPriority));
                    if (mx.size() == 1 && mx.getFirst().getTarget().toString().equals(".")) {
                        return new NextHopResolution.PermanentFailure(
                                "5.1.10 " + domain + " accepts no mail (null MX)");
                    }
                    List<NextHop> hosts = mx.stream()
                            .map(r -> new NextHop(trimDot(r.getTarget().toString()), 25))
                            .toList();
                    return new NextHopResolution.Hosts(hosts);
                }
                case Lookup.TYPE_NOT_FOUND -> {
                    InetAddress.getByName(domain); // the domain itself must resolve
                    return new NextHopResolution.Hosts(List.of(new NextHop(domain, 25)));
                }
                case Lookup.HOST_NOT_FOUND -> {
                    return new NextHopResolution.PermanentFailure("5.1.2 domain " + domain + " does not exist");
                }
                default -> {
                    return new NextHopResolution.TemporaryFailure(
                            "4.4.3 DNS lookup of " + domain + " failed: " + lookup.getErrorString());
                }
            }
        } catch (TextParseException e) {
            return new NextHopResolution.PermanentFailure("5.1.2 '" + domain + "' is not a valid domain");
        } catch (java.net.UnknownHostException e) {
            return new NextHopResolution.TemporaryFailure("4.4.3 no address for " + domain);
        }
    }

    private static String trimDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
