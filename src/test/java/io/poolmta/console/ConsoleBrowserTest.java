package io.poolmta.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.DedicatedIp;

/**
 * The console in a real browser: Debian's chromium driven by Playwright (no browser download),
 * against a real server, with the AWS SDK on the other side to check that the console and the API
 * agree. One browser for the class; each test gets a fresh browser context (no cookies) and its own
 * account. Screenshots of the main pages go to target/console-screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    Path dir;
    TestServer server;
    ScriptedSmtpServer sink;
    Playwright playwright;
    Browser browser;
    BrowserContext context;
    Page page;

    @BeforeAll
    void startAll() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (.ci/run installs it)");
        dir = Files.createTempDirectory("console-test");
        server = TestServer.start(dir);
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync")));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stopAll() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @BeforeEach
    void newContext() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        page = context.newPage();
    }

    @AfterEach
    void closeContext() {
        context.close();
    }

    private TestAccount newAccount(String prefix) {
        return server.createAccount(prefix + ACCOUNTS.incrementAndGet());
    }

    private String url(String path) {
        return server.url() + path;
    }

    private void signIn(TestAccount account) {
        page.navigate(url("/console"));
        page.getByLabel("Access key ID").fill(account.accessKeyId());
        page.getByLabel("Secret access key").fill(account.secretAccessKey());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))
                .click();
        assertThat(page.locator("h1").textContent()).isEqualTo("Dedicated IPs");
    }

    private Locator button(String name) {
        return page.getByRole(
                AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    private void screenshot(String name) {
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(name + ".png"))
                .setFullPage(true));
    }

    @Test
    void signInShowsTheDedicatedIpsPageAndSignOutEndsTheSession() {
        TestAccount acme = newAccount("signin");
        page.navigate(url("/console/dedicated-ips"));
        assertThat(page.url()).endsWith("/console/sign-in");
        screenshot("sign-in");

        signIn(acme);
        assertThat(page.locator("header").textContent()).contains(acme.accountId());
        button("Sign out").click();

        assertThat(page.url()).endsWith("/console/sign-in");
        page.navigate(url("/console/dedicated-ips"));
        assertThat(page.url()).endsWith("/console/sign-in");
    }

    @Test
    void aWrongSecretIsRefusedWithoutSayingWhichHalfWasWrong() {
        TestAccount acme = newAccount("wrong");
        page.navigate(url("/console/sign-in"));
        page.getByLabel("Access key ID").fill(acme.accessKeyId());
        page.getByLabel("Secret access key").fill("not-the-secret");
        button("Sign in").click();

        assertThat(page.locator("#sign-in-error").textContent())
                .isEqualTo("The access key ID or the secret access key is not correct.");
    }

    @Test
    void theWizardMovesAnIpCreatesASetAndMailLeavesFromTheNewPool() {
        TestAccount acme = newAccount("wizard");
        server.leaseIps(acme, "127.0.0.61", "127.0.0.62", "127.0.0.63");
        SesV2Client ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("old"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.61").destinationPoolName("old"));
        signIn(acme);
        screenshot("dedicated-ips");

        page.getByText("Create a New IP Pool").first().click();
        page.getByLabel("Pool name").fill("news");
        screenshot("wizard-1-name");
        button("Next").click();

        assertThat(page.getByLabel("127.0.0.61").isVisible()).isTrue();
        assertThat(page.locator("label[for=ip-127-0-0-61]").textContent()).contains("will be moved from old");
        page.getByLabel("127.0.0.61").check();
        page.getByLabel("127.0.0.62").check();
        screenshot("wizard-2-ips");
        button("Next").click();

        page.getByLabel("Create a new configuration set").check();
        page.getByLabel("Configuration set name").fill("news-set");
        screenshot("wizard-3-set");
        button("Next").click();

        assertThat(page.locator("#review-pool-name").textContent()).isEqualTo("news");
        assertThat(page.locator("#review-ips").textContent()).contains("127.0.0.61", "moved from old", "127.0.0.62");
        assertThat(page.locator("#review-set").textContent()).contains("news-set");
        screenshot("wizard-4-review");
        // Back keeps every choice
        button("Back").click();
        assertThat(page.getByLabel("Configuration set name").inputValue()).isEqualTo("news-set");
        button("Next").click();
        button("Create").click();

        assertThat(page.url()).contains("/console/pools/news");
        assertThat(page.locator(".notice").textContent()).contains("Pool news was created.");
        screenshot("pool");
        assertThat(ses.getDedicatedIps(r -> r.poolName("news")).dedicatedIps().stream()
                        .map(DedicatedIp::ip)
                        .toList())
                .containsExactly("127.0.0.61", "127.0.0.62");
        assertThat(ses.getConfigurationSet(r -> r.configurationSetName("news-set"))
                        .deliveryOptions()
                        .sendingPoolName())
                .isEqualTo("news");

        for (int i = 0; i < 6; i++) {
            int n = i;
            ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                    .destination(d -> d.toAddresses("to" + n + "@example.com"))
                    .configurationSetName("news-set")
                    .content(c -> c.simple(
                            m -> m.subject(s -> s.data("hello")).body(b -> b.text(t -> t.data("from the new pool"))))));
        }
        List<ReceivedMessage> received = sink.awaitMessages(6, Duration.ofSeconds(30));
        Set<String> sources =
                received.stream().map(ReceivedMessage::sourceAddress).collect(Collectors.toSet());
        assertThat(sources).isNotEmpty().isSubsetOf("127.0.0.61", "127.0.0.62");
    }

    @Test
    void eachStepShowsTheApisValidationMessageBesideItsField() {
        TestAccount acme = newAccount("valid");
        server.ses(acme).createDedicatedIpPool(r -> r.poolName("taken"));
        signIn(acme);
        page.navigate(url("/console/create-pool"));

        Map<String, String> names = Map.of(
                "Bad Name", "PoolName may contain only lowercase letters, digits, '_' and '-'.",
                "ses-mine", "Pool names starting with 'ses-' are reserved.",
                "ses-shared-pool",
                        "Pool name ses-shared-pool describes either a shared or default dedicated ip pool; it is reserved.",
                "taken", "Pool taken already exists.",
                "", "PoolName is required.");
        names.forEach((name, message) -> {
            page.getByLabel("Pool name").fill(name);
            button("Next").click();
            assertThat(page.locator("#pool-name-error").textContent()).isEqualTo(message);
            assertThat(page.getByLabel("Pool name").getAttribute("aria-invalid"))
                    .isEqualTo("true");
        });
        screenshot("wizard-validation");

        page.getByLabel("Pool name").fill("fresh");
        button("Next").click();
        button("Next").click();
        page.getByLabel("Add this pool to an existing configuration set").check();
        button("Next").click();
        assertThat(page.locator("#existing-set-error").textContent())
                .isEqualTo("Choose one of the existing configuration sets.");
        page.getByLabel("Create a new configuration set").check();
        page.getByLabel("Configuration set name").fill("bad name!");
        button("Next").click();
        assertThat(page.locator("#new-set-error").textContent())
                .isEqualTo("ConfigurationSetName may contain only letters, digits, '_' and '-'.");

        // nothing of the checks stayed behind
        assertThat(server.ses(acme).listDedicatedIpPools(r -> {}).dedicatedIpPools())
                .containsExactly("taken");
    }

    @Test
    void aNameTakenBetweenReviewAndCreateLeavesNothingHalfDone() {
        TestAccount acme = newAccount("race");
        server.leaseIps(acme, "127.0.0.71");
        SesV2Client ses = server.ses(acme);
        signIn(acme);
        page.navigate(url("/console/create-pool"));
        page.getByLabel("Pool name").fill("race");
        button("Next").click();
        page.getByLabel("127.0.0.71").check();
        button("Next").click();
        page.getByLabel("Create a new configuration set").check();
        page.getByLabel("Configuration set name").fill("race-set");
        button("Next").click();

        ses.createConfigurationSet(r -> r.configurationSetName("race-set"));
        button("Create").click();

        assertThat(page.locator("#wizard-failure").textContent())
                .contains("Nothing was created", "Configuration set race-set already exists.");
        assertThat(ses.listDedicatedIpPools(r -> {}).dedicatedIpPools()).isEmpty();
        assertThat(ses.getDedicatedIp(r -> r.ip("127.0.0.71")).dedicatedIp().poolName())
                .isEqualTo("ses-default-dedicated-pool");
    }

    @Test
    void theConsoleAndTheApiAgreeBothWays() {
        TestAccount acme = newAccount("agree");
        SesV2Client ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("blue"));
        signIn(acme);

        // console -> API: create a set and point it at a pool
        page.navigate(url("/console/configuration-sets"));
        page.getByLabel("Configuration set name").fill("mail");
        button("Create set").click();
        page.getByLabel("Sending IP pool").selectOption("blue");
        page.getByLabel("TLS policy").selectOption("REQUIRE");
        page.getByLabel("Maximum delivery time (seconds)").fill("600");
        page.getByLabel("Sending enabled").uncheck();
        button("Save changes").click();
        assertThat(page.locator(".notice").textContent()).contains("Saved.");
        screenshot("configuration-set");
        var set = ses.getConfigurationSet(r -> r.configurationSetName("mail"));
        assertThat(set.deliveryOptions().sendingPoolName()).isEqualTo("blue");
        assertThat(set.deliveryOptions().tlsPolicyAsString()).isEqualTo("REQUIRE");
        assertThat(set.deliveryOptions().maxDeliverySeconds()).isEqualTo(600L);
        assertThat(set.sendingOptions().sendingEnabled()).isFalse();

        // API -> console
        ses.putConfigurationSetDeliveryOptions(
                r -> r.configurationSetName("mail").sendingPoolName("ses-shared-pool"));
        page.reload();
        assertThat(page.getByLabel("Sending IP pool").inputValue()).isEqualTo("ses-shared-pool");
        ses.createDedicatedIpPool(r -> r.poolName("green"));
        page.navigate(url("/console/pools"));
        assertThat(page.locator("table.pools").textContent()).contains("blue", "green");
        screenshot("pools");

        // the API's refusal, as a plain message: a pool a set uses cannot be deleted
        ses.putConfigurationSetDeliveryOptions(
                r -> r.configurationSetName("mail").sendingPoolName("green"));
        page.navigate(url("/console/pools/green"));
        button("Delete pool").click();
        assertThat(page.locator(".error").textContent())
                .isEqualTo("Pool green is still used by configuration set(s) mail; point them at another pool first.");
        page.navigate(url("/console/pools/blue"));
        button("Delete pool").click();
        assertThat(ses.listDedicatedIpPools(r -> {}).dedicatedIpPools()).containsExactly("green");

        page.navigate(url("/console/account"));
        assertThat(page.locator("#account-id").textContent()).isEqualTo(acme.accountId());
        screenshot("account");
    }

    @Test
    void anotherAccountsUrlsAreNotFound() {
        TestAccount acme = newAccount("owner");
        SesV2Client ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("private"));
        ses.createConfigurationSet(r -> r.configurationSetName("private-set"));
        TestAccount other = newAccount("other");
        signIn(other);

        Response pool = page.navigate(url("/console/pools/private"));
        assertThat(pool.status()).isEqualTo(404);
        assertThat(page.locator(".error").textContent()).isEqualTo("Pool private does not exist.");
        Response set = page.navigate(url("/console/configuration-sets/private-set"));
        assertThat(set.status()).isEqualTo(404);
        assertThat(page.locator(".error").textContent()).isEqualTo("Configuration set private-set does not exist.");
        assertThat(page.navigate(url("/console/operator/accounts")).status()).isEqualTo(403);
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefused() {
        TestAccount acme = newAccount("csrf");
        signIn(acme);

        APIResponse without = context.request()
                .post(
                        url("/console/configuration-sets"),
                        RequestOptions.create().setForm(FormData.create().set("name", "sneaky")));
        APIResponse wrong = context.request()
                .post(
                        url("/console/configuration-sets"),
                        RequestOptions.create()
                                .setForm(FormData.create().set("name", "sneaky").set("csrf", "guess")));

        assertThat(without.status()).isEqualTo(403);
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(without.text()).contains("CSRF token is missing or does not match");
        assertThat(server.ses(acme).listConfigurationSets(r -> {}).configurationSets())
                .isEmpty();
    }

    @Test
    void pagesCarryAContentSecurityPolicyAndTheSessionCookieIsHttpOnlyAndStrict() {
        TestAccount acme = newAccount("headers");
        Response signInPage = page.navigate(url("/console/sign-in"));
        assertThat(signInPage.headerValue("content-security-policy"))
                .contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        signIn(acme);
        var cookie = context.cookies().stream()
                .filter(c -> c.name.equals("poolmta_console"))
                .findFirst()
                .orElseThrow();
        assertThat(cookie.httpOnly).isTrue();
        assertThat(cookie.sameSite.name()).isEqualTo("STRICT");
        assertThat(cookie.path).isEqualTo("/console");
    }

    @Test
    void theDedicatedIpsPageShowsWarmUpAfterDaysOnTheClock() {
        TestAccount acme = newAccount("warm");
        server.leaseIps(acme, "127.0.0.81");
        server.clock().advance(Duration.ofDays(3).plusHours(1));
        signIn(acme);

        Locator row = page.locator("tr[data-ip='127.0.0.81']");
        assertThat(row.textContent()).contains("ses-default-dedicated-pool", "IN_PROGRESS", "6%", "0 / 291");
        assertThat(row.locator("svg.chart polyline").count()).isEqualTo(1);
        assertThat(page.locator("table.pools").textContent()).contains("ses-shared-pool", "addresses not shown");
        page.setViewportSize(390, 844);
        screenshot("dedicated-ips-phone");
    }

    @Test
    void theOperatorLeasesAnIpToAnAccount() {
        TestAccount acme = newAccount("lease");
        page.navigate(url("/console/operator/sign-in"));
        page.getByLabel("Operator token").fill(server.operatorToken());
        button("Sign in").click();
        assertThat(page.locator("h1").textContent()).isEqualTo("Accounts");
        page.navigate(url("/console/operator/ips"));
        page.getByLabel("IP addresses").fill("127.0.0.91");
        page.getByLabel("Role").selectOption("DEDICATED");
        page.getByLabel("Account", new Page.GetByLabelOptions().setExact(true)).selectOption(acme.name());
        button("Lease").click();
        assertThat(page.locator("tr[data-ip='127.0.0.91']").textContent()).contains("DEDICATED", acme.name());
        screenshot("operator-ips");
        assertThat(server.ses(acme)
                        .getDedicatedIp(r -> r.ip("127.0.0.91"))
                        .dedicatedIp()
                        .ip())
                .isEqualTo("127.0.0.91");
        // an operator session has no account pages
        assertThat(page.navigate(url("/console/dedicated-ips")).status()).isEqualTo(404);
    }
}
