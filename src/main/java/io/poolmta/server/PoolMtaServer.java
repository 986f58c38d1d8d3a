package io.poolmta.server;

import io.poolmta.account.AccountService;
import io.poolmta.api.ApiServer;
import io.poolmta.api.SigV4Verifier;
import io.poolmta.api.admin.AccountsAdmin;
import io.poolmta.api.admin.AdminApi;
import io.poolmta.api.admin.IpsAdmin;
import io.poolmta.api.admin.RoutesAdmin;
import io.poolmta.api.ses.SesApi;
import io.poolmta.configset.ConfigurationSetService;
import io.poolmta.ip.IpLeaseService;
import io.poolmta.ip.LocalAddresses;
import io.poolmta.pool.DedicatedIpPoolService;
import io.poolmta.pool.PoolLimits;
import io.poolmta.route.RouteService;
import io.poolmta.store.Database;
import io.poolmta.store.Jdbc;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcConfigurationSetStore;
import io.poolmta.store.JdbcIpStore;
import io.poolmta.store.JdbcPoolStore;
import io.poolmta.store.JdbcRouteStore;
import io.poolmta.store.JdbcTagStore;
import io.poolmta.tag.ResourceType;
import io.poolmta.tag.TagService;
import io.poolmta.warmup.WarmupPlan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running PoolMTA: opens the data directory and its database, builds the services, and serves
 * the SES v2 API and the admin API on one HTTP listener. {@link #close()} stops listening first,
 * then closes the database, and is safe to call twice.
 */
public final class PoolMtaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PoolMtaServer.class);

    private final DataDirectory data;
    private final Database database;
    private final ApiServer api;
    private final String apiUrl;
    private boolean closed;

    private PoolMtaServer(DataDirectory data, Database database, ApiServer api) {
        this.data = data;
        this.database = database;
        this.api = api;
        InetSocketAddress bound = api.address();
        this.apiUrl = "http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort();
    }

    public static PoolMtaServer start(ServerConfig config, Clock clock) throws IOException {
        return start(config, clock, clock, new SocketBindCheck());
    }

    /**
     * @param clock the domain's time (warm-up, timestamps); tests move it
     * @param requestClock the time SigV4 request dates are checked against: the wall clock, since
     *     clients sign with theirs
     */
    public static PoolMtaServer start(ServerConfig config, Clock clock, Clock requestClock, LocalAddresses local)
            throws IOException {
        DataDirectory data = new DataDirectory(config.dataDir());
        data.create();
        String operatorToken = data.operatorToken();
        Database database = Database.openEmbedded(data.root());
        try {
            Jdbc jdbc = database.jdbc();
            JdbcAccountStore accountStore = new JdbcAccountStore(jdbc);
            JdbcIpStore ipStore = new JdbcIpStore(jdbc);
            JdbcPoolStore poolStore = new JdbcPoolStore(jdbc);
            JdbcConfigurationSetStore setStore = new JdbcConfigurationSetStore(jdbc);
            JdbcTagStore tagStore = new JdbcTagStore(jdbc);
            WarmupPlan plan = WarmupPlan.standard();

            AccountService accounts = new AccountService(accountStore, jdbc, clock);
            IpLeaseService leases = new IpLeaseService(ipStore, accounts, local, jdbc, clock);
            DedicatedIpPoolService pools = new DedicatedIpPoolService(poolStore, ipStore, tagStore, setStore, plan,
                    PoolLimits.DEFAULT, jdbc, clock);
            ConfigurationSetService sets = new ConfigurationSetService(setStore, poolStore, tagStore, jdbc, clock);
            TagService tags = new TagService(tagStore, jdbc, Map.of(
                    ResourceType.DEDICATED_IP_POOL, pools::exists,
                    ResourceType.CONFIGURATION_SET, sets::exists));
            RouteService routes = new RouteService(new JdbcRouteStore(jdbc), jdbc);

            SigV4Verifier verifier = new SigV4Verifier(accounts::key, requestClock);
            SesApi ses = new SesApi(verifier, accounts, pools, sets, tags, tagStore, accountId -> 0L);
            AdminApi admin = new AdminApi(operatorToken);
            new AccountsAdmin(accounts).register(admin);
            new IpsAdmin(leases, poolStore, accounts, plan, clock).register(admin);
            new RoutesAdmin(routes).register(admin);

            ApiServer api = new ApiServer(config.api().socketAddress(), List.of(ses, admin));
            api.start();
            PoolMtaServer server = new PoolMtaServer(data, database, api);
            data.writeServerInfo(server.apiUrl(), config.smtp().toString());
            LOG.info("PoolMTA API listening on {} (data in {})", server.apiUrl(), data.root());
            return server;
        } catch (IOException | RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public String apiUrl() {
        return apiUrl;
    }

    public DataDirectory dataDirectory() {
        return data;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        api.close();
        database.close();
        data.removeServerInfo();
        LOG.info("PoolMTA stopped");
    }
}
