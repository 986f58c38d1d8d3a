package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.account.AccountService;
import io.poolmta.api.ApiException;
import io.poolmta.api.Caller;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.api.SigV4Verifier;
import io.poolmta.configset.ConfigurationSetService;
import io.poolmta.events.EventDestinationService;
import io.poolmta.http.Endpoint;
import io.poolmta.http.HttpRequest;
import io.poolmta.http.HttpResponse;
import io.poolmta.http.Router;
import io.poolmta.identity.EmailVerification;
import io.poolmta.identity.IdentityService;
import io.poolmta.pool.DedicatedIpPoolService;
import io.poolmta.reputation.Enforcement;
import io.poolmta.reputation.EnforcementStatus;
import io.poolmta.reputation.ReputationCounters;
import io.poolmta.reputation.Scope;
import io.poolmta.sending.MessageIntake;
import io.poolmta.suppression.SuppressionImports;
import io.poolmta.suppression.SuppressionList;
import io.poolmta.suppression.SuppressionReason;
import io.poolmta.tag.TagService;
import io.poolmta.tag.TagStore;
import io.poolmta.template.TemplateService;
import io.poolmta.template.TemplatedSender;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The SES v2 API under {@code /v2/email}: every request is SigV4-verified first, then routed by
 * method and path to its operation. Every operation PoolMTA serves is registered here; an
 * authenticated request for one it does not serve gets a BadRequest that names it.
 */
public final class SesApi implements Endpoint {
    public static final long MAX_BODY_BYTES = 1024 * 1024;
    /** SendEmail carries up to 40 MB of message, base64-encoded in JSON. */
    public static final long MAX_SEND_BODY_BYTES = 60L * 1024 * 1024;

    private final SigV4Verifier verifier;
    private final Router<SesOperation> router = new Router<>();
    /** The account's SuppressedReasons for GetAccount; set by {@link #withSuppression}. */
    private Function<String, Set<SuppressionReason>> suppressedReasons =
            accountId -> EnumSet.noneOf(SuppressionReason.class);
    /** The account's enforcement status; HEALTHY until {@link #withReputation} is called. */
    private Function<String, EnforcementStatus> enforcementStatus = id -> EnforcementStatus.HEALTHY;

    public SesApi(
            SigV4Verifier verifier,
            AccountService accounts,
            DedicatedIpPoolService pools,
            ConfigurationSetService sets,
            EventDestinationService destinations,
            TagService tags,
            TagStore tagStore,
            MessageIntake intake,
            TemplatedSender templated,
            ToLongFunction<String> sentLast24Hours) {
        this.verifier = verifier;
        String base = "/v2/email";
        router.add("POST", base + "/dedicated-ip-pools", new CreateDedicatedIpPool(pools))
                .add("GET", base + "/dedicated-ip-pools", new ListDedicatedIpPools(pools))
                .add("GET", base + "/dedicated-ip-pools/{PoolName}", new GetDedicatedIpPool(pools))
                .add("DELETE", base + "/dedicated-ip-pools/{PoolName}", new DeleteDedicatedIpPool(pools))
                .add(
                        "PUT",
                        base + "/dedicated-ip-pools/{PoolName}/scaling",
                        new PutDedicatedIpPoolScalingAttributes(pools))
                .add("GET", base + "/dedicated-ips", new GetDedicatedIps(pools))
                .add("GET", base + "/dedicated-ips/{IP}", new GetDedicatedIp(pools))
                .add("PUT", base + "/dedicated-ips/{IP}/pool", new PutDedicatedIpInPool(pools))
                .add("PUT", base + "/dedicated-ips/{IP}/warmup", new PutDedicatedIpWarmupAttributes(pools))
                .add("PUT", base + "/account/dedicated-ips/warmup", new PutAccountDedicatedIpWarmupAttributes(accounts))
                .add(
                        "GET",
                        base + "/account",
                        new GetAccount(
                                accounts,
                                sentLast24Hours,
                                id -> suppressedReasons.apply(id),
                                id -> enforcementStatus.apply(id)))
                .add("POST", base + "/account/details", new PutAccountDetails(accounts))
                .add("PUT", base + "/account/sending", new PutAccountSendingAttributes(accounts))
                .add("POST", base + "/configuration-sets", new CreateConfigurationSet(sets))
                .add("GET", base + "/configuration-sets", ListConfigurationSets.fromQuery(sets))
                .add("POST", base + "/list-configuration-sets", ListConfigurationSets.fromBody(sets))
                .add(
                        "GET",
                        base + "/configuration-sets/{ConfigurationSetName}",
                        new GetConfigurationSet(sets, tagStore))
                .add("DELETE", base + "/configuration-sets/{ConfigurationSetName}", new DeleteConfigurationSet(sets))
                .add(
                        "PUT",
                        base + "/configuration-sets/{ConfigurationSetName}/delivery-options",
                        new PutConfigurationSetDeliveryOptions(sets))
                .add(
                        "PUT",
                        base + "/configuration-sets/{ConfigurationSetName}/sending",
                        new PutConfigurationSetSendingOptions(sets))
                .add(
                        "PUT",
                        base + "/configuration-sets/{ConfigurationSetName}/reputation-options",
                        new PutConfigurationSetReputationOptions(sets))
                .add(
                        "PUT",
                        base + "/configuration-sets/{ConfigurationSetName}/tracking-options",
                        PutConfigurationSetStoredOptions.tracking(sets))
                .add(
                        "PUT",
                        base + "/configuration-sets/{ConfigurationSetName}/suppression-options",
                        PutConfigurationSetStoredOptions.suppression(sets))
                .add(
                        "PUT",
                        base + "/configuration-sets/{ConfigurationSetName}/vdm-options",
                        PutConfigurationSetStoredOptions.vdm(sets))
                .add(
                        "PUT",
                        base + "/configuration-sets/{ConfigurationSetName}/archiving-options",
                        PutConfigurationSetStoredOptions.archiving(sets))
                .add(
                        "POST",
                        base + "/configuration-sets/{ConfigurationSetName}/event-destinations",
                        new CreateConfigurationSetEventDestination(destinations))
                .add(
                        "GET",
                        base + "/configuration-sets/{ConfigurationSetName}/event-destinations",
                        new GetConfigurationSetEventDestinations(destinations))
                .add(
                        "PUT",
                        base + "/configuration-sets/{ConfigurationSetName}/event-destinations/{EventDestinationName}",
                        new UpdateConfigurationSetEventDestination(destinations))
                .add(
                        "DELETE",
                        base + "/configuration-sets/{ConfigurationSetName}/event-destinations/{EventDestinationName}",
                        new DeleteConfigurationSetEventDestination(destinations))
                .add("POST", base + "/tags", new TagResource(tags))
                .add("DELETE", base + "/tags", new UntagResource(tags))
                .add("GET", base + "/tags", new ListTagsForResource(tags))
                .add("POST", base + "/outbound-emails", new SendEmail(intake, templated))
                .add("POST", base + "/outbound-bulk-emails", new SendBulkEmail(templated));
    }

    /** Adds the email-identity operations. */
    public SesApi withIdentities(IdentityService identities, TagStore tagStore) {
        return withIdentities(identities, tagStore, Optional.empty());
    }

    /** Adds the email-identity operations; a new email address is mailed a verification link. */
    public SesApi withIdentities(
            IdentityService identities, TagStore tagStore, Optional<EmailVerification> verification) {
        String base = "/v2/email/identities";
        router.add("POST", base, new CreateEmailIdentity(identities, verification))
                .add("GET", base, ListEmailIdentities.fromQuery(identities))
                .add("POST", "/v2/email/list-identities", ListEmailIdentities.fromBody(identities))
                .add("GET", base + "/{EmailIdentity}", new GetEmailIdentity(identities, tagStore))
                .add("DELETE", base + "/{EmailIdentity}", new DeleteEmailIdentity(identities))
                .add("PUT", base + "/{EmailIdentity}/dkim", new PutEmailIdentityDkimAttributes(identities))
                .add(
                        "PUT",
                        base + "/{EmailIdentity}/dkim/signing",
                        new PutEmailIdentityDkimSigningAttributes(identities))
                .add("PUT", base + "/{EmailIdentity}/mail-from", new PutEmailIdentityMailFromAttributes(identities))
                .add("PUT", base + "/{EmailIdentity}/feedback", new PutEmailIdentityFeedbackAttributes(identities))
                .add(
                        "PUT",
                        base + "/{EmailIdentity}/configuration-set",
                        new PutEmailIdentityConfigurationSetAttributes(identities));
        return this;
    }

    /** Makes GetAccount report enforcement, and adds BatchGetMetricData. */
    public SesApi withReputation(Enforcement enforcement, ReputationCounters counters) {
        this.enforcementStatus = id -> enforcement.status(Scope.account(id));
        router.add("POST", "/v2/email/metrics/batch", new BatchGetMetricData(counters));
        return this;
    }

    /** Adds the email-template operations. */
    public SesApi withTemplates(TemplateService templates) {
        String base = "/v2/email/templates";
        router.add("POST", base, new CreateEmailTemplate(templates))
                .add("GET", base, new ListEmailTemplates(templates))
                .add("GET", base + "/{TemplateName}", new GetEmailTemplate(templates))
                .add("PUT", base + "/{TemplateName}", new UpdateEmailTemplate(templates))
                .add("DELETE", base + "/{TemplateName}", new DeleteEmailTemplate(templates))
                .add("POST", base + "/{TemplateName}/render", new TestRenderEmailTemplate(templates));
        return this;
    }

    /** Adds the suppression-list and import-job operations; GetAccount then shows the account's reasons. */
    public SesApi withSuppression(SuppressionList list, SuppressionImports imports) {
        suppressedReasons = list::accountReasons;
        String base = "/v2/email/suppression/addresses";
        router.add("PUT", base, new PutSuppressedDestination(list))
                .add("GET", base, new ListSuppressedDestinations(list))
                .add("GET", base + "/{EmailAddress}", new GetSuppressedDestination(list))
                .add("DELETE", base + "/{EmailAddress}", new DeleteSuppressedDestination(list))
                .add("PUT", "/v2/email/account/suppression", new PutAccountSuppressionAttributes(list))
                .add("POST", "/v2/email/import-jobs", new CreateImportJob(imports))
                .add("POST", "/v2/email/import-jobs/list", new ListImportJobs(imports))
                .add("GET", "/v2/email/import-jobs/{JobId}", new GetImportJob(imports));
        return this;
    }

    /** Adds an operation (used by features that register their own, such as sending). */
    public SesApi add(String method, String template, SesOperation operation) {
        router.add(method, template, operation);
        return this;
    }

    @Override
    public String pathPrefix() {
        return "/v2/email";
    }

    @Override
    public long maxBodyBytes(String rawPath) {
        if (rawPath != null
                && (rawPath.startsWith("/v2/email/outbound-emails")
                        || rawPath.startsWith("/v2/email/outbound-bulk-emails"))) {
            return MAX_SEND_BODY_BYTES;
        }
        return MAX_BODY_BYTES;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        Caller caller = verifier.verify(request);
        Router.Match<SesOperation> match = router.match(request.method(), request.rawPath())
                .orElseThrow(() -> ApiException.badRequest("PoolMTA does not serve " + request.method() + " "
                        + request.rawPath() + "; see the README for the SES v2 operations it implements."));
        JsonInput body = JsonInput.parse(request.body());
        ObjectNode out = match.handler()
                .handle(new SesCall(caller, match.labels(), request.query(), body, request.clientAddress()));
        return HttpResponse.json(200, Json.bytes(out));
    }
}
