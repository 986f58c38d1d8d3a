package io.poolmta.bench;

import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The console's two heaviest pages for an account with 1,000 dedicated IPs in 99 pools (the
 * account's limit is 100, and the wizard's pool is the hundredth), served by a real server and
 * fetched over loopback HTTP with a signed-in session: the Dedicated IPs page ({@code dedicatedIps})
 * and the wizard's Add Dedicated IPs step ({@code wizardIpStep}, which also checks the pool name by
 * a rolled-back CreateDedicatedIpPool). Goal: under 20 ms each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ConsoleRenderBenchmark {
    private static final Pattern HIDDEN = Pattern.compile("name=\"(signin-token|csrf)\" value=\"([^\"]+)\"");

    private TestServer server;
    private HttpClient http;
    private String cookie;
    private String csrf;

    @Setup
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("console-bench");
        server = TestServer.start(dir);
        TestAccount acme = server.createAccount("acme");
        String[] ips = new String[1000];
        for (int i = 0; i < ips.length; i++) {
            ips[i] = "127.1." + (i / 250) + "." + (i % 250 + 1);
        }
        server.leaseIps(acme, ips);
        SesV2Client ses = server.ses(acme);
        for (int p = 0; p < 99; p++) { // a 100th would leave the wizard no room: LimitExceeded
            String pool = "pool-" + p;
            ses.createDedicatedIpPool(r -> r.poolName(pool));
            for (int i = p * 10; i < p * 10 + 9; i++) { // 9 per pool, 109 left in the default pool
                String ip = ips[i];
                ses.putDedicatedIpInPool(r -> r.ip(ip).destinationPoolName(pool));
            }
        }
        http = HttpClient.newHttpClient();
        HttpResponse<String> form = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/console/sign-in"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String signInCookie =
                form.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        String token = hidden(form.body());
        HttpResponse<String> signedIn = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/console/sign-in"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", signInCookie)
                        .POST(HttpRequest.BodyPublishers.ofString("signin-token=" + enc(token) + "&access-key-id="
                                + enc(acme.accessKeyId()) + "&secret-access-key=" + enc(acme.secretAccessKey())))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        cookie = signedIn.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        csrf = hidden(get("/console/dedicated-ips"));
    }

    @TearDown
    public void tearDown() {
        server.close();
    }

    @Benchmark
    public String dedicatedIps() throws IOException, InterruptedException {
        return get("/console/dedicated-ips");
    }

    @Benchmark
    public String wizardIpStep() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/console/create-pool"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Cookie", cookie)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "csrf=" + enc(csrf) + "&step=1&go=next&pool-name=brand-new"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("127.1.3.250")) {
            throw new IllegalStateException("unexpected wizard answer " + r.statusCode());
        }
        return r.body();
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(server.url() + path))
                        .header("Cookie", cookie)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode());
        }
        return r.body();
    }

    private static String hidden(String html) {
        Matcher m = HIDDEN.matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no token in the page");
        }
        return m.group(2);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
