package io.poolmta.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.services.sesv2.model.EventDestination;
import software.amazon.awssdk.services.sesv2.model.EventType;

/**
 * The console in a real browser: Debian's chromium driven by Playwright (no browser download),
 * against a real server, with the AWS SDK on the other side to check that the console and the API
 * agree. One browser for the class; each test gets a fresh browser context (no cookies) and its own
 * account. Screenshots of the main pages, at 1280 px and at 390 px (a phone), go to
 * target/console-screenshots, kept with the build's other reports.
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

    private void signInOperator() {
        page.navigate(url("/console/operator/sign-in"));
        page.getByLabel("Operator token").fill(server.operatorToken());
        button("Sign in").click();
        assertThat(page.locator("h1").textContent()).isEqualTo("Accounts");
    }

    /** What has the keyboard focus: tag, id and text, e.g. {@code button||Next}. */
    private String focused() {
        return (String) page.evaluate("() => { const e = document.activeElement;"
                + " const text = ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName) ? '' : (e.textContent || '').trim();"
                + " return e.tagName.toLowerCase() + '|' + (e.id || '') + '|' + text; }");
    }

    /**
     * Presses Tab until {@code stop} has the focus, pressing Space on the way wherever {@code space}
     * matches; answers every element the focus visited, in order.
     */
    private List<String> tabTo(String stop, Set<String> space) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            page.keyboard().press("Tab");
            String now = focused();
            seen.add(now);
            if (space.contains(now)) {
                page.keyboard().press("Space");
            }
            if (now.equals(stop)) {
                return seen;
            }
        }
        throw new AssertionError("the focus never reached " + stop + "; it went through " + seen);
    }

    /** Waits for the page whose second-level heading is {@code text} (after a form was sent with a key). */
    private void heading(String text) {
        page.getByRole(
                        AriaRole.HEADING,
                        new Page.GetByRoleOptions().setName(text).setExact(true))
                .waitFor();
    }

    @Test
    void theKeyboardAloneTakesTheWizardToANewPool() {
        TestAccount acme = newAccount("keys");
        server.leaseIps(acme, "127.0.0.101", "127.0.0.102");
        SesV2Client ses = server.ses(acme);
        ses.createConfigurationSet(r -> r.configurationSetName("keys-set"));
        signIn(acme);
        page.navigate(url("/console/create-pool"));

        // step 1: the name field has the focus (its autofocus applies once the browser has
        // parsed and laid out the page, which can come after navigate returns: waited for);
        // type, then Tab to Next and Enter
        PlaywrightAssertions.assertThat(page.locator("#pool-name")).isFocused();
        assertThat(focused()).isEqualTo("input|pool-name|");
        page.keyboard().type("by-keys");
        List<String> step1 = tabTo("button||Next", Set.of());
        assertThat(step1).containsExactly("button||Next");
        page.keyboard().press("Enter");
        heading("Add Dedicated IPs");

        // step 2: every checkbox, then Next, Back and Cancel; Space checks one IP
        List<String> step2 = tabTo("a||Cancel", Set.of("input|ip-127-0-0-102|"));
        assertThat(step2)
                .containsSubsequence(
                        "input|ip-127-0-0-101|", "input|ip-127-0-0-102|", "button||Next", "button||Back", "a||Cancel");
        assertThat(page.getByLabel("127.0.0.102").isChecked()).isTrue();
        assertThat(page.getByLabel("127.0.0.101").isChecked()).isFalse();
        tabTo("button||Next", Set.of()); // round the page again
        page.keyboard().press("Enter");
        heading("Assign to a configuration set");

        // step 3: the radio group (Tab reaches its checked choice), the set list, the name field,
        // and the buttons; with Tab and Space only the choice stays "neither"
        List<String> step3 = tabTo("a||Cancel", Set.of());
        assertThat(step3)
                .containsSubsequence(
                        "input|set-none|",
                        "select|existing-set|",
                        "input|new-set|",
                        "button||Next",
                        "button||Back",
                        "a||Cancel");
        tabTo("button||Next", Set.of());
        page.keyboard().press("Enter");
        heading("Review");

        // step 4: Review, then Create with Enter
        assertThat(page.locator("#review-pool-name").textContent()).isEqualTo("by-keys");
        assertThat(page.locator("#review-ips").textContent()).contains("127.0.0.102");
        List<String> step4 = tabTo("a||Cancel", Set.of());
        assertThat(step4).containsSubsequence("button||Create", "button||Back", "a||Cancel");
        tabTo("button||Create", Set.of());
        page.keyboard().press("Enter");

        page.waitForURL("**/console/pools/by-keys?created=1");
        assertThat(ses.getDedicatedIps(r -> r.poolName("by-keys")).dedicatedIps().stream()
                        .map(DedicatedIp::ip)
                        .toList())
                .containsExactly("127.0.0.102");
    }

    @Test
    void thePoolNameIsCheckedBesideTheFieldWhileItIsTyped() {
        TestAccount acme = newAccount("typed");
        server.ses(acme).createDedicatedIpPool(r -> r.poolName("taken"));
        signIn(acme);
        page.navigate(url("/console/create-pool"));

        page.getByLabel("Pool name").pressSequentially("taken");
        page.locator("#pool-name-error").waitFor();
        assertThat(page.locator("#pool-name-error").textContent()).isEqualTo("Pool taken already exists.");
        assertThat(page.url()).endsWith("/console/create-pool"); // no page load: a partial update
        page.getByLabel("Pool name").pressSequentially("-not");
        page.locator("#pool-name-error").waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        button("Next").click();
        assertThat(page.locator("h2").textContent()).isEqualTo("Add Dedicated IPs");
    }

    @Test
    void theOperatorSetsAndRemovesARoute() {
        signInOperator();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Routes"))
                .click();
        page.getByLabel("Domain").fill("console-route.test");
        page.getByLabel("Next hop (HOST:PORT)").fill("127.0.0.1:2525");
        button("Add route").click();
        assertThat(page.locator("tr[data-domain='console-route.test']").textContent())
                .contains("127.0.0.1:2525");
        screenshot("operator-routes");
        assertThat(server.admin().ok("GET", "/routes", null).toString())
                .contains("\"Domain\":\"console-route.test\",\"NextHop\":\"127.0.0.1:2525\"");

        // the admin API's refusal, as its message beside the form
        page.getByLabel("Domain").fill("console-route.test");
        page.getByLabel("Next hop (HOST:PORT)").fill("127.0.0.1:99999");
        button("Add route").click();
        assertThat(page.locator("#route-error").textContent())
                .isEqualTo("Port must be between 1 and 65535, got 99999.");

        // the admin API's change shows in the console, and the console removes it
        server.admin().ok("PUT", "/routes/api-route.test", "{\"NextHop\":\"127.0.0.1:2526\"}");
        page.navigate(url("/console/operator/routes"));
        assertThat(page.locator("tr[data-domain='api-route.test']").textContent())
                .contains("127.0.0.1:2526");
        button("Remove the route of console-route.test").click();
        assertThat(page.locator(".notice").textContent()).isEqualTo("Removed the route of console-route.test.");
        assertThat(server.admin().ok("GET", "/routes", null).toString()).doesNotContain("console-route.test");
        server.admin().ok("DELETE", "/routes/api-route.test", null);
    }

    @Test
    void theOperatorSeesTheDeliveryStatusWithItsThrottlesAndCounters() {
        TestAccount acme = newAccount("status");
        server.leaseIps(acme, "127.0.0.111");
        try (ScriptedSmtpServer statusSink = ScriptedSmtpServer.acceptingAll()) {
            // a known provider's domain, so that its throttle is listed (unclassified sites are forgotten)
            server.route("gmail.com", statusSink.nextHop().toString());
            server.ses(acme)
                    .sendEmail(r -> r.fromEmailAddress("status@acme.test")
                            .destination(d -> d.toAddresses("someone@gmail.com"))
                            .content(c -> c.simple(m -> m.subject(x -> x.data("status"))
                                    .body(b -> b.text(t -> t.data("for the status page"))))));
            assertThat(statusSink.awaitMessages(1, Duration.ofSeconds(30)).stream()
                            .map(ReceivedMessage::sourceAddress))
                    .containsExactly("127.0.0.111");
        } finally {
            server.admin().ok("DELETE", "/routes/gmail.com", null);
        }
        // the sink has the message before PoolMTA has read its 250 and counted it on the
        // throttle of that IP and provider: wait until it has (the server is shared by the class)
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (var t : server.admin().ok("GET", "/delivery", null).path("Throttles")) {
                if (t.path("Ip").asText().equals("127.0.0.111")
                        && t.path("Provider").asText().equals("google")
                        && t.path("Delivered").asLong() >= 1) {
                    return true;
                }
            }
            return false;
        });
        signInOperator();

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delivery status"))
                .click();
        var delivery = server.admin().ok("GET", "/delivery", null);
        assertThat(Long.parseLong(page.locator("#delivered").textContent()))
                .isGreaterThanOrEqualTo(1)
                .isLessThanOrEqualTo(delivery.path("Delivered").asLong());
        Locator throttle = page.locator("tr[data-throttle='127.0.0.111 google']");
        assertThat(throttle.count()).isEqualTo(1);
        assertThat(throttle.locator("td").allTextContents())
                .containsExactly("127.0.0.111", "google", "", "4", "4", "0", "1", "");
        assertThat(page.locator("#reputation").textContent()).contains("HEALTHY");
        screenshot("operator-status");

        // the inventory: per account and pool, with the warm-up, paused and resumed
        page.navigate(url("/console/operator/ips?account=" + acme.name()));
        assertThat(page.locator("table.groups").textContent())
                .contains("DEDICATED", acme.name(), "ses-default-dedicated-pool");
        button("Pause the warm-up of 127.0.0.111").click();
        assertThat(page.locator("tr[data-ip='127.0.0.111']").textContent()).contains("(paused)");
        assertThat(server.admin().ok("GET", "/ips", null).toString()).contains("127.0.0.111");
        button("Resume the warm-up of 127.0.0.111").click();
        assertThat(page.locator("tr[data-ip='127.0.0.111']").textContent()).doesNotContain("(paused)");
    }

    @Test
    void operatorPagesRefuseAnAccountSession() {
        TestAccount acme = newAccount("notop");
        signIn(acme);
        for (String path : List.of("accounts", "ips", "routes", "status")) {
            Response r = page.navigate(url("/console/operator/" + path));
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(page.locator(".error").textContent()).contains("This page is for the operator");
        }
        String csrf = page.locator("header input[name=csrf]").inputValue();
        APIResponse post = context.request()
                .post(
                        url("/console/operator/routes"),
                        RequestOptions.create()
                                .setForm(FormData.create()
                                        .set("csrf", csrf)
                                        .set("domain", "sneaky.test")
                                        .set("next-hop", "127.0.0.1:25")));
        assertThat(post.status()).isEqualTo(403);
        assertThat(server.admin().ok("GET", "/routes", null).toString()).doesNotContain("sneaky.test");
    }

    @Test
    void eventDestinationsEditedInTheConsoleReadBackWithTheSdkAndTheReverse() {
        TestAccount acme = newAccount("events");
        SesV2Client ses = server.ses(acme);
        ses.createConfigurationSet(r -> r.configurationSetName("tracked"));
        ses.createConfigurationSetEventDestination(r -> r.configurationSetName("tracked")
                .eventDestinationName("from-sdk")
                .eventDestination(d -> d.enabled(true)
                        .matchingEventTypes(EventType.SEND, EventType.BOUNCE)
                        .kinesisFirehoseDestination(
                                k -> k.deliveryStreamArn("file:sdk-events").iamRoleArn("arn:aws:iam::1:role/x"))));
        signIn(acme);
        page.navigate(url("/console/configuration-sets/tracked"));
        assertThat(page.locator("tr[data-destination='from-sdk']").textContent())
                .contains("File", "file:sdk-events", "SEND, BOUNCE", "Enabled");

        // console -> API: add one
        page.getByLabel("Event destination name").fill("from-console");
        page.getByLabel("File (JSON lines").check();
        page.getByLabel("Webhook URL or file name").fill("console-events");
        page.getByLabel("DELIVERY", new Page.GetByLabelOptions().setExact(true)).check();
        page.getByLabel("COMPLAINT", new Page.GetByLabelOptions().setExact(true))
                .check();
        button("Add event destination").click();
        assertThat(page.locator(".notice").textContent()).isEqualTo("Event destination from-console was added.");
        EventDestination added = destination(ses, "from-console");
        assertThat(added.enabled()).isTrue();
        assertThat(added.matchingEventTypes()).containsExactlyInAnyOrder(EventType.DELIVERY, EventType.COMPLAINT);
        assertThat(added.kinesisFirehoseDestination().deliveryStreamArn()).isEqualTo("file:console-events");

        // the API's validation, beside the form, with what was typed kept
        page.getByLabel("Event destination name").fill("bad name");
        page.getByLabel("SEND", new Page.GetByLabelOptions().setExact(true)).check();
        button("Add event destination").click();
        assertThat(page.locator("#destination-error").textContent())
                .isEqualTo("EventDestinationName must be 1-64 characters of letters, digits, '_' and '-'.");
        assertThat(page.getByLabel("Event destination name").inputValue()).isEqualTo("bad name");
        page.getByLabel("Event destination name").fill("hook");
        page.getByLabel("Webhook (an http").check();
        page.getByLabel("Webhook URL or file name").fill("http://169.254.169.254/hook");
        button("Add event destination").click();
        assertThat(page.locator("#destination-error").textContent())
                .startsWith("Webhook URL 'http://169.254.169.254/hook' is refused");
        screenshot("configuration-set-event-destinations");

        // disable in the console, read with the SDK; enable with the SDK, read in the console
        button("Disable from-sdk").click();
        // the page the form's answer loads, before the SDK reads and before reloading it
        page.waitForSelector("tr[data-destination='from-sdk'] td:text-is('Disabled')");
        assertThat(destination(ses, "from-sdk").enabled()).isFalse();
        ses.updateConfigurationSetEventDestination(r -> r.configurationSetName("tracked")
                .eventDestinationName("from-sdk")
                .eventDestination(d -> d.enabled(true)
                        .matchingEventTypes(EventType.SEND)
                        .kinesisFirehoseDestination(
                                k -> k.deliveryStreamArn("file:sdk-events").iamRoleArn("arn:aws:iam::1:role/x"))));
        page.reload();
        assertThat(page.locator("tr[data-destination='from-sdk']").textContent())
                .contains("Enabled")
                .doesNotContain("BOUNCE");

        // delete in the console
        button("Delete from-console").click();
        assertThat(ses
                        .getConfigurationSetEventDestinations(r -> r.configurationSetName("tracked"))
                        .eventDestinations()
                        .stream()
                        .map(EventDestination::name))
                .containsExactly("from-sdk");
    }

    private static EventDestination destination(SesV2Client ses, String name) {
        return ses
                .getConfigurationSetEventDestinations(r -> r.configurationSetName("tracked"))
                .eventDestinations()
                .stream()
                .filter(d -> d.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theMainPagesFitA1280WindowAndAPhoneWithoutSidewaysScrolling() {
        TestAccount acme = newAccount("layout");
        server.leaseIps(acme, "127.0.0.121", "127.0.0.122");
        SesV2Client ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("layout-pool"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.121").destinationPoolName("layout-pool"));
        ses.createConfigurationSet(
                r -> r.configurationSetName("layout-set").deliveryOptions(o -> o.sendingPoolName("layout-pool")));
        ses.createConfigurationSetEventDestination(r -> r.configurationSetName("layout-set")
                .eventDestinationName("layout-file")
                .eventDestination(d -> d.enabled(true)
                        .matchingEventTypes(EventType.SEND)
                        .kinesisFirehoseDestination(
                                k -> k.deliveryStreamArn("file:layout").iamRoleArn("arn:aws:iam::1:role/x"))));
        server.admin().ok("PUT", "/routes/layout.test", "{\"NextHop\":\"127.0.0.1:2527\"}");
        signIn(acme);
        Map<String, String> accountPages = new LinkedHashMap<>();
        accountPages.put("dedicated-ips", "/console/dedicated-ips");
        accountPages.put("pools", "/console/pools");
        accountPages.put("pool", "/console/pools/layout-pool");
        accountPages.put("wizard-1-name", "/console/create-pool");
        accountPages.put("configuration-sets", "/console/configuration-sets");
        accountPages.put("configuration-set", "/console/configuration-sets/layout-set");
        accountPages.put("identities", "/console/identities");
        accountPages.put("suppression", "/console/suppression");
        accountPages.put("advisor", "/console/advisor");
        accountPages.put("account", "/console/account");
        checkLayout(accountPages);

        context.close();
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        page = context.newPage();
        signInOperator();
        Map<String, String> operatorPages = new LinkedHashMap<>();
        operatorPages.put("operator-accounts", "/console/operator/accounts");
        operatorPages.put("operator-ips", "/console/operator/ips");
        operatorPages.put("operator-routes", "/console/operator/routes");
        operatorPages.put("operator-status", "/console/operator/status");
        checkLayout(operatorPages);
        server.admin().ok("DELETE", "/routes/layout.test", null);
    }

    /**
     * Each page at 1280 px and at 390 px: no wider than the window, and a screenshot of each
     * (layout-PAGE-1280.png, layout-PAGE-phone.png; the other tests' shots keep their names).
     */
    private void checkLayout(Map<String, String> pages) {
        for (int width : new int[] {1280, 390}) {
            page.setViewportSize(width, width == 390 ? 844 : 900);
            pages.forEach((name, path) -> {
                Response r = page.navigate(url(path));
                assertThat(r.status()).as(path).isEqualTo(200);
                Object overflow = page.evaluate(
                        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertThat(((Number) overflow).intValue())
                        .as("sideways overflow of %s at %d px", path, width)
                        .isLessThanOrEqualTo(0);
                screenshot("layout-" + name + (width == 390 ? "-phone" : "-1280"));
            });
        }
    }

    @Test
    void theAccountPageShowsWhatGetAccountReports() {
        TestAccount sandboxed = server.createSandboxAccount("sandboxed" + ACCOUNTS.incrementAndGet());
        signIn(sandboxed);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Account"))
                .click();
        assertThat(page.locator("#production-access").textContent()).isEqualTo("No (sandbox)");
        assertThat(server.ses(sandboxed).getAccount(r -> {}).productionAccessEnabled())
                .isFalse();

        context.clearCookies();
        TestAccount sender = newAccount("sent");
        server.leaseIps(sender, "127.0.0.131");
        SesV2Client ses = server.ses(sender);
        for (int i = 0; i < 2; i++) { // accepted and counted; nothing routes nowhere.test, it never leaves
            ses.sendEmail(r -> r.fromEmailAddress("sent@acme.test")
                    .destination(d -> d.toAddresses("someone@nowhere.test"))
                    .content(c -> c.simple(
                            m -> m.subject(x -> x.data("count me")).body(b -> b.text(t -> t.data("counted"))))));
        }
        signIn(sender);
        page.navigate(url("/console/account"));
        assertThat(page.locator("#sent-last-24-hours").textContent()).isEqualTo("2");
        assertThat(page.locator("#production-access").textContent()).isEqualTo("Yes (not in the sandbox)");
        assertThat(page.locator("#enforcement-status").textContent()).isEqualTo("HEALTHY");
        assertThat(ses.getAccount(r -> {}).sendQuota().sentLast24Hours()).isEqualTo(2.0);
    }
}
