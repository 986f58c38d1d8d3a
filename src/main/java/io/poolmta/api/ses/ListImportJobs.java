package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.common.Page;
import io.poolmta.common.PageRequest;
import io.poolmta.suppression.ImportJob;
import io.poolmta.suppression.SuppressionImports;
import java.util.List;
import java.util.Optional;

/**
 * POST /v2/email/import-jobs/list: the account's import jobs, oldest first, paged (PageSize and
 * NextToken in the body). ImportDestinationType CONTACT_LIST lists nothing: there are no contact lists.
 */
public final class ListImportJobs implements SesOperation {
    private enum DestinationType {
        SUPPRESSION_LIST,
        CONTACT_LIST
    }

    private final SuppressionImports imports;

    public ListImportJobs(SuppressionImports imports) {
        this.imports = imports;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        DestinationType type = call.body()
                .optionalEnum("ImportDestinationType", DestinationType.class)
                .orElse(DestinationType.SUPPRESSION_LIST);
        PageRequest request = PageRequest.of(
                call.body().optionalInteger("PageSize"), call.body().optionalString("NextToken"));
        Page<ImportJob> page = type == DestinationType.CONTACT_LIST
                ? new Page<>(List.of(), Optional.empty())
                : imports.list(call.accountId(), request);
        ObjectNode out = Json.object();
        ArrayNode jobs = out.putArray("ImportJobs");
        for (ImportJob job : page.items()) {
            SuppressionShapes.summary(jobs.addObject(), job);
        }
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }
}
