package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.suppression.ImportJob;
import io.poolmta.suppression.SuppressionImports;

/**
 * POST /v2/email/import-jobs: a bulk import into the account's suppression list. The data source's
 * S3Url is a file path or a file:/http(s): URL the server reads; contact-list imports are not served
 * (PoolMTA has no contact lists).
 */
public final class CreateImportJob implements SesOperation {
    private final SuppressionImports imports;

    public CreateImportJob(SuppressionImports imports) {
        this.imports = imports;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        JsonInput destination = call.body()
                .optionalObject("ImportDestination")
                .orElseThrow(() -> ApiException.badRequest("Field 'ImportDestination' is required."));
        JsonInput source = call.body()
                .optionalObject("ImportDataSource")
                .orElseThrow(() -> ApiException.badRequest("Field 'ImportDataSource' is required."));
        if (destination.has("ContactListDestination")) {
            throw ApiException.badRequest("PoolMTA has no contact lists; only SuppressionListDestination is served.");
        }
        ImportJob.Action action = destination
                .optionalObject("SuppressionListDestination")
                .orElseThrow(() ->
                        ApiException.badRequest("Field 'ImportDestination.SuppressionListDestination' is required."))
                .optionalEnum("SuppressionListImportAction", ImportJob.Action.class)
                .orElseThrow(
                        () -> ApiException.badRequest(
                                "Field 'ImportDestination.SuppressionListDestination.SuppressionListImportAction' is required."));
        String url = source.requiredString("S3Url");
        ImportJob.Format format = source.optionalEnum("DataFormat", ImportJob.Format.class)
                .orElseThrow(() -> ApiException.badRequest("Field 'ImportDataSource.DataFormat' is required."));
        return Json.object().put("JobId", imports.create(call.accountId(), action, url, format));
    }
}
