package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.suppression.ImportJob;
import io.poolmta.suppression.SuppressionImports;

/** GET /v2/email/import-jobs/{JobId}: the job, its counts and, when records failed, why. */
public final class GetImportJob implements SesOperation {
    private final SuppressionImports imports;

    public GetImportJob(SuppressionImports imports) {
        this.imports = imports;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        ImportJob job = imports.get(call.accountId(), call.label("JobId"));
        ObjectNode out = SuppressionShapes.summary(Json.object(), job);
        out.putObject("ImportDataSource")
                .put("S3Url", job.source())
                .put("DataFormat", job.format().name());
        job.completedAt().ifPresent(t -> SuppressionShapes.timestamp(out, "CompletedTimestamp", t));
        job.errorMessage().ifPresent(m -> out.putObject("FailureInfo").put("ErrorMessage", m));
        return out;
    }
}
