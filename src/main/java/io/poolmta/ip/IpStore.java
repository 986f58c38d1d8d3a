package io.poolmta.ip;

import java.util.List;
import java.util.Optional;

/** Durable sending addresses. Lists are in numeric address order. */
public interface IpStore {
    void insert(SendingIp ip);

    void update(SendingIp ip);

    void delete(Ipv4 address);

    Optional<SendingIp> byAddress(Ipv4 address);

    List<SendingIp> all();

    List<SendingIp> ofAccount(String accountId);

    List<SendingIp> inPool(String accountId, String poolName);
}
