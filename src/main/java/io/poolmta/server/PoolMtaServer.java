package io.poolmta.server;

import io.poolmta.account.AccountService;
import io.poolmta.account.RollingSendCount;
import io.poolmta.account.SendQuotaGate;
import io.poolmta.account.SendRateLimiter;
import io.poolmta.account.SmtpCredentialService;
import io.poolmta.advisor.AdvisorService;
import io.poolmta.advisor.DailyVolumeLedger;
import io.poolmta.api.ApiRefusals;
import io.poolmta.api.SigV4Verifier;
import io.poolmta.api.VerifyEmailLinks;
import io.poolmta.api.admin.AccountsAdmin;
import io.poolmta.api.admin.AdminApi;
import io.poolmta.api.admin.AdvisorAdmin;
import io.poolmta.api.admin.DeliveryAdmin;
import io.poolmta.api.admin.EventsAdmin;
import io.poolmta.api.admin.IdentitiesAdmin;
import io.poolmta.api.admin.IpCheckAdmin;
import io.poolmta.api.admin.IpsAdmin;
import io.poolmta.api.admin.NodesAdmin;
import io.poolmta.api.admin.ReputationAdmin;
import io.poolmta.api.admin.RoutesAdmin;
import io.poolmta.api.admin.SmtpCredentialsAdmin;
import io.poolmta.api.admin.WarmupAdmin;
import io.poolmta.api.ses.SesApi;
import io.poolmta.configset.ConfigurationSetService;
import io.poolmta.console.ConsoleEndpoint;
import io.poolmta.console.ConsoleServices;
import io.poolmta.console.ConsoleSessions;
import io.poolmta.console.ConsoleSignIn;
import io.poolmta.delivery.DeliveryEngine;
import io.poolmta.delivery.NodeHandOver;
import io.poolmta.delivery.smtp.SmtpClient;
import io.poolmta.egress.PoolSourceSelector;
import io.poolmta.egress.ProviderNotingSelector;
import io.poolmta.egress.SendVolume;
import io.poolmta.egress.SendingDayCounter;
import io.poolmta.events.EventDestinationService;
import io.poolmta.events.EventDispatcher;
import io.poolmta.events.SesEventJson;
import io.poolmta.events.WebhookSender;
import io.poolmta.events.WebhookTargets;
import io.poolmta.feedback.FeedbackProcessor;
import io.poolmta.feedback.FeedbackServer;
import io.poolmta.feedback.FeedbackSettings;
import io.poolmta.feedback.NotificationForwarder;
import io.poolmta.feedback.SentLedger;
import io.poolmta.http.HttpServer;
import io.poolmta.identity.DkimKeyStore;
import io.poolmta.identity.DkimSigners;
import io.poolmta.identity.DkimVerification;
import io.poolmta.identity.DnsTxtLookup;
import io.poolmta.identity.EmailVerification;
import io.poolmta.identity.FileDkimKeyStore;
import io.poolmta.identity.IdentityService;
import io.poolmta.identity.MailFromVerification;
import io.poolmta.identity.PublishedRecords;
import io.poolmta.identity.SenderIdentities;
import io.poolmta.identity.SendingIpCheck;
import io.poolmta.ip.ClusterNodes;
import io.poolmta.ip.IpLeaseService;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.NodeDirectory;
import io.poolmta.ip.NodeStatus;
import io.poolmta.managed.ManagedDemand;
import io.poolmta.managed.ManagedPoolScaler;
import io.poolmta.managed.ProviderWarmupLedger;
import io.poolmta.managed.ProviderWarmupModel;
import io.poolmta.managed.ScalingChange;
import io.poolmta.managed.ScalingPolicy;
import io.poolmta.message.MessageIds;
import io.poolmta.message.MimeBuilder;
import io.poolmta.metrics.MetricsEndpoint;
import io.poolmta.metrics.PoolMtaCollector;
import io.poolmta.metrics.TrafficCounters;
import io.poolmta.nexthop.MxResolver;
import io.poolmta.nexthop.RouteService;
import io.poolmta.nexthop.RoutedResolver;
import io.poolmta.nodelink.ClusterKey;
import io.poolmta.nodelink.NodeLinkClient;
import io.poolmta.nodelink.NodeLinkServer;
import io.poolmta.pool.DedicatedIpPoolService;
import io.poolmta.pool.PoolLimits;
import io.poolmta.provider.BounceClassifier;
import io.poolmta.provider.DestinationProviders;
import io.poolmta.provider.ProviderTable;
import io.poolmta.reputation.Enforcement;
import io.poolmta.reputation.ReputationCounters;
import io.poolmta.reputation.ReputationGate;
import io.poolmta.reputation.ReputationPolicy;
import io.poolmta.reputation.Scope;
import io.poolmta.sending.MessageAcceptor;
import io.poolmta.sending.MessageIntake;
import io.poolmta.sending.QueueLimit;
import io.poolmta.sending.SandboxRecipients;
import io.poolmta.sending.SenderRules;
import io.poolmta.spool.FileSpool;
import io.poolmta.spool.SpoolSettings;
import io.poolmta.spool.StoredMessage;
import io.poolmta.store.Database;
import io.poolmta.store.Jdbc;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcConfigurationSetStore;
import io.poolmta.store.JdbcDailyVolumeStore;
import io.poolmta.store.JdbcEventDestinationStore;
import io.poolmta.store.JdbcIdentityStore;
import io.poolmta.store.JdbcIpStore;
import io.poolmta.store.JdbcLeaderLease;
import io.poolmta.store.JdbcManagedDemandStore;
import io.poolmta.store.JdbcNodeStore;
import io.poolmta.store.JdbcPoolStore;
import io.poolmta.store.JdbcProviderWarmupStore;
import io.poolmta.store.JdbcReputationStore;
import io.poolmta.store.JdbcRouteStore;
import io.poolmta.store.JdbcSendCountStore;
import io.poolmta.store.JdbcSentMessageStore;
import io.poolmta.store.JdbcSmtpCredentialStore;
import io.poolmta.store.JdbcSuppressionStore;
import io.poolmta.store.JdbcTagStore;
import io.poolmta.store.JdbcTemplateStore;
import io.poolmta.store.JdbcVerificationTokenStore;
import io.poolmta.store.JdbcVolumeStore;
import io.poolmta.submission.AccountSmtpAuthenticator;
import io.poolmta.submission.AuthThrottle;
import io.poolmta.submission.SubmissionServer;
import io.poolmta.submission.SubmissionSettings;
import io.poolmta.submission.TlsCertificates;
import io.poolmta.suppression.ImportSource;
import io.poolmta.suppression.SuppressionImports;
import io.poolmta.suppression.SuppressionList;
import io.poolmta.tag.ResourceType;
import io.poolmta.tag.TagService;
import io.poolmta.template.TemplateEngine;
import io.poolmta.template.TemplateService;
import io.poolmta.template.TemplatedSender;
import io.poolmta.warmup.WarmupPlan;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running PoolMTA: opens the data directory, its database and its spool, builds the services,
 * re-queues every accepted message the spool still holds, then serves the SES v2 API and the admin
 * API on one HTTP listener and SMTP submission on another. {@link #close()} stops accepting first
 * (SMTP, HTTP), then stops delivery, then closes the spool and the database; it is safe to call
 * twice.
 */
public final class PoolMtaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PoolMtaServer.class);
    /** How often changed reputation counters are written to the database. */
    private static final Duration REPUTATION_FLUSH = Duration.ofSeconds(5);

    private final DataDirectory data;
    private final List<AutoCloseable> closeInOrder;
    private final String apiUrl;
    private final String smtpAddress;
    private final Optional<String> smtpsAddress;
    private final DeliveryEngine engine;
    private final EventDispatcher events;
    private final ManagedPoolScaler managedPools;
    private final DkimVerification dkimChecks;
    private final MailFromVerification mailFromChecks;
    private final SentLedger sentLedger;
    private final Optional<String> feedbackAddress;
    private final NodeDirectory nodes;
    private Optional<String> nodeLinkAddress = Optional.empty();
    private boolean closed;

    private PoolMtaServer(
            DataDirectory data,
            List<AutoCloseable> closeInOrder,
            HttpServer api,
            SubmissionServer smtp,
            DeliveryEngine engine,
            EventDispatcher events,
            ManagedPoolScaler managedPools,
            DkimVerification dkimChecks,
            MailFromVerification mailFromChecks,
            SentLedger sentLedger,
            Optional<FeedbackServer> feedback,
            NodeDirectory nodes) {
        this.nodes = nodes;
        this.managedPools = managedPools;
        this.sentLedger = sentLedger;
        this.feedbackAddress = feedback.map(FeedbackServer::hostPort);
        this.dkimChecks = dkimChecks;
        this.mailFromChecks = mailFromChecks;
        this.data = data;
        this.closeInOrder = closeInOrder;
        InetSocketAddress bound = api.address();
        this.apiUrl = "http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort();
        this.smtpAddress = smtp.address().getAddress().getHostAddress() + ":" + smtp.port();
        this.smtpsAddress = smtp.smtpsAddress().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort());
        this.engine = engine;
        this.events = events;
    }

    public static PoolMtaServer start(ServerConfig config, Clock clock) throws IOException {
        return start(config, ServerEnvironment.production().withClock(clock));
    }

    public static PoolMtaServer start(ServerConfig config, ServerEnvironment env) throws IOException {
        return start(config, env, Optional.empty());
    }

    /**
     * The same, with a directory that stands in for the database's node table when given (a test
     * that runs nodes on separate embedded databases): which node each IP lives on, which nodes are up.
     */
    public static PoolMtaServer start(
            ServerConfig config, ServerEnvironment env, Optional<NodeDirectory> directoryOverride) throws IOException {
        DataDirectory data = new DataDirectory(config.dataDir());
        data.create();
        String operatorToken = data.operatorToken();
        Clock clock = env.clock();
        List<AutoCloseable> opened = new ArrayList<>();
        Database database =
                config.cluster().database().map(Database::open).orElseGet(() -> Database.openEmbedded(data.root()));
        opened.add(database);
        try {
            Jdbc jdbc = database.jdbc();
            // counters that nodes of a cluster keep apart (send counts, reputation) carry this name
            String nodeName = config.cluster().nodeName();
            JdbcAccountStore accountStore = new JdbcAccountStore(jdbc);
            JdbcIpStore ipStore = new JdbcIpStore(jdbc);
            JdbcPoolStore poolStore = new JdbcPoolStore(jdbc);
            JdbcConfigurationSetStore setStore = new JdbcConfigurationSetStore(jdbc);
            JdbcTagStore tagStore = new JdbcTagStore(jdbc);
            WarmupPlan plan = config.policy().warmupPlan();

            AccountService accounts = new AccountService(accountStore, jdbc, clock);
            // the cluster: this node's row and the node each IP lives on (one node on the embedded database)
            ClusterNodes nodes = new ClusterNodes(
                    config.cluster().nodeName(),
                    config.cluster().database().isPresent(),
                    new JdbcNodeStore(jdbc),
                    ipStore,
                    clock);
            NodeDirectory directory = directoryOverride.orElse(nodes);
            IpLeaseService leases =
                    new IpLeaseService(ipStore, accounts, env.localAddresses(), jdbc, clock, Optional.of(nodes.self()));
            DedicatedIpPoolService pools = new DedicatedIpPoolService(
                    poolStore, ipStore, tagStore, setStore, plan, PoolLimits.DEFAULT, jdbc, clock);
            ConfigurationSetService sets = new ConfigurationSetService(setStore, poolStore, tagStore, jdbc, clock);
            // identities: private DKIM keys as owner-only files under DATA/dkim (see FileDkimKeyStore),
            // on PostgreSQL in the database, sealed under the cluster key (see ClusterDkimKeys)
            JdbcIdentityStore identityStore = new JdbcIdentityStore(jdbc);
            Optional<ClusterDkimKeys.Opened> clusterDkim =
                    config.cluster().database().isPresent()
                            ? Optional.of(ClusterDkimKeys.open(jdbc, data.root(), identityStore, nodeName, clock))
                            : Optional.empty();
            DkimKeyStore dkimKeys = clusterDkim
                    .<DkimKeyStore>map(ClusterDkimKeys.Opened::keys)
                    .orElseGet(() -> new FileDkimKeyStore(data.root().resolve("dkim")));
            DkimSigners dkimSigners = new DkimSigners(identityStore, dkimKeys, clock);
            IdentityService identities =
                    new IdentityService(identityStore, dkimKeys, dkimSigners, tagStore, sets::exists, jdbc, clock);
            DnsTxtLookup dns = new DnsTxtLookup(config.dnsResolver().map(HostPort::socketAddress));
            SenderRules senderRules =
                    new SenderRules(new SenderIdentities(identityStore, dkimSigners), config.bounceDomain());
            DkimVerification dkimChecks = new DkimVerification(identityStore, dns, jdbc, dkimKeys, dkimSigners);
            String feedbackHost = config.identity().feedbackHostOr(config.hostName());
            MailFromVerification mailFromChecks = new MailFromVerification(identityStore, dns, feedbackHost, jdbc);
            PublishedRecords publishedRecords =
                    new PublishedRecords(identities, feedbackHost, accountId -> sendingIps(ipStore, accountId));
            TemplateService templates =
                    new TemplateService(new JdbcTemplateStore(jdbc), new TemplateEngine(), tagStore, jdbc, clock);
            TagService tags = new TagService(
                    tagStore,
                    jdbc,
                    Map.of(
                            ResourceType.DEDICATED_IP_POOL, pools::exists,
                            ResourceType.CONFIGURATION_SET, sets::exists,
                            ResourceType.IDENTITY, identities::exists,
                            ResourceType.TEMPLATE, templates::exists));
            RouteService routes = new RouteService(new JdbcRouteStore(jdbc), jdbc);
            SmtpCredentialService smtpCredentials =
                    new SmtpCredentialService(new JdbcSmtpCredentialStore(jdbc), accounts, jdbc, clock);
            WebhookTargets webhookTargets = new WebhookTargets(config.webhooks().policy(), WebhookTargets.DNS);
            EventDestinationService destinations =
                    new EventDestinationService(new JdbcEventDestinationStore(jdbc), sets, jdbc, webhookTargets);

            // events, spool, delivery
            WebhookSender webhooks = new WebhookSender(
                    data.root().resolve("events"),
                    webhookTargets,
                    destinations::webhookUrl,
                    env.webhookInitialBackoff(),
                    env.webhookMaxBackoff(),
                    config.webhooks().maxAge(),
                    clock);
            opened.add(webhooks);
            webhooks.start();
            EventDispatcher events = new EventDispatcher(
                    new SesEventJson(config.hostName()),
                    destinations,
                    webhooks,
                    data.root().resolve("events"));
            opened.add(events);
            // suppression: the list's index is built before anything is accepted; it hears every event
            JdbcSuppressionStore suppressionStore = new JdbcSuppressionStore(jdbc);
            SuppressionList suppression = new SuppressionList(
                    suppressionStore,
                    jdbc,
                    (account, name) ->
                            sets.exists(account, name) ? Optional.of(sets.get(account, name)) : Optional.empty(),
                    clock);
            long suppressedCount = suppression.load();
            SuppressionImports suppressionImports = new SuppressionImports(
                    suppression,
                    suppressionStore,
                    jdbc,
                    ImportSource.STANDARD,
                    url -> webhookTargets.refusal(url).map(Exception::getMessage),
                    clock,
                    nodeName,
                    name -> directory.node(name).map(NodeStatus::up).orElse(false));
            opened.add(suppressionImports);
            suppressionImports.resume();
            LOG.info("suppression lists hold {} address(es)", suppressedCount);
            events.addTap(suppression);
            // the sent-message ledger learns from Delivery events, stored in batches by the flusher
            SentLedger sentLedger = new SentLedger(
                    new JdbcSentMessageStore(jdbc),
                    Duration.ofDays(config.feedback().retentionDays()),
                    SentLedger.DEFAULT_MAX_PENDING,
                    clock);
            FileSpool spool = new FileSpool(
                    data.root().resolve("spool"),
                    SpoolSettings.defaults().withMinFreeBytes(config.spoolMinFreeMb() << 20),
                    env.spoolChannels());
            opened.add(spool);
            List<StoredMessage> recovered = spool.recover();
            SendVolume volume = new SendVolume(new JdbcVolumeStore(jdbc));
            ProviderTable providers = config.policy().providers();
            // counted from events: recipients per outcome for /metrics, daily volumes for the advisor
            DestinationProviders destinationProviders = new DestinationProviders(providers);
            TrafficCounters traffic = new TrafficCounters(destinationProviders);
            events.addTap(traffic);
            DailyVolumeLedger dailyVolumes =
                    new DailyVolumeLedger(new JdbcDailyVolumeStore(jdbc), destinationProviders, clock);
            events.addTap(dailyVolumes);
            List<String> providerNames = new ArrayList<>(
                    providers.providers().stream().map(p -> p.name()).toList());
            providerNames.add(ProviderTable.OTHER);
            // reputation: counters and enforcement, fed by every published event
            JdbcReputationStore reputationStore = new JdbcReputationStore(jdbc, nodeName, clock);
            ReputationPolicy reputationPolicy = config.policy().reputation();
            ReputationCounters counters = new ReputationCounters(
                    providers,
                    reputationStore,
                    clock,
                    reputationPolicy.window().plusDays(1).compareTo(ReputationCounters.DEFAULT_HOURLY_RETENTION) > 0
                            ? reputationPolicy.window().plusDays(1)
                            : ReputationCounters.DEFAULT_HOURLY_RETENTION,
                    ReputationCounters.DEFAULT_DAILY_RETENTION,
                    nodes.shared());
            counters.load();
            Enforcement enforcement = new Enforcement(counters, reputationStore, sets, reputationPolicy, clock);
            events.addTap(counters);
            events.addTap(enforcement);
            ClusterReloads.register(jdbc, enforcement, suppression, templates, dkimSigners);
            // PostgreSQL: hear what the other nodes commit from here on (H2: nothing to hear)
            database.startChangeFeed(nodeName);
            ProviderWarmupLedger providerWarmup = new ProviderWarmupLedger(
                    new ProviderWarmupModel(plan.dailyCaps()), new JdbcProviderWarmupStore(jdbc), providerNames, clock);
            ManagedDemand demand = new ManagedDemand();
            // the scaling pass is taken once for a cluster, by the node holding its lease
            ManagedPoolScaler scaler = new ManagedPoolScaler(
                    accounts,
                    poolStore,
                    ipStore,
                    providerWarmup,
                    demand,
                    ScalingPolicy.DEFAULT,
                    jdbc,
                    clock,
                    new JdbcLeaderLease(
                            jdbc, nodeName, ScalingPolicy.DEFAULT.interval().multipliedBy(3), clock),
                    new JdbcManagedDemandStore(jdbc));
            SendingDayCounter sendingDays = new SendingDayCounter(
                    config.warmupSendingDayShare(), ipStore, poolStore, plan, volume, jdbc, clock);
            ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
                    r -> Thread.ofPlatform().name("volume-flush").daemon().unstarted(r));
            flusher.scheduleWithFixedDelay(
                    () -> {
                        try {
                            volume.flush(clock.instant());
                            providerWarmup.flush();
                            dailyVolumes.flush();
                            sendingDays.runOnce();
                        } catch (RuntimeException e) {
                            LOG.warn("could not store warm-up volume counts", e);
                        }
                    },
                    1,
                    1,
                    TimeUnit.SECONDS);
            flusher.scheduleWithFixedDelay(
                    () -> {
                        try {
                            counters.flush();
                        } catch (RuntimeException e) {
                            LOG.warn("could not store reputation counters", e);
                        }
                    },
                    REPUTATION_FLUSH.toMillis(),
                    REPUTATION_FLUSH.toMillis(),
                    TimeUnit.MILLISECONDS);
            flusher.scheduleWithFixedDelay(
                    () -> {
                        try {
                            counters.prune();
                        } catch (RuntimeException e) {
                            LOG.warn("could not prune reputation counters", e);
                        }
                    },
                    1,
                    60,
                    TimeUnit.MINUTES);
            long scaleEvery = ScalingPolicy.DEFAULT.interval().toMillis();
            flusher.scheduleWithFixedDelay(
                    () -> {
                        try {
                            for (ScalingChange change : scaler.runOnce()) {
                                LOG.info(
                                        "managed pool {} scaled {}: {} ({})",
                                        change.pool(),
                                        change.direction(),
                                        change.ip(),
                                        change.reason());
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("managed pool scaling pass failed", e);
                        }
                    },
                    scaleEvery,
                    scaleEvery,
                    TimeUnit.MILLISECONDS);
            flusher.scheduleWithFixedDelay(
                    () -> {
                        try {
                            for (DkimVerification.Change change : dkimChecks.checkDue(clock.instant())) {
                                LOG.info(
                                        "DKIM of {} (account {}): {} -> {}",
                                        change.domain(),
                                        change.accountId(),
                                        change.from(),
                                        change.to());
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("DKIM record check pass failed", e);
                        }
                        try {
                            for (MailFromVerification.Change change : mailFromChecks.checkDue(clock.instant())) {
                                LOG.info(
                                        "MAIL FROM domain {} of {} (account {}): {} -> {}",
                                        change.mailFromDomain(),
                                        change.identity(),
                                        change.accountId(),
                                        change.from(),
                                        change.to());
                            }
                        } catch (RuntimeException e) {
                            LOG.warn("MAIL FROM record check pass failed", e);
                        }
                    },
                    5,
                    60,
                    TimeUnit.SECONDS);
            flusher.scheduleWithFixedDelay(sentLedger::runOnce, 1, 1, TimeUnit.SECONDS);
            opened.add(() -> {
                // a flush running now finishes before the database closes under it
                flusher.shutdown();
                if (!flusher.awaitTermination(10, TimeUnit.SECONDS)) {
                    flusher.shutdownNow();
                }
                volume.flush(clock.instant());
                providerWarmup.flush();
                dailyVolumes.flush();
                sentLedger.runOnce();
            });
            opened.add(counters::flush); // closed after delivery stops: its last events are kept
            PoolSourceSelector sources = new PoolSourceSelector(
                    ipStore, poolStore, plan, volume, providerWarmup, demand, providers, directory, clock);
            Optional<SSLContext> linkTls = config.cluster().nodeLink().isPresent()
                    ? Optional.of((clusterDkim.isPresent()
                                    ? clusterDkim.get().clusterKey()
                                    : ClusterKey.inDataDirectory(data.root(), clock))
                            .context())
                    : Optional.empty();
            Optional<NodeLinkClient> linkClient = linkTls.map(tls -> new NodeLinkClient(tls, nodes.self(), directory));
            linkClient.ifPresent(opened::add);
            RoutedResolver resolver = new RoutedResolver(
                    routes, new MxResolver(), config.outbound() == ServerConfig.Outbound.LOOPBACK_ONLY);
            DeliveryEngine engine = new DeliveryEngine(
                    spool,
                    new SmtpClient(env.smtpClient()),
                    resolver,
                    new ProviderNotingSelector(sources, destinationProviders),
                    sentLedger.recording(events),
                    providers,
                    env.delivery(),
                    clock,
                    linkClient.<NodeHandOver>map(c -> c).orElse(NodeHandOver.NONE));
            opened.add(engine);
            engine.start();
            engine.submitAll(recovered);
            Optional<NodeLinkServer> link = Optional.empty();
            if (linkTls.isPresent()) {
                HostPort at = config.cluster().nodeLink().orElseThrow();
                link = Optional.of(
                        NodeLinkServer.start(linkTls.get(), at.host(), at.port(), (from, message, attempts) -> {
                            if (env.queueLimit().full(spool.pendingCount())) {
                                throw new IllegalStateException("the queue is full");
                            }
                            engine.submitHandedOver(spool.store(message), attempts);
                        }));
                opened.add(link.get());
            }
            if (!recovered.isEmpty()) {
                LOG.info("re-queued {} accepted message(s) from the spool", recovered.size());
            }
            if (env.queueLimit().full(recovered.size())) {
                LOG.warn(
                        "the spool holds {} messages, at or over this heap's queue limit of {}: new mail is refused "
                                + "(429 / SMTP 451) until deliveries make room; a larger heap (POOLMTA_JAVA_OPTS=-Xmx...) "
                                + "raises the limit by one message per {} bytes",
                        recovered.size(),
                        env.queueLimit().maxMessages(),
                        QueueLimit.HEAP_BYTES_PER_MESSAGE);
            }
            // quotas: the rolling 24-hour count is stored every second and on a clean stop; the
            // rate is per real second (request clock)
            SendQuotaGate quota = new SendQuotaGate(
                    new RollingSendCount(new JdbcSendCountStore(jdbc, nodeName), clock.instant(), nodes.shared()),
                    new SendRateLimiter(env.requestClock()),
                    clock,
                    nodes::nodesUp);
            flusher.scheduleWithFixedDelay(
                    () -> {
                        try {
                            quota.flush();
                        } catch (RuntimeException e) {
                            LOG.warn("could not store the accounts' 24-hour send counts", e);
                        }
                    },
                    1,
                    1,
                    TimeUnit.SECONDS);
            opened.add(quota::flush);
            MessageAcceptor acceptor = new MessageAcceptor(
                    accounts,
                    senderRules,
                    sets,
                    sources,
                    scaler::provisionFirstIp,
                    spool,
                    engine,
                    events,
                    suppression,
                    env.delivery().defaultMaxDelivery(),
                    env.queueLimit(),
                    new SandboxRecipients(identityStore::ofAccount, config.hostName()),
                    quota,
                    clock,
                    new ReputationGate(enforcement, id -> !ipStore.ofAccount(id).isEmpty(), clock));
            MessageIntake intake = new MessageIntake(
                    acceptor, new MessageIds(clock), new MimeBuilder(clock, config.hostName()), clock);
            TemplatedSender templated =
                    new TemplatedSender(templates, senderRules, intake, accounts, sets, events, clock);

            // email-address identities: a one-time link, mailed as the operator's own mail
            AtomicReference<String> listenerUrl = new AtomicReference<>();
            EmailVerification emailVerification = new EmailVerification(
                    identityStore,
                    new JdbcVerificationTokenStore(jdbc),
                    (accountId, from, to, subject, text) -> intake.sendOperatorMail(accountId, from, to, subject, text),
                    config.identity().verificationFromOr(config.hostName()),
                    () -> config.identity().publicUrl().orElseGet(listenerUrl::get),
                    jdbc,
                    clock);

            // APIs
            SigV4Verifier verifier = new SigV4Verifier(accounts::key, env.requestClock());
            SesApi ses = new SesApi(
                            verifier,
                            accounts,
                            pools,
                            sets,
                            destinations,
                            tags,
                            tagStore,
                            intake,
                            templated,
                            quota::sentLast24Hours)
                    .withIdentities(identities, tagStore, Optional.of(emailVerification))
                    .withTemplates(templates)
                    .withSuppression(suppression, suppressionImports)
                    .withReputation(enforcement, counters);
            AdminApi admin = new AdminApi(operatorToken);
            new AccountsAdmin(accounts, quota::sentLast24Hours).register(admin);
            new IpsAdmin(leases, poolStore, accounts, plan, clock, nodes).register(admin);
            new NodesAdmin(nodes).register(admin);
            new RoutesAdmin(routes).register(admin);
            new SmtpCredentialsAdmin(smtpCredentials).register(admin);
            new DeliveryAdmin(engine, spool::pendingCount).register(admin);
            new EventsAdmin(webhooks, accounts).register(admin);
            new WarmupAdmin(ipStore, poolStore, accounts, plan, volume, providerWarmup, clock).register(admin);
            new IdentitiesAdmin(identities, accounts, publishedRecords).register(admin);
            new IpCheckAdmin(new SendingIpCheck(ipStore, identityStore, env.localAddresses(), dns), accounts)
                    .register(admin);
            AdvisorService advisor = new AdvisorService(dailyVolumes, accounts, ipStore, plan, providers, clock);
            new AdvisorAdmin(advisor).register(admin);
            PrometheusRegistry registry = new PrometheusRegistry();
            registry.register(new PoolMtaCollector(new PoolMtaCollector.Sources(
                    engine,
                    spool::pendingCount,
                    spool.directory(),
                    traffic,
                    ipStore,
                    poolStore,
                    accounts,
                    plan,
                    volume,
                    providerWarmup,
                    accountId -> enforcement.status(Scope.account(accountId)).name(),
                    clock)));
            new ReputationAdmin(enforcement, accounts).register(admin);

            Optional<FeedbackServer> feedback = Optional.empty();
            if (config.feedback().listener().isPresent()) {
                HostPort listen = config.feedback().listener().get();
                IdentityFeedbackLookup identityLookup = new IdentityFeedbackLookup(identities);
                FeedbackProcessor reports = new FeedbackProcessor(
                        sentLedger,
                        events,
                        BounceClassifier.standard(),
                        new NotificationForwarder(identityLookup, intake, config.bounceDomain(), clock),
                        clock);
                FeedbackServer feedbackServer = FeedbackServer.start(
                        FeedbackSettings.defaults(
                                listen.host(), listen.port(), config.bounceDomain(), config.hostName()),
                        sentLedger,
                        identityLookup,
                        reports);
                opened.add(feedbackServer);
                feedback = Optional.of(feedbackServer);
            }

            SubmissionOptions submission = config.submission();
            SSLContext tls = submission.tlsCertificate().isPresent()
                    ? TlsCertificates.fromPem(
                            submission.tlsCertificate().get(),
                            submission.tlsPrivateKey().orElseThrow())
                    : TlsCertificates.serverContext(Optional.empty(), null, data.root(), config.hostName(), clock);
            SubmissionSettings smtpSettings = SubmissionSettings.defaults()
                    .withAddress(config.smtp().host(), config.smtp().port())
                    .withHostName(config.hostName())
                    .withAllowCleartextAuth(submission.allowCleartextAuth())
                    .withMaxConnectionsPerAddress(submission.maxConnectionsPerAddress());
            if (submission.smtps().isPresent()) {
                smtpSettings = smtpSettings.withSmtps(
                        submission.smtps().get().host(),
                        submission.smtps().get().port());
            }
            SubmissionServer smtp = SubmissionServer.start(
                    smtpSettings, tls, new AccountSmtpAuthenticator(smtpCredentials, accounts::key), intake, clock);
            opened.add(smtp);
            // the web console, on the API listener
            AuthThrottle consoleThrottle = new AuthThrottle(clock, ConsoleSignIn.DEFAULT_FAILURE_DELAY);
            opened.add(consoleThrottle::close);
            ConsoleEndpoint console = new ConsoleEndpoint(
                    new ConsoleServices(
                            accounts,
                            pools,
                            sets,
                            destinations,
                            setStore,
                            leases,
                            ipStore,
                            plan,
                            volume,
                            providerWarmup,
                            quota::sentLast24Hours,
                            jdbc,
                            clock,
                            routes,
                            engine,
                            spool::pendingCount,
                            webhooks,
                            enforcement,
                            identities,
                            suppression,
                            advisor),
                    new ConsoleSessions(ConsoleSessions.DEFAULT_IDLE, ConsoleSessions.DEFAULT_ABSOLUTE, clock),
                    new ConsoleSignIn(accounts, () -> operatorToken, consoleThrottle),
                    false);
            HttpServer api = new HttpServer(
                    config.api().socketAddress(),
                    List.of(
                            // answers as new as any write made through another node before the request
                            new CaughtUpEndpoint(ses, jdbc),
                            new CaughtUpEndpoint(admin, jdbc),
                            new CaughtUpEndpoint(console, jdbc),
                            new MetricsEndpoint(operatorToken, registry),
                            new VerifyEmailLinks(emailVerification)),
                    new ApiRefusals(),
                    clock,
                    HttpServer.DEFAULT_MAX_CONNECTIONS);
            opened.add(api);
            api.start();
            listenerUrl.set("http://" + api.address().getAddress().getHostAddress() + ":"
                    + api.address().getPort());

            List<AutoCloseable> closeInOrder = new ArrayList<>(opened);
            Collections.reverse(closeInOrder);
            PoolMtaServer server = new PoolMtaServer(
                    data,
                    closeInOrder,
                    api,
                    smtp,
                    engine,
                    events,
                    scaler,
                    dkimChecks,
                    mailFromChecks,
                    sentLedger,
                    feedback,
                    nodes);
            server.nodeLinkAddress = link.map(NodeLinkServer::address);
            data.writeServerInfo(server.apiUrl(), server.smtpAddress());
            nodes.register(server.apiUrl(), server.smtpAddress(), server.nodeLinkAddress);
            nodes.heartbeat(); // counts the nodes that are up at once
            flusher.scheduleWithFixedDelay(
                    () -> {
                        try {
                            nodes.heartbeat();
                        } catch (RuntimeException e) {
                            LOG.warn("could not store this node's heartbeat", e);
                        }
                    },
                    ClusterNodes.HEARTBEAT.toMillis(),
                    ClusterNodes.HEARTBEAT.toMillis(),
                    TimeUnit.MILLISECONDS);
            LOG.info(
                    "PoolMTA API on {}, SMTP submission on {} (node {}, control plane {}, data in {}, outbound {})",
                    server.apiUrl(),
                    server.smtpAddress(),
                    nodes.self(),
                    config.cluster().database().map(Database::redacted).orElse("embedded"),
                    data.root(),
                    config.outbound().text());
            return server;
        } catch (IOException | RuntimeException e) {
            Collections.reverse(opened);
            closeAll(opened);
            throw e;
        }
    }

    public String apiUrl() {
        return apiUrl;
    }

    /** The web console's address, on the API listener. */
    public String consoleUrl() {
        return apiUrl + ConsoleEndpoint.PREFIX;
    }

    /** HOST:PORT of the SMTP submission listener. */
    public String smtpAddress() {
        return smtpAddress;
    }

    /** HOST:PORT of the implicit-TLS (SMTPS) submission listener, when configured. */
    public Optional<String> smtpsAddress() {
        return smtpsAddress;
    }

    /** HOST:PORT of the node link listener, when it runs ({@code --node-link}). */
    public Optional<String> nodeLinkAddress() {
        return nodeLinkAddress;
    }

    public DataDirectory dataDirectory() {
        return data;
    }

    public DeliveryEngine delivery() {
        return engine;
    }

    public EventDispatcher events() {
        return events;
    }

    /** The managed-pool scaler (it also runs by itself every {@link ScalingPolicy#INTERVAL}). */
    public ManagedPoolScaler managedPools() {
        return managedPools;
    }

    /** The ledger of delivered messages that ties a late bounce or complaint to its message. */
    public SentLedger sentLedger() {
        return sentLedger;
    }

    /** HOST:PORT of the feedback listener, when it runs ({@code --feedback}). */
    public Optional<String> feedbackAddress() {
        return feedbackAddress;
    }

    /** The nodes sharing this server's control plane, and which node each sending IP lives on. */
    public NodeDirectory nodes() {
        return nodes;
    }

    /** The DKIM record checks (they also run by themselves every minute). */
    public DkimVerification dkimChecks() {
        return dkimChecks;
    }

    /** The custom MAIL FROM domain checks (they run with the DKIM checks). */
    public MailFromVerification mailFromChecks() {
        return mailFromChecks;
    }

    /** An account's sending addresses for its SPF record: its dedicated IPs and the shared pool's. */
    private static List<String> sendingIps(JdbcIpStore ips, String accountId) {
        List<String> out = new ArrayList<>();
        ips.ofAccount(accountId).forEach(ip -> out.add(ip.address().text()));
        ips.all().stream()
                .filter(ip -> ip.role() == IpRole.SHARED)
                .forEach(ip -> out.add(ip.address().text()));
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(closeInOrder);
        data.removeServerInfo();
        LOG.info("PoolMTA stopped");
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", resource.getClass().getSimpleName(), e);
            }
        }
    }
}
